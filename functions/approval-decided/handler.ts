// S3 "Object Created" under <ledger prefix>approval-decisions/ (a decision the approval page recorded)
// → settle its approval: close it when its decisions say so, alert on a rejection, move the release on.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { approvalDecided, type DecidedDeps } from '../../shared/approvals/approval-decided';
import { objectCreatedEventSchema } from '../../shared/artifacts/rules/s3-events';
import { inOrder, parsedOrRefused } from '../../shared/refusals/parse-or-refuse';
import { logger } from '../../shared/wiring/observability';
import { settlingDeps } from '../../shared/wiring/settling';

export const run = (event: unknown, d: DecidedDeps = settlingDeps()) =>
  parsedOrRefused(
    { schema: objectCreatedEventSchema, source: 'approval-decided', deps: () => d },
    (notices) => inOrder(notices, (notice) => approvalDecided(d, notice)),
  )(event);

export const handler = middy((event: unknown) => run(event)).use(injectLambdaContext(logger));
