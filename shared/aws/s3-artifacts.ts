// ArtifactStore on S3: HeadObject gives the version's ETag, size, checksum and metadata; GetObject the
// body of an AppSpec file.
import { GetObjectCommand, HeadObjectCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { ArtifactObject } from '../artifacts/rules/artifact';
import type { ArtifactStore } from '../core/ports';

const CHECKSUMS = [
  'ChecksumSHA256',
  'ChecksumSHA1',
  'ChecksumCRC32C',
  'ChecksumCRC32',
  'ChecksumCRC64NVME',
] as const;

const gone = (error: unknown) =>
  error instanceof S3ServiceException &&
  (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey' || error.name === 'NoSuchVersion');

export const s3Artifacts = (client: S3Client): ArtifactStore => ({
  async describe(bucket, key, versionId) {
    try {
      const out = await client.send(
        new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, ChecksumMode: 'ENABLED' }),
      );
      const found = CHECKSUMS.find((name) => out[name]);
      const object: ArtifactObject = {
        bucket,
        key,
        etag: out.ETag ?? '',
        size: out.ContentLength ?? 0,
        metadata: out.Metadata ?? {},
        uploadedAt: (out.LastModified ?? new Date(0)).toISOString(),
        ...(out.VersionId && out.VersionId !== 'null' ? { versionId: out.VersionId } : {}),
        ...(found
          ? { checksum: { algorithm: found.slice('Checksum'.length), value: String(out[found]) } }
          : {}),
      };
      return object;
    } catch (error) {
      if (gone(error)) return undefined;
      throw error;
    }
  },
  async read(bucket, key, versionId) {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
      return await out.Body?.transformToString('utf8');
    } catch (error) {
      if (gone(error)) return undefined;
      throw error;
    }
  },
});
