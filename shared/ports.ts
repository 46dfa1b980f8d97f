// The small interfaces the use cases call; adapters implement them on AWS (or in memory for tests).
import type { ArtifactObject, BundleType } from './domain/artifact';
import type { RecordStore } from './ledger/store';

export interface CreateDeploymentInput {
  codedeployApplication: string;
  deploymentGroup: string;
  bucket: string;
  key: string;
  bundleType: BundleType;
  etag: string;
  versionId?: string;
  description: string;
}

export interface Deployer {
  /** Starts a deployment; throws GroupBusyError when the group already has an active one. */
  createDeployment(input: CreateDeploymentInput): Promise<string>;
}

export interface ArtifactStore {
  /** Facts about one object version: ETag, size, checksum, metadata. Undefined if it is gone. */
  describe(bucket: string, key: string, versionId?: string): Promise<ArtifactObject | undefined>;
}

export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Core {
  store: RecordStore;
  clock: Clock;
  log: Log;
}

export interface Notice {
  subject: string;
  message: string;
  /** SNS message attributes (String type), e.g. for subscription filter policies. */
  attributes?: Record<string, string>;
}

export interface Notifier {
  /** Publishes to a topic; returns the message id. */
  publish(topicArn: string, notice: Notice): Promise<string>;
}
