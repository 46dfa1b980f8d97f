// CodeDeploy deployment state changes (EventBridge, or a deployment trigger through SNS) → recorded;
// SUCCESS, FAILURE and STOP → the per-target audit, its verdict and what follows.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { AuditDeps } from '../../shared/audit/audit';
import { deploymentFinished, SOURCE } from '../../shared/audit/deployment-finished';
import { deploymentEventSchema } from '../../shared/audit/rules/codedeploy-events';
import { inOrder, parsedOrRefused } from '../../shared/refusals/parse-or-refuse';
import { auditDeps } from '../../shared/wiring/audit';
import { metrics } from '../../shared/wiring/metrics';
import { logger } from '../../shared/wiring/observability';

export const run = (event: unknown, d: AuditDeps = auditDeps()) =>
  parsedOrRefused({ schema: deploymentEventSchema, source: SOURCE, deps: () => d }, (notices) =>
    inOrder(notices, (notice) => deploymentFinished(d, notice)),
  )(event);

export const handler = middy((event: unknown) => run(event))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
