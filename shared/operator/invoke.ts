// A manual invocation: validate the command, run it, and answer with a result or a clear error.
import { BatonError, errorName } from '../domain/errors';
import { parseWith } from '../schemas/parse';
import { type OperatorDeps, operatorCommandSchema, runCommand } from './commands';

export type OperatorResponse = { ok: true; result: unknown } | { ok: false; error: string; kind: string };

export const COMMANDS = operatorCommandSchema.def.options.map((o) => o.shape.command.def.values[0]);

export const invokeOperator = async (deps: OperatorDeps, event: unknown): Promise<OperatorResponse> => {
  try {
    const cmd = parseWith(operatorCommandSchema, event);
    return { ok: true, result: await runCommand(deps, cmd) };
  } catch (error) {
    if (error instanceof BatonError && error.expose) {
      const hint = error.message.startsWith('command:') ? ` (commands: ${COMMANDS.join(', ')})` : '';
      return { ok: false, kind: error.name, error: error.message + hint };
    }
    deps.log.error('operator command failed', { error: errorName(error) });
    throw error;
  }
};
