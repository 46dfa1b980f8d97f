// The ports of the secrets broker: what it asks CodeDeploy about a deployment and its targets, and
// how it reads a secret; and what secrets-check reads instead of values. Adapters:
// adapters/codedeploy-targets.ts, adapters/secret-values.ts, adapters/secret-metadata.ts.
import { BatonError } from '../core/rules/errors';

export interface SecretsDeploymentFacts {
  deploymentId: string;
  codedeployApplication: string;
  deploymentGroup: string;
  /** CodeDeploy's deployment status: Created, Queued, InProgress, Baking, Ready, Succeeded, Failed, Stopped. */
  status: string;
}

export interface TargetFacts {
  targetId: string;
  /** CodeDeploy's target status: Pending, InProgress, Succeeded, Failed, Skipped, Unknown, Ready. */
  status: string;
}

export interface DeploymentTargets {
  /** Undefined when CodeDeploy knows no such deployment. */
  deployment(deploymentId: string): Promise<SecretsDeploymentFacts | undefined>;
  /** Undefined when the instance is not a target of the deployment. */
  target(deploymentId: string, targetId: string): Promise<TargetFacts | undefined>;
}

/** One version of a secret, read in one call, so the version recorded is the version handed out. */
export interface SecretValue {
  arn: string;
  versionId: string;
  /** SecretString, or the bytes of SecretBinary. */
  value: string | Uint8Array;
}

export interface SecretValues {
  /** The current version; undefined when the secret does not exist. `fresh` skips the cache. */
  read(secretId: string, options?: { fresh?: boolean }): Promise<SecretValue | undefined>;
}

/** What Secrets Manager says about a secret without reading its value (DescribeSecret). */
export interface SecretFacts {
  arn: string;
  /** Each version's id and its staging labels (AWSCURRENT, AWSPREVIOUS, AWSPENDING, custom ones). */
  versions: { versionId: string; stages: string[] }[];
  lastChangedAt?: string;
  /** Set when the secret is scheduled for deletion. */
  deletedAt?: string;
}

export interface SecretMetadata {
  /** Undefined when the secret does not exist. Never reads a value. */
  describe(secretId: string): Promise<SecretFacts | undefined>;
}

/** Reading a secret failed for a reason other than its absence (throttling, access, KMS). */
export class SecretReadError extends BatonError {
  /** Names the secret and quotes Secrets Manager: not for a caller. */
  override readonly expose = false;
  override readonly name = 'SecretReadError';
  /** Throttling, 5xx, timeouts, broken connections: the same request may well succeed later. */
  readonly transient: boolean;
  constructor(
    readonly secretId: string,
    readonly reason: string,
    options?: { cause?: unknown; transient?: boolean },
  ) {
    super(`secret ${secretId} could not be read (${reason})`, options);
    this.transient = options?.transient ?? false;
  }
}
