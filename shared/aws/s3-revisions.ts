// RevisionStore on S3: the revisions Baton writes for CodeDeploy lie under the ledger prefix of the
// pipeline bucket (versioned), each naming in its metadata the artifact version it was made from.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RevisionStore } from '../core/ports';

export const s3Revisions = (client: S3Client, bucket: string, prefix: string): RevisionStore => ({
  async put(key, body, metadata) {
    const full = `${prefix}${key}`;
    const out = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: full,
        Body: body,
        ContentType: 'application/json',
        Metadata: metadata,
      }),
    );
    if (!out.ETag) throw new Error(`PutObject ${full} returned no ETag`);
    return {
      bucket,
      key: full,
      etag: out.ETag,
      ...(out.VersionId && out.VersionId !== 'null' ? { versionId: out.VersionId } : {}),
    };
  },
});
