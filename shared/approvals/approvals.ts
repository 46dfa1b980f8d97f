// Approvals: a release about to enter an environment that needs approval asks its approvers by email
// (one SNS message per approver, routed by the `approver` attribute, each with a link of their own).

import { verifiedRecords } from '../audit/records';
import type { ApprovalRequestInput, Approvals, Core } from '../core/ports';
import { BatonError, errorName, ValidationError } from '../core/rules/errors';
import { approvalKeys } from '../ledger/keys';
import type { RecordStore } from '../ledger/store';
import type { Pipeline } from '../pipeline/rules/config';
import { findEnvironment } from '../pipeline/rules/config';
import { pushesUntil } from '../releases/records';
import { readAudit } from './approval-audit';
import type { DecisionDeps } from './approval-decisions';
import { approvalNotice, type ChangeFacts } from './approval-message';
import {
  type ApprovalRecord,
  approvalAt,
  approvalById,
  approvalIdFor,
  approvalRecords,
  createApproval,
  indexApproval,
  openApprovalIds,
} from './records';
import { effectiveState } from './rules/approval-state';
import { commitNote, commitsSince } from './rules/commit-log';
import { signToken, type TokenKeySource } from './rules/token';

export { type DecisionDeps, decide, expireApprovals } from './approval-decisions';

export interface ApprovalDeps extends DecisionDeps {
  pipeline: Pipeline;
  keys: TokenKeySource;
  approvalTopicArn: string;
  /** The approval page's base URL: the approval function's URL. */
  approvalUrl: string;
}

export const approvalLink = (base: string, approvalId: string, token: string): string => {
  const url = new URL(base);
  url.searchParams.set('approval', approvalId);
  url.searchParams.set('token', token);
  return url.toString();
};

const wholeSeconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

const newRecord = (deps: ApprovalDeps, input: ApprovalRequestInput, now: Date): ApprovalRecord => {
  const env = findEnvironment(deps.pipeline, input.application, input.environment);
  if (!env.approval)
    throw new ValidationError([
      `environment: ${input.environment} of ${input.application} needs no approval`,
    ]);
  const at = wholeSeconds(now);
  return {
    v: 1,
    kind: 'approval',
    id: approvalIdFor(input.application, input.release, input.environment),
    application: input.application,
    release: input.release,
    commit: input.commit,
    artifact: input.artifact,
    environment: input.environment,
    fromEnvironment: input.fromEnvironment,
    fromDeploymentId: input.fromDeploymentId,
    ...(input.pushedAt ? { pushedAt: input.pushedAt } : {}),
    approvers: [...new Set(env.approval.approvers)],
    required: env.approval.required,
    requestedAt: at.toISOString(),
    expiresAt: new Date(at.getTime() + env.approval.expiresInMinutes * 60_000).toISOString(),
    state: 'pending',
  };
};

/** The release commit and the commits since the environment's current release, from the recorded pushes. */
const changeFacts = async (store: RecordStore, r: ApprovalRecord, now: Date): Promise<ChangeFacts> => {
  const [{ pushes, truncated }, verified] = await Promise.all([
    pushesUntil(store, r.application, now.toISOString()),
    verifiedRecords(store).get(r.application, r.environment),
  ]);
  const current = verified?.record;
  return {
    commit: commitNote(pushes, r.commit, truncated),
    log: commitsSince(pushes, r.commit, current?.artifact.commit, { truncated }),
    ...(current
      ? {
          current: {
            commit: current.artifact.commit,
            ...(current.release ? { release: current.release } : {}),
          },
        }
      : {}),
  };
};

