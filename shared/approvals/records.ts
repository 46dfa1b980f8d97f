// Approval records in the ledger: one per (release, environment), created once; one decision per
// approver, created once (the first decision wins); an index by id for links and operator commands,
// and an "open" marker that stays until the outcome has been handed to the release flow.

import * as z from 'zod/mini';
import type { ApprovalRequestInput } from '../core/ports';
import { stableId } from '../core/rules/ids';
import { approvalKeys } from '../ledger/keys';
import { typedRecords } from '../ledger/repository';
import { artifactRefSchema } from '../ledger/schemas';
import type { RecordStore, Stored } from '../ledger/store';
import type { ApprovalState } from './rules/approval-state';

export type Decision = 'approve' | 'reject';
export type DecisionSource = 'link' | 'operator';

/** The request as the release flow made it, and what Baton added: who decides, by when, and how it went. */
export interface ApprovalRecord extends ApprovalRequestInput {
  v: 1;
  kind: 'approval';
  id: string;
  approvers: string[];
  required: number;
  requestedAt: string;
  expiresAt: string;
  state: ApprovalState;
  /** When the approvers' messages went out. */
  notifiedAt?: string;
  /** When the state left pending, and why, for a person. */
  closedAt?: string;
  outcome?: string;
  /** When the outcome reached the release flow (and the alert topic, for a rejection or expiry). */
  handedOffAt?: string;
}

const optionalText = z.optional(z.string());

export const approvalRecordSchema: z.ZodMiniType<ApprovalRecord> = z.looseObject({
  v: z.literal(1),
  kind: z.literal('approval'),
  id: z.string(),
  application: z.string(),
  release: z.string(),
  commit: z.string(),
  artifact: artifactRefSchema,
  environment: z.string(),
  fromEnvironment: z.string(),
  fromDeploymentId: z.string(),
  pushedAt: optionalText,
  approvers: z.array(z.string()),
  required: z.number(),
  requestedAt: z.string(),
  expiresAt: z.string(),
  state: z.enum(['pending', 'approved', 'rejected', 'expired', 'superseded']),
  notifiedAt: optionalText,
  closedAt: optionalText,
  outcome: optionalText,
  handedOffAt: optionalText,
});

export const approvalDecisionSchema: z.ZodMiniType<ApprovalDecision> = z.looseObject({
  v: z.literal(1),
  kind: z.literal('approval-decision'),
  approvalId: z.string(),
  approver: z.string(),
  decision: z.enum(['approve', 'reject']),
  comment: optionalText,
  at: z.string(),
  via: z.enum(['link', 'operator']),
  forced: z.optional(z.boolean()),
  note: optionalText,
  sourceIp: optionalText,
  userAgent: optionalText,
});

/** One decision per approver slot, by approval id and slot. */
export const decisionRecords = (store: RecordStore) =>
  typedRecords(store, approvalDecisionSchema, approvalKeys.decision);

/** Approvals, by application, release and environment. */
export const approvalRecords = (store: RecordStore) =>
  typedRecords(store, approvalRecordSchema, approvalKeys.approval);

export interface ApprovalDecision {
  v: 1;
  kind: 'approval-decision';
  approvalId: string;
  /** The approver's address, or the operator's verified identity (an IAM ARN) for an operator decision. */
  approver: string;
  decision: Decision;
  comment?: string;
  at: string;
  via: DecisionSource;
  /**
   * An operator decision that settles the approval alone (force). False: it counts as one approval of
   * its identity. Absent on records written before the distinction: those were decisive.
   */
  forced?: boolean;
  /** Text typed with an operator command: never the identity. */
  note?: string;
  sourceIp?: string;
  userAgent?: string;
}

/** Where an approval lives, found from its id. */
export interface ApprovalLocator {
  v: 1;
  application: string;
  release: string;
  environment: string;
}

export const approvalLocatorSchema: z.ZodMiniType<ApprovalLocator> = z.looseObject({
  v: z.literal(1),
  application: z.string(),
  release: z.string(),
  environment: z.string(),
});

