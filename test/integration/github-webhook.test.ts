// GitHub deliveries on moto: the real S3 ledger (its conditional create dedupes deliveries), artifact
// store and SNS; CodeDeploy is a FakeDeployer. Measures how long a push takes through the use cases,
// as the webhook processes it before answering and GitHub waits 10 s.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { run as artifactUploaded } from '../../functions/artifact-uploaded/handler';
import { run as webhook } from '../../functions/github-webhook/handler';
import { s3Artifacts } from '../../shared/aws/s3-artifacts';
import { S3RecordStore } from '../../shared/aws/s3-ledger';
import { snsNotifier } from '../../shared/aws/sns-notifier';
import {
  CapturingLog,
  COMMIT,
  FakeDeployer,
  loadEvent,
  StepClock,
  samplePipeline,
} from '../support/fixtures';
import { branchPush, delivery, SECRET, tagCreated } from '../support/github';
import { clientsFor, createVersionedBucket, useMoto } from '../support/moto';
import { FakeApprovals } from '../support/releases';

const ctx = useMoto();
const BUCKET = 'baton-github-test';
let alertTopicArn = '';
const clock = new StepClock();

const deps = () => {
  const pipeline = samplePipeline();
  return {
    pipeline,
    store: new S3RecordStore(ctx.s3, BUCKET, 'ledger/'),
    clock,
    log: new CapturingLog(),
    deployer: new FakeDeployer(),
    artifacts: s3Artifacts(ctx.s3),
    approvals: new FakeApprovals(),
    notifier: snsNotifier(clientsFor(ctx.moto.endpoint).sns),
    alertTopicArn,
    secrets: async () => ({ current: Buffer.from(SECRET) }),
    otherEvent: () => undefined,
  };
};

const repository = { ...(branchPush().repository as object), full_name: 'example-org/web' };

beforeAll(async () => {
  await createVersionedBucket(ctx.s3, BUCKET);
  const { sns } = clientsFor(ctx.moto.endpoint);
  alertTopicArn = (await sns.send(new CreateTopicCommand({ Name: 'baton-alerts' }))).TopicArn ?? '';
  const key = `artifacts/web/${COMMIT}.zip`;
  const out = await ctx.s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'bundle', Metadata: { branch: 'main' } }),
  );
  const event = loadEvent<{ detail: { bucket: { name: string }; object: Record<string, unknown> } }>(
    'eventbridge/s3-object-created.json',
  );
  event.detail.bucket.name = BUCKET;
  event.detail.object = { key, size: 6, etag: out.ETag?.replaceAll('"', ''), 'version-id': out.VersionId };
  await artifactUploaded(event, deps());
});

describe('GitHub deliveries on moto', () => {
  it('processes a branch push and a release tag well within the 10 s GitHub waits, once per delivery', async () => {
    const d = deps();
    const push = { ...branchPush(), ref: 'refs/heads/main', after: COMMIT, repository };
    const tag = { ...tagCreated(), ref: 'refs/tags/v1.2.0', after: COMMIT, repository };
    const timed = async (event: unknown) => {
      const started = performance.now();
      const result = await webhook(event, d);
      return { result, ms: Math.round(performance.now() - started) };
    };
    const branch = await timed(delivery(push, { delivery: 'moto-branch' }));
    const release = await timed(delivery(tag, { delivery: 'moto-tag' }));
    const replay = await timed(delivery(tag, { delivery: 'moto-tag' }));
    console.info(
      `github push on moto: branch ${branch.ms} ms, release tag ${release.ms} ms, replay ${replay.ms} ms`,
    );
    expect(JSON.parse(branch.result.body)).toMatchObject({ outcome: 'branch' });
    expect(JSON.parse(release.result.body)).toMatchObject({ outcome: 'release' });
    expect(JSON.parse(replay.result.body)).toMatchObject({ outcome: 'duplicate' });
    expect(d.deployer.calls.map((c) => c.deploymentGroup)).toEqual(['web-staging']);
    expect(Math.max(branch.ms, release.ms)).toBeLessThan(3000);
  });
});
