// `baton upload <zip> --app <name>`: CI's one step after the build. Reads the commit and branch from git,
// names the key from pipeline.yml, and writes the artifact once (publish.ts). Exit 0 uploaded or already
// there, 1 refused, 2 usage, 3 the bucket could not be reached.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { artifactKeyFor, bundleTypeOf, readArtifactKey } from '../../shared/artifacts/rules/artifact';
import { EXIT, UsageError } from '../errors';
import type { Io } from '../output';
import { parseUploadArgs, type UploadArgs } from './args';
import { readSource } from './git';
import { UPLOAD_HELP } from './help';
import { type ArtifactBucket, publish, type UploadOutcome } from './publish';
import { s3Bucket } from './s3';
import { uploadTarget } from './target';

const usage = (message: string) => new UsageError(message, 'upload');

const readArtifact = (file: string): Uint8Array => {
  const isFile = (() => {
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  })();
  if (!isFile) throw usage(`${file}: no such file`);
  return readFileSync(file);
};

const SAID: Record<UploadOutcome['outcome'], string> = {
  uploaded: 'uploaded',
  exists: 'already uploaded (the same SHA-256): nothing to do',
  'exists-unread':
    'already there (S3 answered 412 to the conditional write); not compared, since this identity may not ' +
    'read it (HeadObject needs s3:GetObject, which CiUploadPolicyArn does not grant): the object there stands',
  refused: 'refused',
};

export const runUpload = async (
  argv: readonly string[],
  io: Io,
  cwd = process.cwd(),
  bucketFor: (a: UploadArgs) => ArtifactBucket = (a) =>
    s3Bucket({
      env: process.env,
      ...(a.region ? { region: a.region } : {}),
      ...(a.profile ? { profile: a.profile } : {}),
    }),
): Promise<number> => {
  const args = parseUploadArgs(argv);
  if (args === 'help') {
    io.out(UPLOAD_HELP);
    return EXIT.ok;
  }
  const body = readArtifact(args.file);
  const source = readSource(cwd, args.file, args);
  const target = await uploadTarget(args, io.env);
  const { pipeline } = target;
  const metadata = { branch: source.branch, commit: source.commit };
  const key = artifactKeyFor(pipeline, args.application, metadata);
  if (!key)
    throw usage(
      `unknown application "${args.application}" (pipeline.yml has ${Object.keys(pipeline.applications).join(', ')})`,
    );
  // The key Baton will read back, checked by Baton's own rule before anything is sent.
  const reading = readArtifactKey(pipeline, key, metadata);
  if (!reading.ok) throw usage(`${key}: ${reading.reason}`);
  const platform = reading.app.computePlatform;
  if (bundleTypeOf(args.file, platform) !== bundleTypeOf(key, platform))
    throw usage(`${args.file} is not a ${bundleTypeOf(key, platform)} bundle, which the layout ${key} names`);
  const sha256 = createHash('sha256').update(body).digest('base64');
  const outcome = await publish(bucketFor(args), {
    bucket: target.bucket,
    key,
    body,
    sha256,
    metadata,
  });
  const { outcome: kind, ...facts } = outcome;
  const result = {
    ok: kind !== 'refused',
    outcome: kind,
    bucket: target.bucket,
    key,
    ...metadata,
    sha256,
    ...facts,
  };
  if (args.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
  else if (outcome.outcome === 'refused') io.err(`baton upload: refused: ${outcome.reason}\n`);
  else
    io.out(
      [
        `${SAID[kind]}: s3://${target.bucket}/${key}`,
        `  commit   ${metadata.commit}`,
        `  branch   ${metadata.branch}`,
        `  version  ${'versionId' in outcome ? (outcome.versionId ?? '-') : '-'}`,
        `  etag     ${'etag' in outcome ? (outcome.etag ?? '-') : '-'}`,
        `  sha256   ${sha256}`,
        '',
      ].join('\n'),
    );
  return outcome.outcome === 'refused' ? EXIT.refused : EXIT.ok;
};
