// The operator commands, validated and typed: through the AWS_IAM function URL (the baton CLI, signed
// as its user) or by direct invocation (a console test event, recorded as such).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { answerEvent } from '../../shared/operator/invoke';
import { functionAccountOf } from '../../shared/secrets/rules/caller';
import { logger } from '../../shared/wiring/observability';
import { operatorDeps } from '../../shared/wiring/operator';

// The `audit` command is run (and its metrics counted) by the function that audits: the operator emits none.
export const handler = middy((event: unknown, context: Context) =>
  answerEvent(operatorDeps(functionAccountOf(context.invokedFunctionArn)), event),
).use(injectLambdaContext(logger));
