// The approval step of a local release: the requests emailed to every approver of an environment (read
// from the approval topic's queue), decided through the page by `--auto-approve` or by a person, and
// the approval's own ledger record, read while a person decides, so that a rejection ends the wait.
import { approvalRecords } from '../shared/approvals/records';
import type { Environment } from '../shared/pipeline/rules/config';
import type { EmailedApproval } from './approvals';
import { ledgerOf } from './ledger-watch';
import { isApprovalRequestFor } from './mail-match';
import type { LocalStack } from './stack';

/** Decides through the page exactly as a person's browser would: GET the page, POST its form. */
export const decideThroughPage = async (
  link: string,
  decision: 'approve' | 'reject',
  comment: string,
): Promise<number> => {
  const page = await (await fetch(link)).text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '';
  const form = new URLSearchParams({ approval: field('approval'), token: field('token'), comment, decision });
  const res = await fetch(link, {
    method: 'POST',
    body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return res.status;
};

export const approveThroughPage = (link: string, comment: string) =>
  decideThroughPage(link, 'approve', comment);

/** The request of `release` emailed to each approver of `env` (the latest per approver), once all went out. */
export const emailedRequests = (stack: LocalStack, application: string, env: Environment, release: string) =>
  stack.mail.approvals.waitFor(`the approval requests for ${env.name}`, (all) => {
    const byApprover = new Map<string, EmailedApproval>();
    for (const m of all)
      if (isApprovalRequestFor(m, application, env.name, release)) byApprover.set(m.approver, m);
    const approvers = env.approval?.approvers ?? [];
    return approvers.every((a) => byApprover.has(a))
      ? approvers.flatMap((a) => byApprover.get(a) ?? [])
      : undefined;
  });

/** Thrown while waiting to enter an environment whose approval was rejected or expired. */
export class ApprovalClosedError extends Error {
  constructor(
    readonly environment: string,
    readonly state: string,
    readonly outcome: string,
  ) {
    super(`${environment}: the approval was ${state} (${outcome})`);
    this.name = 'ApprovalClosedError';
  }
}

/** Reads the one approval record of (application, release, environment); throws once it is closed without approval. */
export const refuseIfClosed = async (
  stack: LocalStack,
  application: string,
  release: string,
  env: string,
) => {
  const r = (await approvalRecords(ledgerOf(stack)).get(application, release, env))?.record;
  if (r && (r.state === 'rejected' || r.state === 'expired' || r.state === 'superseded'))
    throw new ApprovalClosedError(env, r.state, r.outcome ?? r.state);
};
