// The records Baton keeps in its ledger. Every record carries a schema version `v`.

import type { Verdict } from '../audit/rules/gate';
import type { CommitTime } from '../core/rules/commit-time';
import type { BakeStanding } from '../verification/rules/bake';

export interface ArtifactRef {
  bucket: string;
  key: string;
  versionId?: string;
  etag: string;
  commit: string;
  /** When the artifact was uploaded: carried with it, a lead time's last resort (see commit-time.ts). */
  uploadedAt?: string;
}

export interface ArtifactRecord extends ArtifactRef {
  v: 1;
  kind: 'artifact';
  application: string;
  branch?: string;
  size: number;
  checksum?: { algorithm: string; value: string };
  /** A Lambda artifact's AppSpec file as it reads (parsed and checked at upload): launches render it. */
  appSpec?: Record<string, unknown>;
  uploadedAt: string;
  recordedAt: string;
}

export type CauseType = 'branch' | 'release' | 'promotion' | 'operator' | 'rollback';

export interface Cause {
  type: CauseType;
  /** What caused it, for a person: "push to main", "release v1.2.0", "operator alice". */
  detail: string;
}

/** `done`: settled without a deployment, the environment serving the revision already (`note` says how). */
export type RequestState = 'pending' | 'queued' | 'started' | 'superseded' | 'done';

export interface DeploymentRequest {
  v: 1;
  kind: 'request';
  id: string;
  application: string;
  environment: string;
  deploymentGroup: string;
  artifact: ArtifactRef;
  cause: Cause;
  /** Release tag, when the request belongs to a release. */
  release?: string;
  /** The best time known for the artifact's commit when it was requested (lead time). */
  commitTime?: CommitTime;
  requestedAt: string;
  state: RequestState;
  deploymentId?: string;
  supersededBy?: string;
  /** Why it is still queued (for example: the group is busy outside Baton), or why it is done. */
  note?: string;
  updatedAt: string;
}

export interface DeploymentRecord {
  v: 1;
  kind: 'deployment';
  deploymentId: string;
  requestId: string;
  application: string;
  environment: string;
  deploymentGroup: string;
  artifact: ArtifactRef;
  cause: Cause;
  release?: string;
  /** The request's best time for the commit: the audit's lead time counts from it. */
  commitTime?: CommitTime;
  createdAt: string;
  /** Set by the audit: VERIFIED, PARTIAL, FAILED, INCOMPLETE. */
  verdict?: Verdict;
  /** Set by the audit where the environment bakes: a VERIFIED verdict passes the gate once this passed. */
  bake?: BakeStanding;
  /**
   * When the audit record whose verdict this is was written (its auditedAt): an older audit's
   * follow-up, resumed late, does not overwrite a newer verdict. Absent on records of older code.
   */
  verdictAt?: string;
  finishedAt?: string;
}

/** A request waiting for its busy group, under a key that sorts by its time. */
export interface QueueEntry {
  v: 1;
  requestId: string;
}

/** Held while a deployment group has an active deployment started by Baton. */
export interface GroupSlot {
  v: 1;
  requestId: string;
  deploymentId?: string;
  takenAt: string;
  /**
   * The request itself, while its record is not written yet: a launch taken on the fast path writes
   * the request once it started, and reconcile finds a launch that stopped half-way by its slot.
   */
  request?: DeploymentRequest;
}

/** The latest request started in an environment: queued requests older than it are superseded. */
export interface EnvironmentHead {
  v: 1;
  requestId: string;
  requestedAt: string;
  deploymentId: string;
  /**
   * The release that started here last, carried past deployments of no release (an operator's, a
   * branch's): an older release never enters after a newer one, whatever came in between.
   */
  release?: string;
}

export interface Rejection {
  v: 1;
  kind: 'rejected';
  source: string;
  reason: string;
  object?: { bucket: string; key: string; versionId?: string };
  at: string;
}

/** An operator's stop of a deployment, written before StopDeployment is called. */
export interface StopRecord {
  v: 1;
  kind: 'stop';
  deploymentId: string;
  application: string;
  environment: string;
  release?: string;
  by: string;
  reason: string;
  /** CodeDeploy's own rollback to the group's last successful revision. */
  autoRollback: boolean;
  at: string;
}
