// What the CLI tells its caller when a command did not run to a result, and with which exit code.
import { BatonError } from '../shared/core/rules/errors';
import { nearest } from '../shared/core/rules/suggest';

/** Exit codes, for scripts: 0 ok, 1 the operator refused or failed, 2 usage, 3 the target was not reached. */
export const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const;

export class CliError extends BatonError {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The command line itself is wrong; the message says how to fix it. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose --help to point at, when known. */
    readonly command?: string,
  ) {
    super(message, EXIT.usage);
  }
}

/** The operator could not be asked (no stack, no function, no permission, no network). */
export class UnreachableError extends CliError {
  override readonly name = 'UnreachableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.unreachable, options);
  }
}

/** The operator ran but failed without an answer (an unhandled error in the function). */
export class OperatorFailedError extends CliError {
  override readonly name = 'OperatorFailedError';
  constructor(message: string) {
    super(message, EXIT.refused);
  }
}

/** Node's system error code (ECONNREFUSED, ENOTFOUND…) anywhere in an error's cause chain. */
export const systemCode = (error: unknown): string | undefined => {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; depth += 1) {
    const code = 'code' in e ? e.code : undefined;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    e = e.cause;
  }
  return undefined;
};

/** ": did you mean --app?" when a known name is near the typed one, otherwise nothing. */
export const didYouMean = (
  typed: string,
  known: readonly string[],
  show: (name: string) => string,
): string => {
  const near = nearest(typed, known);
  return near ? `: did you mean ${show(near)}?` : '';
};
