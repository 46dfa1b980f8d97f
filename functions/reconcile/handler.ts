// Scheduled: the backstop for best-effort events (stale deployments audited, abandoned follow-ups
// resumed, queued deployments started where the group is free).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { codedeploy } from '../../shared/adapters/codedeploy-client';
import { codedeployLookup } from '../../shared/adapters/codedeploy-lookup';
import { approvingFlow } from '../../shared/runtime/approvals';
import { auditDeps } from '../../shared/runtime/audit';
import { metrics } from '../../shared/runtime/metrics';
import { logger } from '../../shared/runtime/observability';
import { type ReconcileDeps, reconcile } from '../../shared/usecases/reconcile';

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
