// The audit's records: its report per deployment, the last VERIFIED deployment per environment (the
// fleet to compare with and the revision to roll back to), and CodeDeploy's state changes.

import type { ArtifactRef, CauseType } from '../ledger/records';
import type { Verdict } from './rules/gate';
import type { Reaudit } from './rules/reaudit';
import type { AuditReport } from './rules/verdict';

/** What follows a verdict, step by step; each done step says what happened. */
export type FollowUpStep = 'verdict' | 'verified' | 'rollback' | 'alert' | 'advance' | 'announce' | 'release';

export interface FollowUp {
  /** pending while some step has not run; a pending follow-up older than its lease is resumed. */
  state: 'pending' | 'done';
  claimedAt: string;
  done: Partial<Record<FollowUpStep, string>>;
  finishedAt?: string;
}

export interface AuditRecord {
  v: 1;
  kind: 'audit';
  deploymentId: string;
  codedeployApplication: string;
  deploymentGroup: string;
  application: string;
  environment: string;
  /** Absent for deployments Baton did not start (console, CodeDeploy's own rollbacks). */
  inLedger: boolean;
  release?: string;
  artifact?: ArtifactRef;
  cause?: CauseType;
  deploymentCreatedAt?: string;
  verdict: Verdict;
  trigger: string;
  auditedAt: string;
  report: AuditReport;
  followUp: FollowUp;
  /** The re-audits of an INCOMPLETE verdict: how many, when the next is due, or why they stopped. */
  reaudit?: Reaudit;
  /** Earlier audits of the same deployment (the operator's `audit`), oldest first. */
  history: { verdict: Verdict; trigger: string; auditedAt: string }[];
}

/** Reconcile's pointer to an INCOMPLETE verdict whose re-audit is scheduled. */
export interface IncompleteMark {
  v: 1;
  deploymentId: string;
  at: string;
  dueAt: string;
}

/** The newest VERIFIED deployment of an environment. */
export interface VerifiedDeployment {
  v: 1;
  kind: 'verified';
  deploymentId: string;
  application: string;
  environment: string;
  artifact: ArtifactRef;
  release?: string;
  /** Targets that had to have the revision: a later deployment with fewer is a shrinking fleet. */
  fleet: number;
  deploymentCreatedAt: string;
  verifiedAt: string;
}

export type { DeploymentState } from './rules/codedeploy-events';

import type { DeploymentState } from './rules/codedeploy-events';

/** A CodeDeploy state change as it arrived (the first delivery of each state is kept). */
export interface DeploymentStateRecord {
  v: 1;
  kind: 'deployment-state';
  deploymentId: string;
  codedeployApplication: string;
  deploymentGroup: string;
  state: DeploymentState;
  source: 'eventbridge' | 'sns';
  at: string;
  recordedAt: string;
}
