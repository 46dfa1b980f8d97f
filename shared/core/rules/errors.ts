// Named errors. `expose` says whether the message may be shown to the caller as is.
// Each class names itself: the bundles are minified, so a class's own name does not survive, and the
// operator's `kind`, the CLI's exit codes and the logs read `name`.
export class BatonError extends Error {
  override readonly name: string = 'BatonError';
  readonly expose: boolean = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
  /** What a caller is answered with (`kind`): the error's own name, unless it relays another function's. */
  get kind(): string {
    return this.name;
  }
}

/** Input that breaks a rule: names the field and the rule. Never retried. */
export class ValidationError extends BatonError {
  override readonly name: string = 'ValidationError';
  constructor(readonly issues: readonly string[]) {
    super(issues.join('; '));
  }
}

/** What a refusal that names something configured in pipeline.yml tells a person (an alert). */
export interface ConfiguredCause {
  rule: string;
  application: string;
  environment?: string;
  owner: string;
  subject: string;
}

/**
 * A refusal of something pipeline.yml configures (an application's artifact, say): recorded like any
 * ValidationError, and also alerted, once per cause, by whoever answers it (parse-or-refuse).
 */
export class ConfiguredRefusalError extends ValidationError {
  override readonly name = 'ConfiguredRefusalError';
  constructor(
    issues: readonly string[],
    readonly refusal: ConfiguredCause,
  ) {
    super(issues);
  }
}

export class ConfigError extends BatonError {
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly string[]) {
    super(`pipeline configuration is invalid: ${issues.join('; ')}`);
  }
}

/** A request that is well-formed but refers to something Baton does not know. */
export class NotFoundError extends BatonError {
  override readonly name = 'NotFoundError';
}

/** CodeDeploy allows one active deployment per group; the request must wait. */
export class GroupBusyError extends BatonError {
  override readonly name = 'GroupBusyError';
}

/**
 * CodeDeploy may or may not have created the deployment: an attempt timed out or lost its answer, or a
 * retry was refused as busy (perhaps by the deployment the first attempt created). Only a look in
 * CodeDeploy tells.
 */
export class DeploymentOutcomeUnknownError extends BatonError {
  override readonly name = 'DeploymentOutcomeUnknownError';
}

/** The deployment has already finished: there is nothing to stop. */
export class DeploymentFinishedError extends BatonError {
  override readonly name = 'DeploymentFinishedError';
}

/** An error's class name for a log line: never its message, which may quote input or a secret. */
export const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'unknown error');
