// S3- and git-owned values in Baton's event schemas: bucket names by S3's naming rules (3-63 of
// a-z 0-9 . -, letter or digit at both ends; legacy us-east-1 buckets also A-Z and _, up to 255),
// object keys of up to 1,024 UTF-8 bytes (S3's limit; the model only says min 1), any ETag and version
// id, CodeCommit repository names by the model's pattern, and refs as `git check-ref-format` judges them.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { objectCreatedEventSchema } from '../../shared/artifacts/rules/s3-events';
import { sourcePushedEventSchema } from '../../shared/pushes/rules/codecommit-events';
import { shapeOf } from '../support/aws-models';
import { modelStrings } from '../support/aws-strings';
import { loadEvent } from '../support/fixtures';

const RUNS = 200;
const alnum = 'abcdefghijklmnopqrstuvwxyz0123456789';
const bucketNames = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...alnum),
      fc.string({ unit: fc.constantFrom(...`${alnum}.-`), minLength: 1, maxLength: 61 }),
      fc.constantFrom(...alnum),
    )
    .map(([a, b, c]) => a + b + c),
  fc.string({ unit: fc.constantFrom(...`${alnum}ABCXYZ_.-`), minLength: 3, maxLength: 255 }),
);
const longest = ['é'.repeat(512), `artifacts/${'x y'.repeat(338)}`, '\u{1F680}'.repeat(256)];
const keys = fc.oneof(
  fc.constantFrom(...longest),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1024 }).filter((k) => Buffer.byteLength(k) <= 1024),
);
const opaque = (shape: string) => modelStrings(shapeOf('s3', shape), 1024).filter((s) => s !== '');
const encoded = (key: string) => encodeURIComponent(key).replace(/%20/g, '+');

const classic = (bucket: string, key: string, eTag: string, versionId: string) => {
  const event = loadEvent<{ Records: [{ s3: { object: Record<string, unknown> } }] }>(
    's3/object-created.json',
  );
  const [record] = event.Records;
  const object = { ...record.s3.object, key: encoded(key), eTag, versionId };
  return { Records: [{ ...record, s3: { ...record.s3, bucket: { name: bucket }, object } }] };
};

const pushed = (repositoryName: string, ref: string, commitId: string) => {
  const event = loadEvent<{ detail: Record<string, unknown> }>('eventbridge/codecommit-branch-updated.json');
  const name = ref.slice('refs/heads/'.length);
  const detail = { ...event.detail, repositoryName, referenceName: name, referenceFullName: ref, commitId };
  return { ...event, detail: { ...detail, oldCommitId: commitId } };
};

const validRef = (ref: string) => {
  try {
    execFileSync('git', ['check-ref-format', ref], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('S3-owned values', () => {
  it('S3 notifications accept every bucket name, key, ETag and version id S3 allows', () => {
    fc.assert(
      fc.property(
        bucketNames,
        keys,
        opaque('ETag'),
        opaque('ObjectVersionId'),
        (bucket, key, eTag, version) => {
          const parsed = objectCreatedEventSchema.safeParse(classic(bucket, key, eTag, version));
          expect(parsed.error?.issues ?? []).toEqual([]);
          expect(parsed.data?.[0]).toMatchObject({ bucket, key, etag: eTag, versionId: version });
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('git- and CodeCommit-owned values', () => {
  const segment = fc.string({
    unit: fc.constantFrom(...'abcXYZ019._-@{}+#!é/'),
    minLength: 1,
    maxLength: 40,
  });
  const refs = segment.map((s) => `refs/heads/${s}`).filter(validRef);
  const commits = fc.oneof(
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 40, maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
  );

  it('push events accept every repository name, valid ref and full commit id', () => {
    const names = modelStrings(shapeOf('codecommit', 'RepositoryName'), 100);
    fc.assert(
      fc.property(names, refs, commits, fc.boolean(), (repo, ref, commit, upper) => {
        const commitId = upper ? commit.toUpperCase() : commit;
        const parsed = sourcePushedEventSchema.safeParse(pushed(repo, ref, commitId));
        expect(parsed.error?.issues ?? []).toEqual([]);
        expect(parsed.data?.[0]).toMatchObject({ repository: repo, ref, commit: commit.toLowerCase() });
      }),
      { numRuns: RUNS },
    );
  });
});
