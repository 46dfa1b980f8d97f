// Lambda function URL (auth NONE): GitHub webhook deliveries. The signature is the credential; a push
// goes the way a CodeCommit push does. The event is never logged (it is the whole payload).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { functionUrlEventSchema } from '../../shared/core/rules/function-url';
import { parseWith } from '../../shared/core/rules/parse';
import { type GithubWebhookDeps, githubWebhook } from '../../shared/pushes/github-webhook';
import { githubWebhookDeps } from '../../shared/wiring/github';
import { metrics } from '../../shared/wiring/metrics';
import { logger } from '../../shared/wiring/observability';

export const run = (event: unknown, d: GithubWebhookDeps = githubWebhookDeps()) =>
  githubWebhook(d, parseWith(functionUrlEventSchema, event));

export const handler = middy((event: unknown) => run(event))
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(logMetrics(metrics));
