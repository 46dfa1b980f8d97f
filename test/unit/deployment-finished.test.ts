// The deployment-finished handler on the sample events: EventBridge state changes and CodeDeploy's
// deployment triggers through SNS. Shapes:
// https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-codedeploy.html
// https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-sns-event-notifications-json-format.html
import { describe, expect, it } from 'vitest';
import { run } from '../../functions/deployment-finished/handler';
import type { AuditRecord, DeploymentStateRecord } from '../../shared/audit/records';
import { auditKeys, keys } from '../../shared/ledger/keys';
import type { Rejection } from '../../shared/ledger/records';
import { auditMemoryDeps, target } from '../support/audit';
import { loadEvent } from '../support/fixtures';

const rejections = async (deps: ReturnType<typeof auditMemoryDeps>) => {
  const found = await Promise.all(
    (await deps.store.list(keys.rejections())).map((k) => deps.store.get<Rejection>(k)),
  );
  return found.map((r) => r?.record.reason);
};

describe('deployment-finished handler', () => {
  it('audits the EventBridge SUCCESS sample and records the state change', async () => {
    const deps = auditMemoryDeps();
    deps.reader.add('d-7Q4BZ2K1X', { deploymentGroup: 'web-dev' }, [
      target('i-1'),
      target('i-2'),
      target('i-3', 'Failed'),
    ]);

    const result = await run(loadEvent('codedeploy/deployment-state-change-success.json'), deps);

    expect(result).toEqual({
      outcome: 'done',
      results: [{ outcome: 'audited', deploymentId: 'd-7Q4BZ2K1X', state: 'SUCCESS', verdict: 'PARTIAL' }],
    });
    expect(
      await deps.store.get<DeploymentStateRecord>(auditKeys.state('d-7Q4BZ2K1X', 'SUCCESS')),
    ).toMatchObject({
      record: { source: 'eventbridge', at: '2026-03-02T10:15:42Z', deploymentGroup: 'web-dev' },
    });
    expect(deps.notifier.sent).toHaveLength(1);
  });

  it('audits the EventBridge FAILURE sample as FAILED', async () => {
    const deps = auditMemoryDeps();
    deps.reader.add(
      'd-M3XJ8R0TQ',
      { deploymentGroup: 'web-staging', status: 'Failed', error: { code: 'HEALTH_CONSTRAINTS' } },
      [target('i-1', 'Failed')],
    );
    const result = await run(loadEvent('codedeploy/deployment-state-change-failure.json'), deps);
    expect(result).toMatchObject({ results: [{ outcome: 'audited', state: 'FAILURE', verdict: 'FAILED' }] });
  });

  it('records START without reading CodeDeploy', async () => {
    const deps = auditMemoryDeps();
    const result = await run(loadEvent('eventbridge/codedeploy-state-change-start.json'), deps);
    expect(result).toMatchObject({
      results: [{ outcome: 'recorded', deploymentId: 'd-7Q4BZ2K1X', state: 'START' }],
    });
    expect(deps.reader.calls).toBe(0);
    expect(await deps.store.list('deployment-states/')).toEqual(['deployment-states/d-7Q4BZ2K1X/START.json']);
  });

  it('audits a deployment trigger delivered through SNS', async () => {
    const deps = auditMemoryDeps();
    deps.reader.add('d-M3XJ8R0TQ', { deploymentGroup: 'web-staging', status: 'Failed' }, [
      target('i-1', 'Failed'),
    ]);
    const result = await run(loadEvent('sns/codedeploy-trigger-failure.json'), deps);
    expect(result).toMatchObject({
      results: [{ outcome: 'audited', deploymentId: 'd-M3XJ8R0TQ', state: 'FAILURE', verdict: 'FAILED' }],
    });
    expect((await deps.store.get<AuditRecord>(auditKeys.audit('d-M3XJ8R0TQ')))?.record.trigger).toBe(
      'sns FAILURE',
    );
  });

  it('EventBridge and SNS both announcing the same finish make one audit and one alert', async () => {
    const deps = auditMemoryDeps();
    deps.reader.add('d-7Q4BZ2K1X', { deploymentGroup: 'web-dev' }, [target('i-1', 'Failed')]);
    await run(loadEvent('codedeploy/deployment-state-change-success.json'), deps);
    const second = await run(loadEvent('sns/codedeploy-trigger-success.json'), deps);
    expect(second).toMatchObject({ results: [{ outcome: 'recorded-earlier', verdict: 'PARTIAL' }] });
    expect(deps.notifier.sent).toHaveLength(1);
  });

  it('ignores instance triggers that share the topic', async () => {
    const deps = auditMemoryDeps();
    expect(await run(loadEvent('sns/codedeploy-trigger-instance.json'), deps)).toEqual({
      outcome: 'done',
      results: [],
    });
    expect(await rejections(deps)).toEqual([]);
  });

  it('refuses and records a deployment group the pipeline does not know, without retry', async () => {
    const deps = auditMemoryDeps();
    const result = await run(loadEvent('eventbridge/codedeploy-state-change-unknown-group.json'), deps);
    expect(result).toMatchObject({
      results: [
        { outcome: 'rejected', reason: 'deployment group payments/payments-prod is not in the pipeline' },
      ],
    });
    expect(await rejections(deps)).toEqual([
      'deployment group payments/payments-prod is not in the pipeline (deployment d-4HT0ZQ8PL)',
    ]);
    expect(deps.reader.calls).toBe(0);
  });

  it.each([
    [
      'a missing deployment id',
      (e: Record<string, Record<string, unknown>>) => delete e.detail?.deploymentId,
      'detail.deploymentId: required',
    ],
    [
      'an unknown state',
      (e: Record<string, Record<string, unknown>>) => Object.assign(e.detail ?? {}, { state: 'PAUSED' }),
      'detail.state: must be one of',
    ],
  ])('refuses and records an event with %s', async (_, spoil, reason) => {
    const deps = auditMemoryDeps();
    const event = loadEvent<Record<string, Record<string, unknown>>>(
      'codedeploy/deployment-state-change-success.json',
    );
    spoil(event);
    const result = await run(event, deps);
    expect(result).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining(reason) });
    expect(await rejections(deps)).toEqual([expect.stringContaining(reason)]);
  });

  it('refuses an SNS message that is not JSON', async () => {
    const deps = auditMemoryDeps();
    const event = loadEvent<{ Records: { Sns: { Message: string } }[] }>(
      'sns/codedeploy-trigger-failure.json',
    );
    const [record] = event.Records;
    if (record) record.Sns.Message = 'FAILED: not JSON';
    expect(await run(event, deps)).toMatchObject({
      outcome: 'rejected',
      reason: 'Records[0].Sns.Message: must be JSON',
    });
  });
});
