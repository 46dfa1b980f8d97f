// `npm start -- --scenario bake`: the sample release with a shortened bake in the first environment of
// its path (staging in pipeline.yml), watching one CloudWatch alarm on moto. The audit there says
// VERIFIED and the environment bakes; the alarm goes to ALARM during the bake and its state-change event
// reaches reconcile (as the stack's EventBridge rule sends it): the bake ends at once as FAILED, the
// alert names the alarm, and the release is blocked there — no approval asked, nothing promoted.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { parse, stringify } from 'yaml';
import type { Environment } from '../shared/pipeline/rules/config';
import { releasePath } from '../shared/releases/rules/promotion';
import { emailedApprovals } from './approvals';
import type { BuiltArtifact } from './artifact';
import { auditOf, findDeployment, waitFor } from './ledger-watch';
import { isApprovalRequestFor } from './mail-match';
import type { Push } from './pushes';
import { runReleaseScenario, type ScenarioResult } from './release-scenario';
import type { LocalStack } from './stack';
import type { Timeline } from './timeline';

export const BAKE_ALARM_SUFFIX = '5xx';

/** The environment that bakes: the first of a tag's release path. */
const bakingEnvironment = (stack: LocalStack): Environment => {
  const [, app] = Object.entries(stack.pipeline.applications)[0] ?? [];
  const env = app && releasePath(app)[0];
  if (!env?.verify?.alarms[0])
    throw new Error('--scenario bake needs a verify block with an alarm on the first release environment');
  return env;
};

/** pipeline.yml (or `source`), with a 1-minute bake on one alarm in the first release environment. */
export const writeBakeConfig = (text: string, dir: string): string => {
  const raw = parse(text);
  for (const spec of Object.values<{ environments: { name: string; enter: unknown; verify?: unknown }[] }>(
    raw.applications ?? {},
  )) {
    const first = spec.environments.find((e) => e.enter === 'release');
    if (first)
      first.verify = { bakeMinutes: 1, alarms: [`${first.name}-${BAKE_ALARM_SUFFIX}`], inconclusive: 'hold' };
  }
  const file = join(dir, 'pipeline.bake.yml');
  writeFileSync(file, stringify(raw));
  return file;
};

/** The "CloudWatch Alarm State Change" EventBridge delivers for `alarm` going to `state` (events/cloudwatch/). */
export const alarmEvent = (alarm: string, state: string, reason: string, at: Date) => ({
  version: '0',
  id: `alarm-${at.getTime()}`,
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '123456789012',
  time: `${at.toISOString().slice(0, 19)}Z`,
  region: 'us-east-1',
  resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarm}`],
  detail: {
    alarmName: alarm,
    configuration: {
      metrics: [
        { metricStat: { metric: { name: 'HTTPCode_Target_5XX_Count', namespace: 'AWS/ApplicationELB' } } },
      ],
    },
    state: { value: state, reason, timestamp: at.toISOString() },
  },
});

export interface BakeOptions {
  artifact: BuiltArtifact;
  release: string;
  push?: (push: Push) => Promise<unknown>;
  out?: (line: string) => void;
}

export const runBakeScenario = async (
  stack: LocalStack,
  t: Timeline,
  o: BakeOptions,
): Promise<ScenarioResult> => {
  const env = bakingEnvironment(stack);
  const alarm = env.verify?.alarms[0] ?? '';
  const cloudwatch = stack.clients.cloudwatch;
  await cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: alarm,
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
  );
  await cloudwatch.send(
    new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'OK', StateReason: 'no errors' }),
  );
  t.note(
    'alarm',
    `${alarm} (CloudWatch on moto) is OK; ${env.name} bakes ${env.verify?.bakeMinutes} min on it`,
  );

  const result = await runReleaseScenario(stack, t, {
    ...o,
    autoApprove: true,
    failingEnvironments: new Set(),
    stopAfter: env.name,
  });
  const outcome = result.outcomes.find((x) => x.environment === env.name);
  if (!outcome?.deploymentId || result.problems.length) return result;
  const id = outcome.deploymentId;
  const baking = await auditOf(stack, id);
  t.note(
    'baking',
    `${env.name}: VERIFIED (audit), baking until ${baking?.bake?.until ?? '(no bake recorded)'}`,
  );
  if (baking?.bake?.state !== 'baking') result.problems.push(`${env.name}: no bake after the VERIFIED audit`);

  const reason =
    'Threshold Crossed: 1 out of the last 1 datapoints [42.0] was greater than the threshold (10.0)';
  await cloudwatch.send(
    new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'ALARM', StateReason: reason }),
  );
  t.note('alarm fired', `${alarm} → ALARM during the bake; its state-change event reaches reconcile`);
  const { onAlarm } = await import('../functions/reconcile/handler');
  await onAlarm(alarmEvent(alarm, 'ALARM', reason, new Date()));
  await stack.router.settle();

  const failed = await waitFor(`the end of the bake of ${id}`, async () => {
    const a = await auditOf(stack, id);
    return a?.bake?.state === 'baking' ? undefined : a;
  });
  t.note('bake ended', `${env.name}: verdict ${failed.verdict}; ${failed.bake?.reason ?? ''}`);
  outcome.verdict = failed.verdict;
  outcome.expected = 'FAILED';
  if (failed.verdict !== 'FAILED')
    result.problems.push(`${env.name}: bake ended ${failed.verdict}, expected FAILED`);

  const alert = await waitFor('the alert naming the alarm', async () =>
    (await emailedApprovals(stack.moto.endpoint, stack.alertTopicArn)).find((m) => m.message.includes(alarm)),
  ).catch(() => undefined);
  t.note('alert sent', alert ? `"${alert.subject}"` : 'none naming the alarm (unexpected)');
  if (!alert) result.problems.push(`no alert names ${alarm}`);

  // Reconcile runs as its schedule would: still nothing leaves the environment.
  await stack.reconcile();
  await stack.router.settle();
  const [appName, app] = Object.entries(stack.pipeline.applications)[0] ?? [];
  const next = app && releasePath(app)[1];
  const approvals = (await emailedApprovals(stack.moto.endpoint, stack.approvalTopicArn)).filter(
    (m) => appName && next && isApprovalRequestFor(m, appName, next.name, o.release),
  );
  const promoted = next && (await findDeployment(stack, next.name, { release: o.release }));
  if (approvals.length)
    result.problems.push(`an approval was asked after the failed bake (${approvals.length})`);
  if (promoted) result.problems.push(`${o.release} was promoted to ${next.name} after the failed bake`);
  if (!approvals.length && !promoted)
    t.note('release blocked', `${o.release} stops in ${env.name}: no approval, no promotion`);
  return result;
};
