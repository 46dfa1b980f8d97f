// publish: the conditional write and what an object already there means, with a fake bucket.
import { describe, expect, it } from 'vitest';
import { type ArtifactBucket, type Existing, publish, type Upload } from '../../cli/upload/publish';

const UPLOAD: Upload = {
  bucket: 'b',
  key: 'artifacts/web/3f786850e387550fdab836ed7e6dc881de23001b.zip',
  body: new Uint8Array([1, 2, 3]),
  sha256: 'A5BYxvLAy0ksUzsKTRTvd8wPeKvMztUofYShogEc+4E=',
  metadata: { branch: 'main', commit: '3f786850e387550fdab836ed7e6dc881de23001b' },
};

/** A bucket that answers 412 when `there` is set, and describes it as `there` says. */
const bucket = (there?: Existing | 'forbidden'): ArtifactBucket & { puts: number } => ({
  puts: 0,
  async putIfAbsent() {
    this.puts += 1;
    return there ? undefined : { versionId: 'v1', etag: '"e1"' };
  },
  async describe() {
    return there;
  },
});

describe('publish', () => {
  it('writes a new artifact and gives its version and ETag', async () => {
    expect(await publish(bucket(), UPLOAD)).toEqual({ outcome: 'uploaded', versionId: 'v1', etag: '"e1"' });
  });

  it('an object with the same SHA-256 is the same artifact: nothing to do', async () => {
    const there = { versionId: 'v0', etag: '"e0"', sha256: UPLOAD.sha256 };
    expect(await publish(bucket(there), UPLOAD)).toEqual({ outcome: 'exists', ...there });
  });

  it('refuses when another artifact, or one without a SHA-256, holds the key', async () => {
    const other = await publish(bucket({ versionId: 'v0', sha256: 'other=' }), UPLOAD);
    const unknown = await publish(bucket({ versionId: 'v0' }), UPLOAD);
    expect(other).toMatchObject({
      outcome: 'refused',
      versionId: 'v0',
      reason: expect.stringMatching(/built once/),
    });
    expect(unknown).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/without a SHA-256/) });
  });

  it('relies on the 412 when the caller may not read the object (the CI policy grants PutObject only)', async () => {
    const fake = bucket('forbidden');
    expect(await publish(fake, UPLOAD)).toEqual({ outcome: 'exists-unread' });
    expect(fake.puts).toBe(1);
  });
});
