// The handler on both S3 event shapes, with the SDK clients mocked (aws-sdk-client-mock).
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  DeploymentLimitExceededException,
} from '@aws-sdk/client-codedeploy';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../functions/artifact-uploaded/handler';
import { codedeployDeployer } from '../../shared/aws/codedeploy-deployer';
import { s3Artifacts } from '../../shared/aws/s3-artifacts';
import { keys } from '../../shared/ledger/keys';
import { MemoryStore } from '../../shared/ledger/memory-store';
import type { DeploymentRequest, Rejection } from '../../shared/ledger/records';
import {
  ALERT_TOPIC,
  CapturingLog,
  COMMIT,
  loadEvent,
  SentNotices,
  StepClock,
  samplePipeline,
} from '../support/fixtures';

const codedeploy = mockClient(CodeDeployClient);
const s3 = mockClient(S3Client);

const deps = (pipeline = samplePipeline()) => ({
  pipeline,
  store: new MemoryStore(),
  clock: new StepClock(),
  log: new CapturingLog(),
  deployer: codedeployDeployer(new CodeDeployClient({ region: 'us-east-1' })),
  artifacts: s3Artifacts(new S3Client({ region: 'us-east-1' })),
  notifier: new SentNotices(),
  alertTopicArn: ALERT_TOPIC,
});

const head = {
  ETag: '"b1946ac92492d2347c6235b4d2611184"',
  ContentLength: 5,
  VersionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
  LastModified: new Date('2026-11-20T18:43:48Z'),
  Metadata: { branch: 'main' },
  ChecksumSHA256: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
};

describe('artifact-uploaded handler', () => {
  beforeEach(() => {
    codedeploy.reset();
    s3.reset();
    s3.on(HeadObjectCommand).resolves(head);
    codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-ABCDEF123' });
  });

  it.each(['eventbridge/s3-object-created.json', 's3/object-created.json'])(
    'deploys the exact S3 revision from %s',
    async (sample) => {
      const d = deps();
      const result = await run(loadEvent(sample), d);
      expect(result).toMatchObject({ outcome: 'done', results: [{ outcome: 'recorded', commit: COMMIT }] });
      expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, {
        Bucket: 'baton-pipeline-example',
        Key: `artifacts/web/${COMMIT}.zip`,
        VersionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
        ChecksumMode: 'ENABLED',
      });
      expect(codedeploy).toHaveReceivedCommandTimes(CreateDeploymentCommand, 1);
      const input = codedeploy.commandCalls(CreateDeploymentCommand)[0]?.args[0].input;
      expect(input).toEqual({
        applicationName: 'baton-web',
        deploymentGroupName: 'web-dev',
        revision: {
          revisionType: 'S3',
          s3Location: {
            bucket: 'baton-pipeline-example',
            key: `artifacts/web/${COMMIT}.zip`,
            bundleType: 'zip',
            eTag: 'b1946ac92492d2347c6235b4d2611184',
            version: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
          },
        },
        description: expect.stringMatching(
          /^Baton: web commit 3f786850e387 to dev, artifact for a push to main \[request [0-9a-f]{20}\]$/,
        ),
      });
    },
  );

  it('decodes classic notification keys (+ for spaces) before reading them', async () => {
    const pipeline = samplePipeline();
    const web = pipeline.applications.web;
    if (!web) throw new Error('sample has no web application');
    web.artifactKey = '{application}/{branch}/{commit}.zip';
    const dev = web.environments[0];
    if (!dev) throw new Error('sample has no dev environment');
    dev.enter = { branch: 'release candidate' };
    s3.on(HeadObjectCommand).resolves({ ...head, Metadata: {} });
    const d = deps(pipeline);
    const result = await run(loadEvent('s3/object-created-encoded-key.json'), d);
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, {
      Key: `artifacts/web/release candidate/${COMMIT}.zip`,
    });
    expect(result).toMatchObject({
      results: [{ outcome: 'recorded', deployments: { dev: { outcome: 'started' } } }],
    });
  });

  it('refuses a key outside the artifact prefix without reading the object', async () => {
    const result = await run(loadEvent('s3/object-outside-prefix.json'), deps());
    expect(result).toMatchObject({
      results: [{ outcome: 'rejected', reason: 'key is outside the artifact prefix "artifacts/"' }],
    });
    expect(s3).not.toHaveReceivedCommand(HeadObjectCommand);
  });

  it('queues the request when CodeDeploy says the group already has an active deployment', async () => {
    codedeploy
      .on(CreateDeploymentCommand)
      .rejects(new DeploymentLimitExceededException({ message: 'busy', $metadata: {} }));
    const d = deps();
    const result = await run(loadEvent('eventbridge/s3-object-created.json'), d);
    expect(result).toMatchObject({ results: [{ deployments: { dev: { outcome: 'queued' } } }] });
    const queued = await d.store.list(keys.queue('web', 'dev'));
    expect(queued).toHaveLength(1);
    const requests = await d.store.list(keys.requests('web', 'dev'));
    const request = await d.store.get<DeploymentRequest>(requests[0] ?? '');
    expect(request?.record.state).toBe('queued');
  });

  it('refuses a malformed event by naming the field, records it, and returns normally', async () => {
    const d = deps();
    const event = loadEvent<{ detail: { object: { key?: string } } }>('eventbridge/s3-object-created.json');
    delete event.detail.object.key;
    const result = await run(event, d);
    expect(result).toEqual({ outcome: 'rejected', reason: 'detail.object.key: required' });
    const stored = await d.store.get<Rejection>((await d.store.list(keys.rejections()))[0] ?? '');
    expect(stored?.record).toMatchObject({
      source: 'artifact-uploaded',
      reason: 'malformed event: detail.object.key: required',
    });
    expect(codedeploy).not.toHaveReceivedCommand(CreateDeploymentCommand);
  });

  it('refuses something that is no event at all', async () => {
    const d = deps();
    expect(await run('hello', d)).toMatchObject({
      outcome: 'rejected',
      reason: expect.stringContaining('(event)'),
    });
    expect(await run({ Records: [] }, d)).toMatchObject({
      outcome: 'rejected',
      reason: 'Records: too short (min 1)',
    });
  });
});
