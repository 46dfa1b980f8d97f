// The pipeline bucket for `baton upload`: found from the stack's PipelineBucketName output (or given),
// written with the caller's own credentials (the SDK's default chain, --profile), as CI's role.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { UnreachableError } from '../errors';
import { explainSetupError } from '../targets/url';
import type { ArtifactBucket, Existing } from './publish';

export interface AwsOptions {
  region?: string;
  profile?: string;
  env: NodeJS.ProcessEnv;
}

const config = (o: AwsOptions) => ({
  ...(o.region ? { region: o.region } : {}),
  ...(o.profile ? { profile: o.profile } : {}),
});

export const BUCKET_OUTPUT = 'PipelineBucketName';

export const bucketOfStage = async (stage: string, o: AwsOptions): Promise<string> => {
  const stack = `baton-${stage}`;
  const cfn = new CloudFormationClient(config(o));
  try {
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
    const name = Stacks[0]?.Outputs?.find((out) => out.OutputKey === BUCKET_OUTPUT)?.OutputValue;
    if (!name) throw new UnreachableError(`the stack ${stack} has no ${BUCKET_OUTPUT} output`);
    return name;
  } catch (error) {
    throw error instanceof UnreachableError ? error : explainSetupError(error, stack);
  }
};

const status = (error: unknown): number | undefined =>
  error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;

/** What S3 refused, said as what to do; anything else as explainSetupError says it. */
const explain = (error: unknown, bucket: string): UnreachableError => {
  const code = status(error);
  if (code === 403)
    return new UnreachableError(
      `S3 refused the upload to ${bucket} (403): the caller needs s3:PutObject under the artifact prefix ` +
        "(the stack's CiUploadPolicyArn policy), with fresh credentials",
      { cause: error },
    );
  if (code === 404) return new UnreachableError(`there is no bucket ${bucket}: check --bucket or --stage`);
  return explainSetupError(error, `s3://${bucket}`);
};

export const s3Bucket = (o: AwsOptions): ArtifactBucket => {
  // moto and other stand-ins serve S3 by path; the SDK reads AWS_ENDPOINT_URL itself.
  const client = new S3Client({
    ...config(o),
    forcePathStyle: Boolean(o.env.AWS_ENDPOINT_URL_S3 || o.env.AWS_ENDPOINT_URL),
  });
  return {
    async putIfAbsent(upload) {
      const command = new PutObjectCommand({
        Bucket: upload.bucket,
        Key: upload.key,
        Body: upload.body,
        IfNoneMatch: '*',
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: upload.sha256,
        Metadata: upload.metadata,
        ContentType: upload.key.endsWith('.zip') ? 'application/zip' : 'application/octet-stream',
      });
      // 409: a concurrent conditional write to the key is in flight; asked again, S3 settles it (412 or 200).
      for (let attempt = 1; ; attempt += 1) {
        try {
          const out = await client.send(command);
          return {
            ...(out.VersionId ? { versionId: out.VersionId } : {}),
            ...(out.ETag ? { etag: out.ETag } : {}),
          };
        } catch (error) {
          if (status(error) === 412) return undefined;
          if (status(error) === 409 && attempt < 3) continue;
          throw explain(error, upload.bucket);
        }
      }
    },
    async describe(bucket, key) {
      try {
        const out = await client.send(
          new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }),
        );
        const existing: Existing = {
          ...(out.VersionId && out.VersionId !== 'null' ? { versionId: out.VersionId } : {}),
          ...(out.ETag ? { etag: out.ETag } : {}),
          ...(out.ChecksumSHA256 ? { sha256: out.ChecksumSHA256 } : {}),
        };
        return existing;
      } catch (error) {
        if (status(error) === 403) return 'forbidden';
        if (status(error) === 404) return undefined;
        throw explain(error, bucket);
      }
    },
  };
};
