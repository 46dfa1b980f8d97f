// Scheduled: the backstop for best-effort events (stale deployments audited, abandoned follow-ups
// resumed, bakes ended when due, queued deployments started where the group is free). Also the listed
// alarms' "CloudWatch Alarm State Change" events, which end the bakes watching them.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { type ReconcileDeps, reconcile } from '../../shared/reconcile/reconcile';
import { alarmChanged } from '../../shared/verification/bakes';
import { metrics } from '../../shared/wiring/metrics';
import { logger } from '../../shared/wiring/observability';
import { reconcileDeps } from '../../shared/wiring/reconcile';

const fromCloudWatch = (event: unknown) =>
  typeof event === 'object' && event !== null && 'source' in event && event.source === 'aws.cloudwatch';

export const run = async (_event: unknown, d: ReconcileDeps = reconcileDeps()) => ({
  outcome: 'done' as const,
  steps: await reconcile(d),
});

/** A listed alarm's state change (the stack's rule matches only those alarms). */
export const onAlarm = (event: unknown, d: ReconcileDeps = reconcileDeps()) => alarmChanged(d, event);

export const handler = middy(
  async (event: unknown): Promise<object> => (fromCloudWatch(event) ? onAlarm(event) : run(event)),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
