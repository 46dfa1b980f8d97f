// `baton upload` as CI runs it: a git repository with a commit, a zip, and the real CLI as a subprocess
// against moto. Checks the key, metadata and checksum Baton reads, that an artifact is written once,
// that a dirty tree is refused (exit 1), and that artifact-uploaded records what it wrote.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { artifactUploaded } from '../../shared/artifacts/artifact-uploaded';
import { s3Artifacts } from '../../shared/aws/s3-artifacts';
import { keys } from '../../shared/ledger/keys';
import { batonShell, cliEnv } from '../support/cli';
import { memoryDeps } from '../support/fixtures';
import { useMotoLedger } from '../support/moto-ledger';
import { git, gitRepository, writeZip } from '../support/upload';

const BUCKET = 'baton-upload-e2e';
const ctx = useMotoLedger(BUCKET);
const repo = gitRepository();
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');
const upload = (args: string) =>
  batonShell(`baton upload ${args} --bucket ${BUCKET} --json`, repo, cliEnv(ctx.moto.endpoint));
const head = (key: string) =>
  ctx.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
const versions = async (key: string) =>
  (await ctx.s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: key }))).Versions ?? [];

describe('baton upload', () => {
  it('uploads under the layout, with the branch, the commit and a SHA-256 S3 verified; prints them', async () => {
    const commit = git(repo, 'rev-parse', 'HEAD');
    const zip = writeZip(repo, 'web.zip', { 'index.html': '<h1>web</h1>' });

    const ran = await upload('web.zip --app web');

    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const printed = JSON.parse(ran.stdout) as Record<string, string>;
    const key = `artifacts/web/${commit}.zip`;
    const stored = await head(key);
    expect(printed).toMatchObject({
      ok: true,
      outcome: 'uploaded',
      key,
      commit,
      branch: 'main',
      sha256: sha256(zip),
    });
    expect(printed.versionId).toBe(stored.VersionId);
    expect(printed.etag).toBe(stored.ETag);
    expect(stored.Metadata).toEqual({ branch: 'main', commit });
    expect(stored.ChecksumSHA256).toBe(sha256(zip));

    // What the artifact-uploaded function does with that object.
    const deps = { ...memoryDeps(), artifacts: s3Artifacts(ctx.s3) };
    const outcome = await artifactUploaded(deps, {
      bucket: BUCKET,
      key,
      ...(stored.VersionId ? { versionId: stored.VersionId } : {}),
      eventTime: new Date().toISOString(),
    });
    expect(outcome).toMatchObject({ outcome: 'recorded', application: 'web', commit });
    const record = await deps.store.get<Record<string, unknown>>(keys.artifact('web', commit));
    expect(record?.record).toMatchObject({
      branch: 'main',
      versionId: stored.VersionId,
      checksum: { algorithm: 'SHA256', value: sha256(zip) },
    });
  });

  it('the same artifact again is already there (exit 0); another one for the commit is refused (exit 1)', async () => {
    const key = `artifacts/web/${git(repo, 'rev-parse', 'HEAD')}.zip`;
    const before = await versions(key);

    const again = await upload('web.zip --app web');
    writeZip(repo, 'web.zip', { 'index.html': '<h1>rebuilt</h1>' });
    const other = await upload('web.zip --app web');

    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      ok: true,
      outcome: 'exists',
      versionId: before[0]?.VersionId,
    });
    expect(other.code).toBe(1);
    expect(JSON.parse(other.stdout)).toMatchObject({ ok: false, outcome: 'refused' });
    expect(JSON.parse(other.stdout).reason).toMatch(/artifacts are built once/);
    expect((await versions(key)).map((v) => v.VersionId)).toEqual(before.map((v) => v.VersionId));
  });

  it('refuses a dirty tree (exit 1, nothing written), unless --allow-dirty', async () => {
    writeFileSync(join(repo, 'index.html'), '<h1>second</h1>\n');
    git(repo, 'commit', '--quiet', '-am', 'second');
    writeFileSync(join(repo, 'index.html'), '<h1>not committed</h1>\n');
    writeZip(repo, 'web.zip', { 'index.html': '<h1>not committed</h1>' });
    const key = `artifacts/web/${git(repo, 'rev-parse', 'HEAD')}.zip`;

    const dirty = await upload('web.zip --app web');
    const none = await versions(key);
    const allowed = await upload('web.zip --app web --allow-dirty');

    expect(dirty.code).toBe(1);
    expect(dirty.stderr).toMatch(/index\.html.*--allow-dirty/s);
    expect(none).toEqual([]);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ outcome: 'uploaded', key });
  });

  it('takes --commit and --branch over git, and needs a branch when HEAD is detached (exit 2)', async () => {
    git(repo, 'checkout', '--quiet', '--detach');
    git(repo, 'checkout', '--quiet', '--', 'index.html');

    const detached = await upload('web.zip --app web');
    const given = await upload(
      'web.zip --app web --commit 0123456789abcdef0123456789abcdef01234567 --branch release/1',
    );

    expect(detached.code).toBe(2);
    expect(detached.stderr).toMatch(/--branch/);
    expect(given.code).toBe(0);
    const stored = await head('artifacts/web/0123456789abcdef0123456789abcdef01234567.zip');
    expect(stored.Metadata).toEqual({
      branch: 'release/1',
      commit: '0123456789abcdef0123456789abcdef01234567',
    });
  });
});
