// The agent's DownloadBundle step: fetch the revision from S3 (version and ETag honoured) and unpack it.
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import type { S3Location } from './types';

const run = promisify(execFile);
const unquote = (etag: string): string => etag.replaceAll('"', '');

export const fetchRevision = async (s3: S3Client, location: S3Location): Promise<Uint8Array> => {
  const object = await s3.send(
    new GetObjectCommand({ Bucket: location.bucket, Key: location.key, VersionId: location.version }),
  );
  if (location.eTag !== undefined && unquote(location.eTag) !== unquote(object.ETag ?? '')) {
    throw new Error(
      `Expected deployment artifact bundle etag ${location.eTag} but was actually ${object.ETag}`,
    );
  }
  if (!object.Body) throw new Error(`The revision s3://${location.bucket}/${location.key} has no content`);
  return object.Body.transformToByteArray();
};

const unzip = async (bytes: Uint8Array, archiveDir: string): Promise<void> => {
  const root = resolve(archiveDir);
  for (const [name, content] of Object.entries(unzipSync(bytes))) {
    const path = resolve(root, name);
    if (!path.startsWith(root + sep)) throw new Error(`The bundle entry ${name} points outside the archive`);
    if (name.endsWith('/')) {
      await mkdir(path, { recursive: true });
    } else {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    }
  }
};

/**
 * Downloads the revision into `<deploymentRoot>/bundle.tar` (the agent's name whatever the type) and
 * unpacks it into `<deploymentRoot>/deployment-archive`, which it returns.
 */
export const downloadBundle = async (
  s3: S3Client,
  location: S3Location,
  deploymentRoot: string,
): Promise<string> => {
  const bytes = await fetchRevision(s3, location);
  await mkdir(deploymentRoot, { recursive: true });
  const bundleFile = join(deploymentRoot, 'bundle.tar');
  await writeFile(bundleFile, bytes);
  const archiveDir = join(deploymentRoot, 'deployment-archive');
  await rm(archiveDir, { recursive: true, force: true });
  await mkdir(archiveDir, { recursive: true });
  if (location.bundleType === 'zip') {
    await unzip(bytes, archiveDir);
  } else {
    const flags = location.bundleType === 'tgz' ? '-xzf' : '-xf';
    await run('tar', [flags, bundleFile, '-C', archiveDir]);
  }
  return archiveDir;
};
