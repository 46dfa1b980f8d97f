// Lambda function URL (AuthType AWS_IAM) → the secret files an in-progress deployment target writes.
// The caller is whoever Lambda says signed the request (requestContext.authorizer.iam); no header or
// body field says who is calling. Responses carry secrets: never logged, never cached.

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { errorName } from '../../shared/core/rules/errors';
import { secretsResponse } from '../../shared/secrets/response';
import { functionAccountOf } from '../../shared/secrets/rules/caller';
import { readSecretsRequest } from '../../shared/secrets/rules/secrets-request';
import { handOutSecrets, refuseMalformed, type SecretsDeps } from '../../shared/secrets/secrets';
import { logger } from '../../shared/wiring/observability';
import { secretsDeps } from '../../shared/wiring/secrets';

export const run = async (event: unknown, d: SecretsDeps) => {
  const reading = readSecretsRequest(event);
  try {
    const answer = reading.ok
      ? await handOutSecrets(d, reading.request)
      : await refuseMalformed(d, reading.reason, reading.iam?.userArn);
    return secretsResponse(answer);
  } catch (error) {
    // AWS failed after the SDK's retries: 503 (no detail) tells the instance's hook to try again.
    d.log.error('secrets request failed', { error: errorName(error) });
    return secretsResponse({
      status: 503,
      reason: 'try again shortly; the secrets function log has the details',
    });
  }
};

export const handler = middy((event: unknown, context: Context) =>
  run(event, secretsDeps(functionAccountOf(context.invokedFunctionArn))),
).use(injectLambdaContext(logger, { logEvent: false }));
