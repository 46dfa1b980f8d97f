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

export const fail = (type: string, message: string): never => {
  throw new CodeDeployError(type, message);
};
