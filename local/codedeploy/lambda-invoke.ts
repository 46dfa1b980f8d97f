// Lambda's Invoke on the stand-in, for the functions the local stack runs in process (the operator asks
// deployment-finished for re-audits), in Lambda's REST-JSON protocol (Invoke, Lambda API Reference):
// POST /2015-03-31/functions/{FunctionName}/invocations with the payload as the body. RequestResponse
// answers 200 with the function's result; a function that throws still answers 200, with
// X-Amz-Function-Error: Unhandled and { errorType, errorMessage, trace }. Event answers 202, DryRun 204.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './input';
import { functionNameOf, send } from './lambda-aliases';

/** A function the stand-in can invoke: the payload parsed, its result returned. */
export type LocalFunction = (payload: unknown) => Promise<unknown>;

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations(\?.*)?$/;

// The model spells the message member `Message` for ResourceNotFoundException, `message` for the 400s.
const userError = (res: ServerResponse, status: number, type: string, message: string) =>
  send(
    res,
    status,
    { Type: 'User', [status === 404 ? 'Message' : 'message']: message },
    { 'x-amzn-ErrorType': type },
  );

const TYPES = new Set(['RequestResponse', 'Event', 'DryRun']);

/** Answers a Lambda Invoke request; false when the request is not one (for the next handler). */
export const serveInvoke = async (
  functions: Map<string, LocalFunction>,
  at: { region: string; accountId: string },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> => {
  const match = req.method === 'POST' ? INVOKE.exec(req.url ?? '') : null;
  if (!match) return false;
  const name = functionNameOf(decodeURIComponent(match[1] ?? ''));
  const body = await readBody(req);
  const fn = functions.get(name);
  if (!fn) {
    const arn = `arn:aws:lambda:${at.region}:${at.accountId}:function:${name}`;
    userError(res, 404, 'ResourceNotFoundException', `Function not found: ${arn}`);
    return true;
  }
  let payload: unknown;
  try {
    payload = body === '' ? {} : JSON.parse(body);
  } catch {
    userError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
    return true;
  }
  const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  if (!TYPES.has(type)) {
    userError(res, 400, 'InvalidParameterValueException', `Unsupported invocation type: ${type}`);
    return true;
  }
  if (type === 'DryRun') {
    send(res, 204, undefined);
    return true;
  }
  const executed = { 'X-Amz-Executed-Version': '$LATEST' };
  if (type === 'Event') {
    // Lambda answers before the function runs; its failure is the function's own log's.
    void fn(payload).catch((error: unknown) => console.error(`local Lambda ${name} failed:`, error));
    send(res, 202, undefined);
    return true;
  }
  try {
    send(res, 200, (await fn(payload)) ?? null, executed);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    send(
      res,
      200,
      { errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') },
      { ...executed, 'X-Amz-Function-Error': 'Unhandled' },
    );
  }
  return true;
};
