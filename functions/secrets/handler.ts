// Lambda function URL (AuthType AWS_IAM) → the secret files an in-progress deployment target writes.
// The caller is whoever Lambda says signed the request (requestContext.authorizer.iam); no header or
// body field says who is calling. Responses carry secrets: never logged, never cached.

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { codedeploy } from '../../shared/adapters/codedeploy-client';
import { codedeployTargets } from '../../shared/adapters/codedeploy-targets';
import { secretValues } from '../../shared/adapters/secret-values';
import { secretsManager } from '../../shared/adapters/secrets-client';
import { functionAccountOf } from '../../shared/domain/caller';
import { errorName } from '../../shared/domain/errors';
import { runtime } from '../../shared/runtime/core';
import { logger } from '../../shared/runtime/observability';
import { readSecretsRequest } from '../../shared/schemas/secrets-request';
import { secretsResponse } from '../../shared/schemas/secrets-response';
import { handOutSecrets, refuseMalformed, type SecretsDeps } from '../../shared/usecases/secrets';

// Module scope: the value cache lives as long as the container.
const values = secretValues(secretsManager);

export const deps = (functionAccount: string): SecretsDeps => ({
  ...runtime(),
  functionAccount,
  targets: codedeployTargets(codedeploy),
  secrets: values,
});

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
  run(event, deps(functionAccountOf(context.invokedFunctionArn))),
).use(injectLambdaContext(logger, { logEvent: false }));
