// Integration tests: one moto server per test file, and SDK clients pointed at it.
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll } from 'vitest';
import { clientsFor } from '../../local/clients';
import { type Moto, startMoto } from '../../local/moto';

export { clientsFor, createVersionedBucket } from '../../local/clients';

export interface MotoContext {
  moto: Moto;
  s3: S3Client;
  codedeploy: CodeDeployClient;
  sns: SNSClient;
  secrets: SecretsManagerClient;
}

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

/** Everything moto holds, e.g. SNS messages: sns.Topic[i].sent_notifications. */
export const motoData = async (endpoint: string): Promise<Record<string, Record<string, unknown>>> => {
  const res = await fetch(`${endpoint}/moto-api/data.json`);
  return (await res.json()) as Record<string, Record<string, unknown>>;
};
