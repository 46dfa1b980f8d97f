// The local stack (`npm start -- --keep`): its stack file gives the environment the functions read; the
// operator then runs in this process, unchanged, against the stack's moto and local CodeDeploy, called as
// its function URL would be by the local operator (local/operator-url.ts).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod/mini';
import { localOperatorEvent } from '../../local/operator-url';
import { LOCAL_ACCOUNT } from '../../local/secrets-url';
import { DEFAULT_STACK_FILE, readStackFile } from '../../local/stack-file';
import { OperatorFailedError, systemCode, UnreachableError } from '../errors';
import type { Answer } from './answer';

export { DEFAULT_STACK_FILE };

const START = 'start it with `npm start -- --keep`';

const stackFileSchema = z.looseObject({
  env: z.record(z.string(), z.string()),
  pid: z.number(),
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return systemCode(error) === 'EPERM';
  }
};

const readStack = (path: string) => {
  if (!existsSync(path))
    throw new UnreachableError(`no local stack file at ${path}: ${START}, or pass --stage <stage>`);
  let file: unknown;
  try {
    file = readStackFile(path);
  } catch (error) {
    throw new UnreachableError(`cannot read the stack file ${path}: ${START} again`, { cause: error });
  }
  const parsed = stackFileSchema.safeParse(file);
  if (!parsed.success)
    throw new UnreachableError(`${path} is not a stack file of \`npm start -- --keep\`: ${START} again`);
  return parsed.data;
};

export const invokeLocal = async (
  event: Record<string, unknown>,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Answer> => {
  const path = resolve(file);
  const stack = readStack(path);
  if (!alive(stack.pid))
    throw new UnreachableError(
      `the local stack is not running (its process ${stack.pid} has exited): ${START}`,
    );
  Object.assign(process.env, stack.env, {
    // Function logs and metrics go to stdout, where they would break the table and --json.
    POWERTOOLS_LOG_LEVEL: process.env.BATON_LOG_LEVEL ?? 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  try {
    // Imported only now: their SDK clients read the endpoints from the environment when loaded.
    const { operatorDeps } = await import('../../shared/wiring/operator');
    const { invokeOperator } = await import('../../shared/operator/invoke');
    return await invokeOperator(operatorDeps(LOCAL_ACCOUNT), localOperatorEvent(event, env));
  } catch (error) {
    if (systemCode(error) === 'ECONNREFUSED')
      throw new UnreachableError(`the local stack is not running (connection refused): ${START}`, {
        cause: error,
      });
    const name = error instanceof Error ? error.name : 'error';
    throw new OperatorFailedError(
      `the operator failed: ${name}: ${error instanceof Error ? error.message : ''}`,
    );
  }
};
