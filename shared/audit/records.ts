// The audit's records: its report per deployment, the last VERIFIED deployment per environment (the
// fleet to compare with and the revision to roll back to), and CodeDeploy's state changes.

import * as z from 'zod/mini';
import { auditKeys } from '../ledger/keys';
import type { ArtifactRef, CauseType } from '../ledger/records';
import { typedRecords } from '../ledger/repository';
import { artifactRefSchema, causeTypeSchema } from '../ledger/schemas';
import type { RecordStore } from '../ledger/store';
import { type Bake, bakeSchema } from '../verification/records';
import type { FailingSince } from './rules/delivery';
import { VERDICTS, type Verdict } from './rules/gate';
import type { Reaudit } from './rules/reaudit';
import type { AuditExpectation, AuditReport, Counts, FailingTarget, TargetCell } from './rules/verdict';

/** What follows a verdict, step by step; each done step says what happened. */
export const FOLLOW_UP_STEPS = [
  'verdict',
  'verified',
  'rollback',
  'alert',
  'advance',
  'announce',
  'release',
] as const;
export type FollowUpStep = (typeof FOLLOW_UP_STEPS)[number];

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
  /** The bake after a VERIFIED audit, where the environment has `verify` (verification/). */
  bake?: Bake;
  /** Earlier audits of the same deployment (the operator's `audit`), oldest first. */
  history: { verdict: Verdict; trigger: string; auditedAt: string }[];
}

const optionalText = z.optional(z.string());
const verdictSchema = z.enum(VERDICTS);
// The report's parts come from the audit's own rules; a record checks that each part is there.
const part = <T>() => z.custom<T>((value) => typeof value === 'object' && value !== null);

const reportSchema: z.ZodMiniType<AuditReport> = z.looseObject({
  v: z.literal(1),
  deploymentId: z.string(),
  verdict: verdictSchema,
  reasons: z.array(z.string()),
  counts: part<Counts>(),
  failing: z.array(part<FailingTarget>()),
  targets: z.optional(z.array(part<TargetCell>())),
  expectation: part<AuditExpectation>(),
  codedeploy: z.optional(part<NonNullable<AuditReport['codedeploy']>>()),
  stop: z.optional(z.looseObject({ by: z.string(), reason: z.string(), autoRollback: z.boolean() })),
  // Reports recorded before the audit read Lambda aliases have none.
  aliasNow: z.optional(
    z.looseObject({
      functionName: z.string(),
      alias: z.string(),
      functionVersion: z.string(),
      additionalVersionWeights: z.record(z.string(), z.number()),
    }),
  ),
  aliasSkipped: z.optional(z.string()),
  unreadable: z.array(z.string()),
});

export const auditRecordSchema: z.ZodMiniType<AuditRecord> = z.looseObject({
  v: z.literal(1),
  kind: z.literal('audit'),
  deploymentId: z.string(),
  codedeployApplication: z.string(),
  deploymentGroup: z.string(),
  application: z.string(),
  environment: z.string(),
  inLedger: z.boolean(),
  release: optionalText,
  artifact: z.optional(artifactRefSchema),
  cause: z.optional(causeTypeSchema),
  deploymentCreatedAt: optionalText,
  verdict: verdictSchema,
  trigger: z.string(),
  auditedAt: z.string(),
  report: reportSchema,
  followUp: z.looseObject({
    state: z.enum(['pending', 'done']),
    claimedAt: z.string(),
    done: z.partialRecord(z.enum(FOLLOW_UP_STEPS), z.string()),
    finishedAt: optionalText,
  }),
  reaudit: z.optional(
    z.looseObject({
      since: z.string(),
      attempts: z.number(),
      nextDueAt: optionalText,
      gaveUpAt: optionalText,
      resolvedAt: optionalText,
    }),
  ),
  bake: z.optional(bakeSchema),
  history: z.array(z.looseObject({ verdict: verdictSchema, trigger: z.string(), auditedAt: z.string() })),
});

export const verifiedDeploymentSchema: z.ZodMiniType<VerifiedDeployment> = z.looseObject({
  v: z.literal(1),
  kind: z.literal('verified'),
  deploymentId: z.string(),
  application: z.string(),
  environment: z.string(),
  artifact: artifactRefSchema,
  release: optionalText,
  fleet: z.number(),
  deploymentCreatedAt: z.string(),
  verifiedAt: z.string(),
  failingSince: z.optional(z.looseObject({ deploymentId: z.string(), at: z.string() })),
});

/** The newest VERIFIED deployment, by application and environment. */
export const verifiedRecords = (store: RecordStore) =>
  typedRecords(store, verifiedDeploymentSchema, auditKeys.verified);

/** Audit reports, by CodeDeploy deployment id. */
export const auditRecords = (store: RecordStore) => typedRecords(store, auditRecordSchema, auditKeys.audit);

/** Reconcile's pointer to an INCOMPLETE verdict whose re-audit is scheduled. */
export interface IncompleteMark {
  v: 1;
  deploymentId: string;
  at: string;
  dueAt: string;
}

export const incompleteMarkSchema: z.ZodMiniType<IncompleteMark> = z.looseObject({
  v: z.literal(1),
  deploymentId: z.string(),
  at: z.string(),
  dueAt: z.string(),
});

/** INCOMPLETE verdicts waiting for their re-audit, by CodeDeploy deployment id. */
export const incompleteRecords = (store: RecordStore) =>
  typedRecords(store, incompleteMarkSchema, auditKeys.incomplete);

/** Reconcile's pointer to an audit whose follow-up is unfinished, with when it was claimed. */
export interface FollowUpMark {
  v: 1;
  deploymentId: string;
  claimedAt: string;
}

export const followUpMarkSchema: z.ZodMiniType<FollowUpMark> = z.looseObject({
  v: z.literal(1),
  deploymentId: z.string(),
  claimedAt: z.string(),
});

/** Unfinished follow-ups, by CodeDeploy deployment id. */
export const followUpMarkRecords = (store: RecordStore) =>
  typedRecords(store, followUpMarkSchema, auditKeys.openFollowUp);

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
  /**
   * The first verdict that was not VERIFIED since this one (records written before it was kept have
   * none): the next VERIFIED deployment drops it and counts the time to restore from it.
   */
  failingSince?: FailingSince;
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
