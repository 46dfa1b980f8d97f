// Settling an approval from its recorded decisions (approval-recording.ts records them): when enough
// distinct approvers approved (an operator's unforced decision counts as one, of its identity), or one
// rejected, or an operator forced a decision, or it expired, the approval closes and the outcome is
// handed to the release flow (and, for a rejection or expiry, to the alert topic). Whoever closes it
// hands it off; the reconcile sweep settles what no event settled and repeats an unfinished hand-off.

import type { Core, Notifier, ReleaseFlow } from '../core/ports';
import { errorName } from '../core/rules/errors';
import { approvalKeys } from '../ledger/keys';
import { closedNotice, decisionText } from './approval-message';
import {
  type DecideInput,
  type DecideOutcome,
  isApprover,
  recordApprovalDecision,
} from './approval-recording';
import {
  type ApprovalDecision,
  type ApprovalRecord,
  approvalById,
  approvalRecords,
  closeOpenMarker,
  decisionsOf,
  isDecisive,
  openApprovalIds,
} from './records';
import { type ApprovalState, effectiveState } from './rules/approval-state';

export type { DecideInput, DecideOutcome } from './approval-recording';

/** What deciding needs: the ledger, the alert topic, and the release flow to hand the outcome to. */
export interface DecisionDeps extends Core {
  notifier: Notifier;
  alertTopicArn: string;
  releaseFlow: ReleaseFlow;
}

/** A sweep leaves a fresh closing to the request that closed it, so the hand-off is not doubled. */
const HAND_OFF_GRACE_MS = 2 * 60_000;

const whoOf = (d: ApprovalDecision) => (d.via === 'operator' ? `operator ${d.approver}` : d.approver);

const conclusion = (
  r: ApprovalRecord,
  decisions: ApprovalDecision[],
  now: Date,
): { state: ApprovalState; outcome: string } | undefined => {
  const operator = decisions.find(isDecisive);
  if (operator)
    return {
      state: operator.decision === 'approve' ? 'approved' : 'rejected',
      outcome: `${operator.decision === 'approve' ? 'approved' : 'rejected'} by operator ${operator.approver}`,
    };
  const counted = decisions.filter((d) => d.via === 'operator' || isApprover(r, d.approver));
  const rejection = counted.find((d) => d.decision === 'reject');
  if (rejection) return { state: 'rejected', outcome: `rejected by ${whoOf(rejection)}` };
  const approvers = [...new Set(counted.filter((d) => d.decision === 'approve').map(whoOf))];
  if (approvers.length >= r.required)
    return { state: 'approved', outcome: `approved by ${approvers.join(', ')}` };
  if (effectiveState(r, now) === 'expired') return { state: 'expired', outcome: 'approval expired' };
  return undefined;
};

export const describeDecisions = (decisions: ApprovalDecision[]): string =>
  decisions.map(decisionText).join('\n');

const recordKey = (r: ApprovalRecord) => approvalKeys.approval(r.application, r.release, r.environment);

const handOff = async (deps: DecisionDeps, r: ApprovalRecord): Promise<ApprovalRecord> => {
  if (r.state === 'rejected' || r.state === 'expired') {
    const decisions = await decisionsOf(deps.store, r.id);
    await deps.notifier.publish(deps.alertTopicArn, closedNotice(r, describeDecisions(decisions)));
  }
  await deps.releaseFlow.advance(r.application, r.release, r.outcome ?? `approval ${r.state}`);
  const at = deps.clock.now().toISOString();
  const next = await approvalRecords(deps.store).update(recordKey(r), (c) =>
    c.handedOffAt ? undefined : { ...c, handedOffAt: at },
  );
  await closeOpenMarker(deps.store, r.id);
  deps.log.info('approval handed off', { approvalId: r.id, state: r.state });
  return next ?? r;
};

/** Closes the approval if its decisions (or its expiry) settle it; the closer hands the outcome off. */
export const settle = async (deps: DecisionDeps, approval: ApprovalRecord): Promise<ApprovalRecord> => {
  if (approval.state !== 'pending') return approval;
  const now = deps.clock.now();
  const verdict = conclusion(approval, await decisionsOf(deps.store, approval.id), now);
  if (!verdict) return approval;
  let closedHere = false;
  const closed = await approvalRecords(deps.store).update(recordKey(approval), (c) => {
    closedHere = c.state === 'pending';
    return closedHere ? { ...c, ...verdict, closedAt: now.toISOString() } : undefined;
  });
  if (!closed || !closedHere) return closed ?? approval;
  deps.log.info('approval closed', { approvalId: closed.id, state: closed.state });
  try {
    return await handOff(deps, closed);
  } catch (error) {
    // The decision stands; the reconcile sweep repeats the hand-off.
    deps.log.error('approval hand-off failed', {
      approvalId: closed.id,
      error: errorName(error),
    });
    return closed;
  }
};

/** Records the decision, then settles the approval here (the operator command, which may deploy). */
export const decide = async (deps: DecisionDeps, input: DecideInput): Promise<DecideOutcome> => {
  const result = await recordApprovalDecision(deps, input);
  return { ...result, approval: await settle(deps, result.approval) };
};

/** The reconcile sweep: expires what is past its expiry, repeats unfinished hand-offs, tidies markers. */
export const expireApprovals = async (deps: DecisionDeps) => {
  const now = deps.clock.now();
  const result = { expired: [] as string[], handedOff: [] as string[], stillPending: 0 };
  for (const id of await openApprovalIds(deps.store)) {
    const found = await approvalById(deps.store, id);
    if (!found) {
      await closeOpenMarker(deps.store, id);
      continue;
    }
    const r = found.record;
    if (r.state === 'pending') {
      const settled = await settle(deps, r);
      if (settled.state === 'expired') result.expired.push(id);
      else if (settled.state === 'pending') result.stillPending += 1;
      continue;
    }
    if (r.handedOffAt) await closeOpenMarker(deps.store, id);
    else if (now.getTime() - Date.parse(r.closedAt ?? r.requestedAt) >= HAND_OFF_GRACE_MS) {
      await handOff(deps, r);
      result.handedOff.push(id);
    }
  }
  return result;
};
