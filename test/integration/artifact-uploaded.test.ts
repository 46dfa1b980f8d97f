// artifact-uploaded end to end on moto: a real upload, the real ledger, a deployment created in
// moto's CodeDeploy; duplicates and races lose nothing and deploy nothing twice.
import {
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../functions/artifact-uploaded/handler';
import { codedeployDeployer } from '../../shared/aws/codedeploy-deployer';
import { s3Artifacts } from '../../shared/aws/s3-artifacts';
import { releaseGroup } from '../../shared/deployments/deployment-queue';
import { keys } from '../../shared/ledger/keys';
import type { ArtifactRecord, DeploymentRecord, DeploymentRequest } from '../../shared/ledger/records';
import {
  ALERT_TOPIC,
  CapturingLog,
  COMMIT,
  COMMIT2,
  SentNotices,
  StepClock,
  samplePipeline,
} from '../support/fixtures';
import { putArtifact, useMotoLedger } from '../support/moto-ledger';

const BUCKET = 'baton-pipeline-example';
const ctx = useMotoLedger(BUCKET);

// One clock for the file: the tests share a ledger, so their requests must not go back in time.
const clock = new StepClock();
const deps = () => ({
  pipeline: samplePipeline(),
  store: ctx.store,
  clock,
  log: new CapturingLog(),
  deployer: codedeployDeployer(ctx.codedeploy),
  artifacts: s3Artifacts(ctx.s3),
  notifier: new SentNotices(),
  alertTopicArn: ALERT_TOPIC,
});

const upload = (commit: string) => putArtifact(ctx.s3, BUCKET, commit, { checksum: true });

const deploymentsOfGroup = async (group: string) =>
  (
    await ctx.codedeploy.send(
      new ListDeploymentsCommand({ applicationName: 'baton-web', deploymentGroupName: group }),
    )
  ).deployments ?? [];

beforeAll(async () => {
  await ctx.codedeploy.send(
    new CreateApplicationCommand({ applicationName: 'baton-web', computePlatform: 'Server' }),
  );
  for (const group of ['web-dev', 'web-staging', 'web-production'])
    await ctx.codedeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'baton-web',
        deploymentGroupName: group,
        serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
      }),
    );
});

describe('artifact-uploaded on moto', () => {
  it('records the artifact and creates one deployment in CodeDeploy, even when delivered three times at once', async () => {
    const { event, versionId, etag } = await upload(COMMIT);
    const d = deps();
    await Promise.all([run(event, d), run(event, d), run(event, d)]);

    const dev = await deploymentsOfGroup('web-dev');
    expect(dev).toHaveLength(1);
    const artifact = await d.store.get<ArtifactRecord>(keys.artifact('web', COMMIT));
    expect(artifact?.record).toMatchObject({
      versionId,
      etag,
      branch: 'main',
      commit: COMMIT,
      size: 'bundle '.length + COMMIT.length,
    });
    expect(artifact?.record.checksum?.algorithm).toBe('SHA256');
    const record = await d.store.get<DeploymentRecord>(keys.deployment(dev[0] ?? ''));
    expect(record?.record).toMatchObject({ environment: 'dev', artifact: { versionId, commit: COMMIT } });
    // moto's GetDeployment answers with ISO dates the SDK refuses, so read its raw JSON.
    const raw = await fetch(ctx.moto.endpoint, {
      method: 'POST',
      headers: {
        'X-Amz-Target': 'CodeDeploy_20141006.GetDeployment',
        'Content-Type': 'application/x-amz-json-1.1',
        // moto picks the service from the credential scope.
        Authorization:
          'AWS4-HMAC-SHA256 Credential=testing/20261120/us-east-1/codedeploy/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify({ deploymentId: dev[0] }),
    });
    const info = (await raw.json()) as {
      deploymentInfo: { revision: { s3Location: Record<string, string> } };
    };
    expect(info.deploymentInfo.revision.s3Location).toMatchObject({
      bucket: BUCKET,
      key: `artifacts/web/${COMMIT}.zip`,
      bundleType: 'zip',
      version: versionId,
    });
  });

  it('queues a second artifact racing for the busy group and starts it when the group frees up', async () => {
    const d = deps();
    const second = await upload(COMMIT2);
    const result = await run(second.event, d);
    expect(result).toMatchObject({ results: [{ deployments: { dev: { outcome: 'queued' } } }] });
    expect(await deploymentsOfGroup('web-dev')).toHaveLength(1);

    const [first] = await deploymentsOfGroup('web-dev');
    const next = await releaseGroup(d, 'web', 'dev', first ?? '');
    expect(next).toMatchObject({ outcome: 'started' });
    expect(await deploymentsOfGroup('web-dev')).toHaveLength(2);
    const requests = await d.store.list(keys.requests('web', 'dev'));
    const states = await Promise.all(
      requests.map(async (k) => (await d.store.get<DeploymentRequest>(k))?.record.state),
    );
    expect(states.sort()).toEqual(['started', 'started']);
  });
});
