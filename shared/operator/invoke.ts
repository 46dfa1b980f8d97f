// A manual invocation (the operator URL, or a console test event): who is calling, the command
// validated, whether the caller may run it, then the command; a result or a clear error.
import { AuditFunctionError } from '../audit/ports';
import { BatonError, errorName } from '../core/rules/errors';
import { parseWith } from '../core/rules/parse';
import { type OperatorDeps, operatorCommandSchema, runCommand } from './commands';
import { authorize } from './permissions';
import { isUrlEvent, readOperatorRequest } from './request';

export type OperatorResponse = { ok: true; result: unknown } | { ok: false; error: string; kind: string };

export const COMMANDS = operatorCommandSchema.def.options.map((o) => o.shape.command.def.values[0]);

export const invokeOperator = async (deps: OperatorDeps, event: unknown): Promise<OperatorResponse> => {
  try {
    const request = readOperatorRequest(event);
    const cmd = parseWith(operatorCommandSchema, request.command);
    authorize(deps.pipeline.operators, request.actor, deps.functionAccount, cmd);
    return { ok: true, result: await runCommand(deps, cmd, request.actor) };
  } catch (error) {
    if (error instanceof BatonError && error.expose) {
      const hint = error.message.startsWith('command:') ? ` (commands: ${COMMANDS.join(', ')})` : '';
      return { ok: false, kind: error.kind, error: error.message + hint };
    }
    // deployment-finished's own failure: its log holds the cause, and this line says where to look.
    const where = error instanceof AuditFunctionError ? { detail: error.message } : {};
    deps.log.error('operator command failed', { error: errorName(error), ...where });
    throw error;
  }
};

// `kind` is the error's own `name`: a class's name does not survive minifying (see BatonError).
const statusOf = (answer: OperatorResponse): number => {
  if (answer.ok) return 200;
  if (answer.kind === 'PermissionRefusedError') return 403;
  return answer.kind === 'UnsignedRequestError' ? 401 : 400;
};

/** What the handler returns: the answer itself, or for the function URL an HTTP response carrying it. */
export const answerEvent = async (deps: OperatorDeps, event: unknown) => {
  const answer = await invokeOperator(deps, event);
  if (!isUrlEvent(event)) return answer;
  return {
    statusCode: statusOf(answer),
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(answer),
  };
};
