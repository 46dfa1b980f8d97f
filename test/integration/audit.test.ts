// The audit on moto: the ledger in S3 and the alert through SNS (read back from moto), with CodeDeploy
// mocked in the API reference's shapes (moto lacks the per-target calls).
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { run } from '../../functions/deployment-finished/handler';
import { codedeployReader } from '../../shared/aws/codedeploy-reader';
import { snsNotifier } from '../../shared/aws/sns-notifier';
import { systemClock } from '../../shared/core/ports';
import { requestDeployment } from '../../shared/deployments/deployments';
import { RecordingMetrics, RecordingReleaseFlow } from '../support/audit';
import {
  deploymentInfo,
  fakeCodeDeploy,
  instanceIds,
  instanceTarget,
  overviewOf,
} from '../support/codedeploy-api';
import { CapturingLog, COMMIT, FakeDeployer, loadEvent, samplePipeline } from '../support/fixtures';
import { motoData, useMoto } from '../support/moto';
import { createLedger, createTopic } from '../support/moto-ledger';

const ctx = useMoto();

interface MotoTopic {
  arn: string;
  sent_notifications: [string, string, string | null, Record<string, unknown> | null, string | null][];
}

const json = async (bucket: string, key: string) => {
  const out = await ctx.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse((await out.Body?.transformToString()) ?? '{}');
};

const finishEvent = (deploymentId: string) => {
  const event = loadEvent<{ detail: Record<string, string> }>(
    'codedeploy/deployment-state-change-success.json',
  );
  return { ...event, detail: { ...event.detail, deploymentId, deploymentGroup: 'web-staging' } };
};

describe('audit on moto', () => {
  it('records a PARTIAL verdict in the S3 ledger and sends one alert naming the eight failed instances', async () => {
    const bucket = 'audit-ledger';
    const store = await createLedger(ctx.s3, bucket);
    const alertTopicArn = await createTopic(ctx.sns, 'baton-alerts');
    const deps = {
      pipeline: samplePipeline(),
      store,
      clock: systemClock,
      log: new CapturingLog(),
      deployer: new FakeDeployer(),
      notifier: snsNotifier(ctx.sns),
      alertTopicArn,
      metrics: new RecordingMetrics(),
      releaseFlow: new RecordingReleaseFlow(),
    };
    const started = await requestDeployment(deps, {
      application: 'web',
      environment: 'staging',
      artifact: { bucket, key: `artifacts/web/${COMMIT}.zip`, etag: '"e1"', commit: COMMIT },
      cause: { type: 'release', detail: 'release v1.2.0' },
      release: 'v1.2.0',
      dedupeKey: 'release:v1.2.0',
    });
    if (started.outcome !== 'started') throw new Error('not started');
    const id = started.deploymentId;
    const [ok = '', ...bad] = instanceIds(9);
    const targets = [
      instanceTarget(ok, { deploymentId: id }),
      ...bad.map((i) => instanceTarget(i, { deploymentId: id, failAt: 'ValidateService' })),
    ];
    const info = deploymentInfo({
      deploymentId: id,
      deploymentGroupName: 'web-staging',
      deploymentOverview: overviewOf(targets),
    });
    const reader = codedeployReader(fakeCodeDeploy(info, targets).client);

    const first = await run(finishEvent(id), { ...deps, reader });
    const again = await run(finishEvent(id), { ...deps, reader });

    expect(first).toMatchObject({ results: [{ outcome: 'audited', verdict: 'PARTIAL' }] });
    expect(again).toMatchObject({ results: [{ outcome: 'recorded-earlier', verdict: 'PARTIAL' }] });
    const audit = await json(bucket, `ledger/audits/${id}.json`);
    expect(audit).toMatchObject({ v: 1, kind: 'audit', verdict: 'PARTIAL', followUp: { state: 'done' } });
    expect(audit.report.failing.map((t: { id: string }) => t.id)).toEqual(bad);
    expect(await json(bucket, `ledger/deployments/${id}.json`)).toMatchObject({ verdict: 'PARTIAL' });

    const topics = (await motoData(ctx.moto.endpoint)).sns?.Topic as MotoTopic[] | undefined;
    const sent = topics?.find((t) => t.arn === alertTopicArn)?.sent_notifications ?? [];
    expect(sent).toHaveLength(1);
    const [, message, subject] = sent[0] ?? [];
    expect(subject).toBe('Baton web staging: PARTIAL for release v1.2.0 (commit 3f786850e387)');
    expect(message).toContain('9 targets: 1 succeeded, 8 failed.');
    for (const i of bad) expect(message).toContain(`- ${i}: Failed at ValidateService`);
    expect(message).toContain('- release v1.2.0 is blocked in staging');
    expect(deps.releaseFlow.calls).toEqual([
      { application: 'web', release: 'v1.2.0', trigger: `audit PARTIAL of ${id}` },
    ]);
  });
});
