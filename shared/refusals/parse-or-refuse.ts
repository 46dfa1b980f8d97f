// The parse-and-refuse step of the event functions, as a middy middleware built the way Powertools'
// parser middleware is: `before` parses the event with the function's schema, `onError` answers only
// its own kind of failure. An event that breaks a rule (a ValidationError, from the schema or from the
// use case's checks of the parsed event) is recorded once and answered as refused: the invocation ends
// normally, so that AWS does not retry a malformed event forever. Any other error (AWS failing after
// parsing, say) still fails the invocation, and Lambda retries it.
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { Core } from '../core/ports';
import { ConfiguredRefusalError, ValidationError } from '../core/rules/errors';
import { parseWith } from '../core/rules/parse';
import { type AlertTopic, refuseAndAlert } from './rejection-alerts';
import { recordRejection } from './rejections';

export type Refused = { outcome: 'rejected'; reason: string };

export interface ParseOrRefuseOptions<S extends z.ZodMiniType> {
  schema: S;
  /** The rejection record's source: the function's name. */
  source: string;
  /** Where the rejection is recorded; asked for only when there is one. */
  deps: () => Core;
}

export const parseOrRefuse = <S extends z.ZodMiniType>({
  schema,
  source,
  deps,
}: ParseOrRefuseOptions<S>): MiddlewareObj<z.output<S>, Refused> => ({
  name: 'parse-or-refuse',
  before: (request) => {
    request.event = parseWith(schema, request.event);
  },
  onError: async (request) => {
    const { error } = request;
    if (!(error instanceof ValidationError)) return;
    const d = deps();
    // A refusal that names something configured reaches a person, once per cause; any other is recorded.
    if (error instanceof ConfiguredRefusalError && 'alertTopicArn' in d)
      await refuseAndAlert(d as Core & AlertTopic, source, error.message, error.refusal);
    else await recordRejection(d, source, `malformed event: ${error.message}`);
    request.response = { outcome: 'rejected', reason: error.message };
  },
});

/** One result per parsed notice, in order: an event function's answer when nothing was refused. */
export const inOrder = async <T, R>(notices: readonly T[], step: (notice: T) => Promise<R>) => {
  const results: R[] = [];
  for (const notice of notices) results.push(await step(notice));
  return { outcome: 'done' as const, results };
};

// Nothing in the chains below reads the context: the local stack and the tests have none, and in
// Lambda they run inside the function's own chain, which has the real one. middy's early timeout
// falls at Lambda's longest limit.
const runContext: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'baton',
  functionVersion: '$LATEST',
  invokedFunctionArn: '',
  memoryLimitInMB: '',
  awsRequestId: '',
  logGroupName: '',
  logStreamName: '',
  getRemainingTimeInMillis: () => 15 * 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

/**
 * An event function's `run(event, deps)`: one middy chain of this middleware and `body`, which gets
 * the parsed event. The chain is typed by what it is given (the raw event), not by what its handler
 * gets, so it is kept before `.use` narrows it.
 */
export const parsedOrRefused = <S extends z.ZodMiniType, R>(
  options: ParseOrRefuseOptions<S>,
  body: (parsed: z.output<S>) => Promise<R>,
): ((event: unknown) => Promise<R | Refused>) => {
  const chain = middy<unknown, R | Refused>();
  chain.use(parseOrRefuse(options)).handler((parsed: z.output<S>) => body(parsed));
  return (event) => chain(event, runContext);
};
