// Named errors. `expose` says whether the message may be shown to the caller as is.
export class BatonError extends Error {
  readonly expose: boolean = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that breaks a rule: names the field and the rule. Never retried. */
export class ValidationError extends BatonError {
  constructor(readonly issues: readonly string[]) {
    super(issues.join('; '));
  }
}

export class ConfigError extends BatonError {
  constructor(readonly issues: readonly string[]) {
    super(`pipeline configuration is invalid: ${issues.join('; ')}`);
  }
}

/** A request that is well-formed but refers to something Baton does not know. */
export class NotFoundError extends BatonError {}

/** CodeDeploy allows one active deployment per group; the request must wait. */
export class GroupBusyError extends BatonError {}

/**
 * CodeDeploy may or may not have created the deployment: an attempt timed out or lost its answer, or a
 * retry was refused as busy (perhaps by the deployment the first attempt created). Only a look in
 * CodeDeploy tells.
 */
export class DeploymentOutcomeUnknownError extends BatonError {}

/** An error's class name for a log line: never its message, which may quote input or a secret. */
export const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'unknown error');
