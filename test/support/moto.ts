// Integration tests: one moto server per test file, and SDK clients pointed at it.
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { type Moto, startMoto } from '../../local/moto';

export interface MotoContext {
  moto: Moto;
  s3: S3Client;
  codedeploy: CodeDeployClient;
}

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export const clientsFor = (endpoint: string) => ({
  s3: new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials, maxAttempts: 1 }),
  codedeploy: new CodeDeployClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }),
});

/** Starts moto before the file's tests and stops it after; the context fills in beforeAll. */
export const useMoto = (): MotoContext => {
  const ctx = {} as MotoContext;
  beforeAll(async () => {
    ctx.moto = await startMoto();
    Object.assign(ctx, clientsFor(ctx.moto.endpoint));
  });
  afterAll(async () => {
    await ctx.moto?.stop();
  });
  return ctx;
};

export const createVersionedBucket = async (s3: S3Client, bucket: string) => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
};

/** Everything moto holds, e.g. SNS messages: sns.Topic[i].sent_notifications. */
export const motoData = async (endpoint: string): Promise<Record<string, Record<string, unknown>>> => {
  const res = await fetch(`${endpoint}/moto-api/data.json`);
  return (await res.json()) as Record<string, Record<string, unknown>>;
};
