// Tests on moto with the real S3 ledger: a versioned bucket and the ledger under its prefix, SNS topics,
// and what CI does before Baton sees anything (an artifact put in the bucket, and S3's "Object Created").
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { beforeAll } from 'vitest';
import { s3Artifacts } from '../../shared/aws/s3-artifacts';
import { S3RecordStore } from '../../shared/aws/s3-ledger';
import { snsNotifier } from '../../shared/aws/sns-notifier';
import type { Clock } from '../../shared/core/ports';
import { CapturingLog, FakeDeployer, samplePipeline } from './fixtures';
import { createVersionedBucket, type MotoContext, useMoto } from './moto';
import { FakeApprovals } from './releases';
import { objectCreatedEvent } from './s3-events';

export const LEDGER_PREFIX = 'ledger/';

/** The ledger in `bucket`, read and written through `s3`. */
export const ledgerStore = (s3: S3Client, bucket: string): S3RecordStore =>
  new S3RecordStore(s3, bucket, LEDGER_PREFIX);

/** A new versioned bucket, and the ledger in it. */
export const createLedger = async (s3: S3Client, bucket: string): Promise<S3RecordStore> => {
  await createVersionedBucket(s3, bucket);
  return ledgerStore(s3, bucket);
};

/** A new SNS topic's ARN. */
export const createTopic = async (sns: SNSClient, name: string): Promise<string> =>
  (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn ?? '';

export interface MotoLedger extends MotoContext {
  bucket: string;
  /** The ledger in `bucket`, through the context's S3 client. */
  store: S3RecordStore;
  /** The topic named by `alertTopic`, or '' without one. */
  alertTopicArn: string;
}

/**
 * moto for the file (useMoto) with `bucket` created and its ledger ready before the file's own beforeAll
 * hooks run; `alertTopic` names an SNS topic to create as well. The context fills in beforeAll.
 */
export const useMotoLedger = (bucket: string, options: { alertTopic?: string } = {}): MotoLedger => {
  const ctx = useMoto() as MotoLedger;
  ctx.bucket = bucket;
  ctx.alertTopicArn = '';
  beforeAll(async () => {
    ctx.store = await createLedger(ctx.s3, bucket);
    if (options.alertTopic) ctx.alertTopicArn = await createTopic(ctx.sns, options.alertTopic);
  });
  return ctx;
};

/**
 * What a release needs, on this moto: the ledger, the artifact store and the alerts for real; CodeDeploy
 * (a FakeDeployer, its calls the revisions asked for) and approvals are fakes.
 */
export const releaseDepsOn = (ctx: MotoLedger, clock: Clock) => ({
  pipeline: samplePipeline(),
  store: ctx.store,
  clock,
  log: new CapturingLog(),
  deployer: new FakeDeployer(),
  artifacts: s3Artifacts(ctx.s3),
  approvals: new FakeApprovals(),
  notifier: snsNotifier(ctx.sns),
  alertTopicArn: ctx.alertTopicArn,
});

export interface ArtifactUpload {
  /** Defaults to `bundle <commit>`; its length is the size the event says. */
  body?: string | Uint8Array;
  /** The `branch` metadata CI sets; defaults to main. */
  branch?: string;
  /** Asks S3 for a SHA-256 checksum of the object. */
  checksum?: boolean;
}

/**
 * What CI does (not Baton): puts the artifact of `commit` under the layout's key, and the EventBridge
 * "Object Created" event S3 sends for that very version. `etag` is as S3 answers it (quoted).
 */
export const putArtifact = async (
  s3: S3Client,
  bucket: string,
  commit: string,
  { body = `bundle ${commit}`, branch = 'main', checksum = false }: ArtifactUpload = {},
) => {
  const key = `artifacts/web/${commit}.zip`;
  const out = await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      Metadata: { branch },
      ...(checksum ? { ChecksumAlgorithm: 'SHA256' as const } : {}),
    }),
  );
  const event = objectCreatedEvent(bucket, {
    key,
    size: body.length,
    etag: out.ETag?.replaceAll('"', ''),
    'version-id': out.VersionId,
  });
  return { event, key, versionId: out.VersionId, etag: out.ETag };
};
