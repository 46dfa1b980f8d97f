// CodeDeploy deployment state changes (EventBridge, or a deployment trigger through SNS) → recorded;
// SUCCESS, FAILURE and STOP → the per-target audit, its verdict and what follows. Also the operator's
// `audit` command: a signed re-audit request, answered synchronously with the report.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { AuditDeps } from '../../shared/audit/audit';
import { deploymentFinished, SOURCE } from '../../shared/audit/deployment-finished';
import { type RequestedReauditDeps, runRequestedReaudit } from '../../shared/audit/requested-reaudit';
import { deploymentEventSchema } from '../../shared/audit/rules/codedeploy-events';
import { isReauditRequest } from '../../shared/audit/rules/reaudit-request';
import { inOrder, parsedOrRefused } from '../../shared/refusals/parse-or-refuse';
import { auditDeps, reauditDeps } from '../../shared/wiring/audit';
import { metrics } from '../../shared/wiring/metrics';
import { logger } from '../../shared/wiring/observability';

export const run = (event: unknown, d: AuditDeps = auditDeps()) =>
  parsedOrRefused({ schema: deploymentEventSchema, source: SOURCE, deps: () => d }, (notices) =>
    inOrder(notices, (notice) => deploymentFinished(d, notice)),
  )(event);

/** The operator's `audit` command, signed with the approval key (shared/audit/requested-reaudit.ts). */
export const reaudit = (event: unknown, d: RequestedReauditDeps = reauditDeps()) =>
  runRequestedReaudit(d, event, SOURCE);

export const handler = middy(
  async (event: unknown): Promise<unknown> => (isReauditRequest(event) ? reaudit(event) : run(event)),
)
  // Never logged, even with POWERTOOLS_LOGGER_LOG_EVENT: a re-audit request carries its signature.
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(logMetrics(metrics));
