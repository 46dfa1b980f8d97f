// The small interfaces the use cases call; adapters implement them on AWS (or in memory for tests).

import type { ApprovalState } from '../approvals/rules/approval-state';
import type { ArtifactObject, BundleType } from '../artifacts/rules/artifact';
import type { Verdict } from '../audit/rules/gate';
import type { AliasRoute } from '../deployments/rules/lambda-alias';
import type { ArtifactRef } from '../ledger/records';
import type { RecordStore } from '../ledger/store';
import type { BakeStanding } from '../verification/rules/bake';

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

export interface FoundDeployment {
  deploymentId: string;
  /** CodeDeploy's status: Created, Queued, InProgress, Baking, Ready, Succeeded, Failed, Stopped. */
  status: string;
  createdAt?: string;
}

export interface DeploymentQuery {
  codedeployApplication: string;
  deploymentGroup: string;
  /** Text the deployment's description contains (Baton's descriptions name their request). */
  marker: string;
  since: Date;
}

export interface Deployer {
  /**
   * Starts a deployment; throws GroupBusyError when the group already has an active one, and
   * DeploymentOutcomeUnknownError when CodeDeploy may or may not have created it.
   */
  createDeployment(input: CreateDeploymentInput): Promise<string>;
}

export interface StopResult {
  /** StopDeployment's answer: Pending or Succeeded. */
  status: string;
  message?: string;
}

export interface DeploymentStopper {
  /**
   * StopDeployment, with CodeDeploy's own rollback if asked. Throws NotFoundError for a deployment
   * CodeDeploy does not know, DeploymentFinishedError for one that has already finished.
   */
  stop(deploymentId: string, autoRollback: boolean): Promise<StopResult>;
}

/** Reconcile's look-up after a launch with an unknown outcome. */
export interface DeploymentLookup {
  /** The group's deployment whose description holds `marker`, created since `since`, if any. */
  find(query: DeploymentQuery): Promise<FoundDeployment | undefined>;
}

export interface ArtifactStore {
  /** Facts about one object version: ETag, size, checksum, metadata. Undefined if it is gone. */
  describe(bucket: string, key: string, versionId?: string): Promise<ArtifactObject | undefined>;
  /** One object version's body as text (an AppSpec file). Undefined if it is gone. */
  read(bucket: string, key: string, versionId?: string): Promise<string | undefined>;
}

/** What GetAlias says of an alias (its shape lives with the rule that judges it). */
export type AliasRouting = AliasRoute;

export interface LambdaAliases {
  /** Where a function's alias points now (GetAlias). */
  routing(functionName: string, alias: string): Promise<AliasRouting>;
}

/** Where a written revision lies, as CreateDeployment's S3 location names it. */
export interface StoredRevision {
  bucket: string;
  key: string;
  etag: string;
  versionId?: string;
}

export interface RevisionStore {
  /** Writes a revision CodeDeploy reads (JSON), with metadata naming what it was made from. */
  put(key: string, body: string, metadata: Record<string, string>): Promise<StoredRevision>;
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

// Contracts between the release flow (promotion), the audit and the approvals.

export interface ApprovalRequestInput {
  application: string;
  /** The release tag, e.g. v1.2.0. */
  release: string;
  commit: string;
  artifact: ArtifactRef;
  /** The environment the release would enter once approved. */
  environment: string;
  /** The environment it leaves, whose audit verdict the approvers see. */
  fromEnvironment: string;
  fromDeploymentId: string;
  /** When the release was pushed: a pending approval of an older release for the same environment is superseded. */
  pushedAt?: string;
  /** The audit record of `fromDeploymentId` when the caller holds it: the approvers' summary is read from it. */
  fromAudit?: unknown;
}

export interface Approvals {
  /** Creates the approval once (however often it is asked) and sends the requests. */
  request(input: ApprovalRequestInput): Promise<void>;
  /** The approval's state for a release entering an environment; undefined if never requested. */
  state(application: string, release: string, environment: string): Promise<ApprovalState | undefined>;
}

/** A verdict its caller (the audit) has just recorded: the release flow takes it as read. */
export interface VerdictSeen {
  environment: string;
  requestId: string;
  deploymentId: string;
  verdict: Verdict;
  /** The bake of that verdict, where the environment has one (verification/rules/bake.ts). */
  bake?: BakeStanding;
  /** The audit record as written. */
  audit: unknown;
}

export interface ReleaseFlow {
  /** Re-reads a release's facts and takes its next step (deploy, ask approval, wait, done, blocked). */
  advance(application: string, release: string, trigger: string, seen?: VerdictSeen): Promise<void>;
}
