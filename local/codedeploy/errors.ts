// Service errors of the stand-in: sent as HTTP 400 with the AWS exception name in `__type`.

export class CodeDeployError extends Error {
  override readonly name = 'CodeDeployError';
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A function declaration, so that TypeScript knows code after a call is unreachable. */
export function fail(type: string, message: string): never {
  throw new CodeDeployError(type, message);
}
