// A decision was recorded (S3 "Object Created" under <ledger prefix>approval-decisions/): settle its
// approval. The event names the approval by its key; a redelivered event, or one for an approval that
// is already settled, changes nothing.

import type { ObjectCreated } from '../artifacts/rules/s3-events';
import { ValidationError } from '../core/rules/errors';
import { approvalKeys } from '../ledger/keys';
import { type DecisionDeps, settle } from './approval-decisions';
import { approvalById } from './records';
import type { ApprovalState } from './rules/approval-state';

export interface DecidedDeps extends DecisionDeps {
  bucket: string;
  ledgerPrefix: string;
}

export type DecidedOutcome =
  | { outcome: 'settled'; approvalId: string; state: ApprovalState }
  | { outcome: 'unknown-approval'; approvalId: string };

const DECISION_KEY = /^([0-9a-f]{20})\/[^/]+\.json$/;

/** The approval id in a decision's object key (approval-decisions/<id>/<slot>.json under the ledger prefix). */
export const approvalIdOfDecisionKey = (ledgerPrefix: string, key: string): string | undefined => {
  const prefix = ledgerPrefix + approvalKeys.decisions('').slice(0, -1);
  return key.startsWith(prefix) ? DECISION_KEY.exec(key.slice(prefix.length))?.[1] : undefined;
};

export const approvalDecided = async (deps: DecidedDeps, notice: ObjectCreated): Promise<DecidedOutcome> => {
  if (notice.bucket !== deps.bucket)
    throw new ValidationError([`bucket: ${notice.bucket} is not the pipeline bucket`]);
  const approvalId = approvalIdOfDecisionKey(deps.ledgerPrefix, notice.key);
  if (!approvalId)
    throw new ValidationError([
      `key: not an approval decision (${deps.ledgerPrefix}approval-decisions/<id>/…)`,
    ]);
  const found = await approvalById(deps.store, approvalId);
  if (!found) {
    deps.log.warn('decision for an unknown approval', { approvalId });
    return { outcome: 'unknown-approval', approvalId };
  }
  const settled = await settle(deps, found.record);
  return { outcome: 'settled', approvalId, state: settled.state };
};
