// Scheduled: the backstop for best-effort events (stale deployments audited, abandoned follow-ups
// resumed, queued deployments started where the group is free).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { type ReconcileDeps, reconcile } from '../../shared/reconcile/reconcile';
import { metrics } from '../../shared/wiring/metrics';
import { logger } from '../../shared/wiring/observability';
import { reconcileDeps } from '../../shared/wiring/reconcile';

export const run = async (_event: unknown, d: ReconcileDeps = reconcileDeps()) => ({
  outcome: 'done' as const,
  steps: await reconcile(d),
});

export const handler = middy((event: unknown) => run(event))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