const sendRequests = async (
  deps: ApprovalDeps,
  r: ApprovalRecord,
  now: Date,
  fromAudit?: unknown,
): Promise<void> => {
  const [keys, audit, change] = await Promise.all([
    deps.keys({ signing: true }),
    readAudit(deps.store, r.fromDeploymentId, fromAudit),
    // The commit list is a courtesy: an approval is asked for even when it cannot be read.
    changeFacts(deps.store, r, now).catch((error: unknown): ChangeFacts => {
      deps.log.warn('approval request sent without commit facts', {
        approvalId: r.id,
        error: errorName(error),
      });
      return { unavailable: error instanceof BatonError ? error.message : errorName(error) };
    }),
  ]);
  const expiresAt = new Date(r.expiresAt);
  // The link is deterministic (same key, same claims), so a message sent twice carries the same link.
  await Promise.all(
    r.approvers.map((approver) => {
      const token = signToken(keys.current, { approvalId: r.id, approver, expiresAt });
      const link = approvalLink(deps.approvalUrl, r.id, token);
      return deps.notifier.publish(
        deps.approvalTopicArn,
        approvalNotice(r, audit, approver, link, now.toISOString(), change),
      );
    }),
  );
};

/**
 * The newest release wins: a pending approval for the same environment of a release pushed earlier is
 * closed as superseded (its links then say so); the reconcile sweep hands that outcome to its release.
 */
const supersedeOlder = async (deps: ApprovalDeps, newer: ApprovalRecord, now: Date) => {
  if (!newer.pushedAt) return;
  for (const id of await openApprovalIds(deps.store)) {
    const older = (await approvalById(deps.store, id))?.record;
    if (!older || older.id === newer.id || older.application !== newer.application) continue;
    if (older.environment !== newer.environment || !older.pushedAt || older.pushedAt >= newer.pushedAt)
      continue;
    const closed = await approvalRecords(deps.store).update(
      approvalKeys.approval(older.application, older.release, older.environment),
      (c) =>
        effectiveState(c, now) === 'pending'
          ? {
              ...c,
              state: 'superseded',
              closedAt: now.toISOString(),
              outcome: `superseded by release ${newer.release}`,
            }
          : undefined,
    );
    if (closed?.state === 'superseded')
      deps.log.info('approval superseded', { approvalId: older.id, by: newer.release });
  }
};

export const requestApproval = async (deps: ApprovalDeps, input: ApprovalRequestInput): Promise<void> => {
  const now = deps.clock.now();
  const record = newRecord(deps, input, now);
  const created = await createApproval(deps.store, record);
  const found = created
    ? { record, etag: created }
    : await approvalAt(deps.store, input.application, input.release, input.environment);
  const current = found?.record;
  if (!current) throw new Error(`approval ${record.id} vanished while being requested`);
  if (created) {
    deps.log.info('approval requested', {
      approvalId: current.id,
      release: current.release,
      environment: current.environment,
    });
    await supersedeOlder(deps, current, now);
  }
  // Sent until it is recorded as sent: a crash between creating and sending is repaired by the next request.
  if (effectiveState(current, now) !== 'pending' || current.notifiedAt) return;
  await indexApproval(deps.store, current);
  await sendRequests(deps, current, now, input.fromAudit);
  const key = approvalKeys.approval(current.application, current.release, current.environment);
  // From the record as this call created or read it: only a change meanwhile reads it again.
  await approvalRecords(deps.store).update(
    key,
    (r) => (r.notifiedAt ? undefined : { ...r, notifiedAt: now.toISOString() }),
    5,
    found,
  );
  deps.log.info('approval requests sent', { approvalId: current.id, approvers: current.approvers.length });
};

export const approvals = (deps: ApprovalDeps): Approvals => ({
  request: (input) => requestApproval(deps, input),
  async state(application, release, environment) {
    const found = await approvalAt(deps.store, application, release, environment);
    return found ? effectiveState(found.record, deps.clock.now()) : undefined;
  },
});

/** Approvals still waiting for decisions, oldest first (operator command `approvals`). */
export const pendingApprovals = async (deps: Core, application?: string): Promise<ApprovalRecord[]> => {
  const now = deps.clock.now();
  const found = await Promise.all(
    (await openApprovalIds(deps.store)).map((id) => approvalById(deps.store, id)),
  );
  return found
    .flatMap((f) => (f ? [f.record] : []))
    .filter((r) => effectiveState(r, now) === 'pending' && (!application || r.application === application))
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id));
};
