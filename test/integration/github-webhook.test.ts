// GitHub deliveries on moto: the real S3 ledger (its conditional create dedupes deliveries), artifact
// store and SNS; CodeDeploy is a FakeDeployer. Measures how long a push takes through the use cases,
// as the webhook processes it before answering and GitHub waits 10 s.
import { beforeAll, describe, expect, it } from 'vitest';
import { run as artifactUploaded } from '../../functions/artifact-uploaded/handler';
import { run as webhook } from '../../functions/github-webhook/handler';
import { COMMIT, StepClock } from '../support/fixtures';
import { branchPush, delivery, SECRET, tagCreated } from '../support/github';
import { putArtifact, releaseDepsOn, useMotoLedger } from '../support/moto-ledger';

const BUCKET = 'baton-github-test';
const ctx = useMotoLedger(BUCKET, { alertTopic: 'baton-alerts' });
const clock = new StepClock();

const deps = () => ({
  ...releaseDepsOn(ctx, clock),
  secrets: async () => ({ current: Buffer.from(SECRET) }),
  otherEvent: () => undefined,
});

const repository = { ...(branchPush().repository as object), full_name: 'example-org/web' };

beforeAll(async () => {
  const { event } = await putArtifact(ctx.s3, BUCKET, COMMIT, { body: 'bundle' });
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
