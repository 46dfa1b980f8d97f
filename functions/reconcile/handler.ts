// Scheduled: the backstop for best-effort events (stale deployments audited, abandoned follow-ups
// resumed, queued deployments started where the group is free).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { codedeploy } from '../../shared/aws/codedeploy-client';
import { codedeployLookup } from '../../shared/aws/codedeploy-lookup';
import { type ReconcileDeps, reconcile } from '../../shared/reconcile/reconcile';
import { approvingFlow } from '../../shared/runtime/approvals';
import { auditDeps } from '../../shared/runtime/audit';
import { metrics } from '../../shared/runtime/metrics';
import { logger } from '../../shared/runtime/observability';

export const deps = (): ReconcileDeps => ({
  ...auditDeps(approvingFlow),
  lookup: codedeployLookup(codedeploy),
});

export const run = async (_event: unknown, d: ReconcileDeps = deps()) => ({
  outcome: 'done' as const,
  steps: await reconcile(d),
});

export const handler = middy((event: unknown) => run(event))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