/** Where each approval lives, by approval id. */
export const locatorRecords = (store: RecordStore) =>
  typedRecords(store, approvalLocatorSchema, approvalKeys.byId);

/** The open markers (a locator each), by approval id, until the outcome is handed to the release. */
export const openMarkerRecords = (store: RecordStore) =>
  typedRecords(store, approvalLocatorSchema, approvalKeys.open);

// A forced operator decision is decisive on its own, so it has one slot per approval; an unforced one
// has a slot per operator identity, so one identity counts once.
const OPERATOR_SLOT = 'operator';

export const isDecisive = (d: Pick<ApprovalDecision, 'via' | 'forced'>) =>
  d.via === 'operator' && d.forced !== false;

export const approvalIdFor = (application: string, release: string, environment: string): string =>
  stableId('approval', application, release, environment);

const locatorOf = (r: ApprovalRecord): ApprovalLocator => ({
  v: 1,
  application: r.application,
  release: r.release,
  environment: r.environment,
});

/** Creates the approval unless it exists (If-None-Match): its ETag when this call created it, else false. */
export const createApproval = (store: RecordStore, record: ApprovalRecord): Promise<string | false> =>
  store.create(approvalKeys.approval(record.application, record.release, record.environment), record);

/** The id index (for links and operator commands) and the open marker (for the reconcile sweep). */
export const indexApproval = async (store: RecordStore, record: ApprovalRecord): Promise<void> => {
  await Promise.all([
    locatorRecords(store).create(approvalKeys.byId(record.id), locatorOf(record)),
    openMarkerRecords(store).create(approvalKeys.open(record.id), locatorOf(record)),
  ]);
};

export const approvalAt = (store: RecordStore, app: string, release: string, env: string) =>
  approvalRecords(store).get(app, release, env);

export const approvalById = async (
  store: RecordStore,
  id: string,
): Promise<Stored<ApprovalRecord> | undefined> => {
  const locator = await locatorRecords(store).get(id);
  if (!locator) return undefined;
  const { application, release, environment } = locator.record;
  const found = await approvalAt(store, application, release, environment);
  return found?.record.id === id ? found : undefined;
};

export const decisionSlot = (d: Pick<ApprovalDecision, 'approver' | 'via' | 'forced'>) =>
  isDecisive(d)
    ? OPERATOR_SLOT
    : d.via === 'operator'
      ? `${OPERATOR_SLOT}:${d.approver.toLowerCase()}`
      : d.approver.toLowerCase();

/** Records a decision unless this approver already decided; returns the one that stands. */
export const recordDecision = async (
  store: RecordStore,
  decision: ApprovalDecision,
): Promise<{ created: boolean; decision: ApprovalDecision }> => {
  const key = approvalKeys.decision(decision.approvalId, decisionSlot(decision));
  if (await store.create(key, decision)) return { created: true, decision };
  const existing = await decisionRecords(store).at(key);
  return { created: false, decision: existing?.record ?? decision };
};

export const decisionOf = async (store: RecordStore, approvalId: string, approver: string) =>
  (await decisionRecords(store).get(approvalId, approver.toLowerCase()))?.record;

export const decisionsOf = async (store: RecordStore, approvalId: string): Promise<ApprovalDecision[]> => {
  const found = await Promise.all(
    (await store.list(approvalKeys.decisions(approvalId))).map((k) => decisionRecords(store).at(k)),
  );
  return found.flatMap((f) => (f ? [f.record] : [])).sort((a, b) => a.at.localeCompare(b.at));
};

/** Ids of approvals still open (pending, or closed but not yet handed to the release flow). */
export const openApprovalIds = async (store: RecordStore): Promise<string[]> =>
  (await store.list(approvalKeys.opens())).map((k) => approvalKeys.openId(k));

export const closeOpenMarker = (store: RecordStore, id: string) => store.delete(approvalKeys.open(id));
