// S3 "Object Created" under <ledger prefix>approval-decisions/ (a decision the approval page recorded)
// → settle its approval: close it when its decisions say so, alert on a rejection, move the release on.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { approvalDecided, type DecidedDeps } from '../../shared/approvals/approval-decided';
import { objectCreatedEventSchema } from '../../shared/artifacts/rules/s3-events';
import { codedeploy } from '../../shared/aws/codedeploy-client';
import { codedeployDeployer } from '../../shared/aws/codedeploy-deployer';
import { parseWith } from '../../shared/core/rules/parse';
import { refusingMalformed } from '../../shared/refusals/refuse';
import { settlingDeps } from '../../shared/runtime/approvals';
import { runtime } from '../../shared/runtime/core';
import { logger } from '../../shared/runtime/observability';

export const deps = (): DecidedDeps => {
  const rt = runtime();
  const deciding = settlingDeps({ ...rt, deployer: codedeployDeployer(codedeploy) });
  return { ...deciding, bucket: rt.bucket, ledgerPrefix: rt.pipeline.ledgerPrefix };
};

export const run = async (event: unknown, d: DecidedDeps = deps()) =>
  refusingMalformed(d, 'approval-decided', async () => {
    const notices = parseWith(objectCreatedEventSchema, event);
    const results = [];
    for (const notice of notices) results.push(await approvalDecided(d, notice));
    return { outcome: 'done' as const, results };
  });

export const handler = middy((event: unknown) => run(event)).use(injectLambdaContext(logger));
