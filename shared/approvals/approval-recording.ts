// Recording a decision on an approval, and nothing more: the first decision per approver (or operator
// slot) stands. Acting on it (closing, alerting, moving the release) is settle()'s, in
// approval-decisions.ts, run by whoever is allowed to: the approval-decided function (from the
// recorded decision's S3 event), the operator, and the reconcile sweep.

import type { Core } from '../core/ports';
import { NotFoundError, ValidationError } from '../core/rules/errors';
import {
  type ApprovalDecision,
  type ApprovalRecord,
  approvalById,
  type Decision,
  type DecisionSource,
  decisionOf,
  recordDecision,
} from './records';
import { effectiveState } from './rules/approval-state';

export interface DecideInput {
  approvalId: string;
  /** The approver's address (link) or the operator's verified identity (operator). */
  approver: string;
  decision: Decision;
  comment?: string;
  via: DecisionSource;
  /** An operator decision that settles the approval alone. */
  forced?: boolean;
  note?: string;
  sourceIp?: string;
  userAgent?: string;
}

/** `approval` is the record as read before the decision: its state is not the decision's effect. */
export type DecideOutcome =
  | { outcome: 'recorded'; decision: ApprovalDecision; approval: ApprovalRecord }
  | { outcome: 'already-decided'; decision: ApprovalDecision; approval: ApprovalRecord }
  | { outcome: 'closed'; approval: ApprovalRecord };

export const isApprover = (r: ApprovalRecord, who: string) =>
  r.approvers.some((a) => a.toLowerCase() === who.toLowerCase());

export const recordApprovalDecision = async (deps: Core, input: DecideInput): Promise<DecideOutcome> => {
  const found = await approvalById(deps.store, input.approvalId);
  if (!found) throw new NotFoundError(`no approval with id ${input.approvalId}`);
  const approval = found.record;
  if (input.via === 'link' && !isApprover(approval, input.approver))
    throw new ValidationError(['approver: not an approver of this approval']);
  const earlier =
    input.via === 'link' ? await decisionOf(deps.store, approval.id, input.approver) : undefined;
  if (earlier) return { outcome: 'already-decided', decision: earlier, approval };
  if (effectiveState(approval, deps.clock.now()) !== 'pending') return { outcome: 'closed', approval };
  const comment = input.comment?.trim();
  const { created, decision } = await recordDecision(deps.store, {
    v: 1,
    kind: 'approval-decision',
    approvalId: approval.id,
    approver: input.approver,
    decision: input.decision,
    ...(comment ? { comment } : {}),
    at: deps.clock.now().toISOString(),
    via: input.via,
    ...(input.via === 'operator' ? { forced: input.forced === true } : {}),
    ...(input.note ? { note: input.note } : {}),
    ...(input.sourceIp ? { sourceIp: input.sourceIp } : {}),
    ...(input.userAgent ? { userAgent: input.userAgent } : {}),
  });
  deps.log.info('approval decision', {
    approvalId: approval.id,
    decision: decision.decision,
    via: decision.via,
    created,
  });
  return { outcome: created ? 'recorded' : 'already-decided', decision, approval };
};
