// Lambda function URL (auth NONE): approval links. GET and HEAD show the page and change nothing;
// POST verifies the signed link and records the decision, nothing more: approval-decided acts on it.
// The event is never logged (it holds the link).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { type PageDeps, respondToEvent } from '../../shared/approvals/respond';
import { logger } from '../../shared/wiring/observability';
import { pageDeps } from '../../shared/wiring/page';

export const run = (event: unknown, d: PageDeps = pageDeps()) => respondToEvent(d, event);

export const handler = middy((event: unknown) => run(event)).use(
  injectLambdaContext(logger, { logEvent: false }),
);
