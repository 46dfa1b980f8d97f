// CodeDeploy deployment state changes (EventBridge, or a deployment trigger through SNS) → recorded;
// SUCCESS, FAILURE and STOP → the per-target audit, its verdict and what follows.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { AuditDeps } from '../../shared/audit/audit';
import { deploymentFinished, SOURCE } from '../../shared/audit/deployment-finished';
import { deploymentEventSchema } from '../../shared/audit/rules/codedeploy-events';
import { parseWith } from '../../shared/core/rules/parse';
import { refusingMalformed } from '../../shared/refusals/refuse';
import { approvingFlow } from '../../shared/runtime/approvals';
import { auditDeps } from '../../shared/runtime/audit';
import { metrics } from '../../shared/runtime/metrics';
import { logger } from '../../shared/runtime/observability';

export const run = async (event: unknown, d: AuditDeps = auditDeps(approvingFlow)) =>
  refusingMalformed(d, SOURCE, async () => {
    const notices = parseWith(deploymentEventSchema, event);
    const results = [];
    for (const notice of notices) results.push(await deploymentFinished(d, notice));
    return { outcome: 'done' as const, results };
  });

export const handler = middy((event: unknown) => run(event))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
