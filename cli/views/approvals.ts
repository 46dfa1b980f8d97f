// `baton approvals` (pending approvals with their expiry) and `baton decide` (what the decision did).
import * as z from 'zod/mini';
import { fromNow, lines, short, table, when } from './table';
import { view } from './view';

export const approvalsSchema = z.looseObject({
  approvals: z.array(
    z.looseObject({
      approvalId: z.string(),
      application: z.string(),
      release: z.string(),
      commit: z.string(),
      environment: z.string(),
      from: z.string(),
      required: z.number(),
      approvers: z.array(z.string()),
      approvedBy: z.array(z.string()),
      requestedAt: z.string(),
      expiresAt: z.string(),
    }),
  ),
});

export const approvalsView = view(approvalsSchema, (r, { now }) => {
  if (r.approvals.length === 0) return lines('No approvals are waiting for a decision.');
  const rows = r.approvals.map((a) => [
    a.approvalId,
    `${a.application} ${a.release} (${short(a.commit)})`,
    a.environment,
    a.from,
    `${a.approvedBy.length} of ${a.required}`,
    a.approvers.join(', '),
    `${when(a.expiresAt)} (${fromNow(a.expiresAt, now)})`,
  ]);
  return lines(
    table(['APPROVAL ID', 'RELEASE', 'TO', 'FROM', 'APPROVED', 'APPROVERS', 'EXPIRES'], rows),
    '',
    'Decide: baton decide --approval-id <id> --decision approve|reject --comment "<why>"',
  );
});

export const decideSchema = z.looseObject({
  outcome: z.string(),
  approval: z.looseObject({
    approvalId: z.string(),
    application: z.string(),
    release: z.string(),
    environment: z.string(),
    state: z.string(),
  }),
  detail: z.optional(z.string()),
  decision: z.optional(
    z.looseObject({ approver: z.string(), decision: z.string(), at: z.string(), via: z.string() }),
  ),
});

export const decideView = view(decideSchema, (r) => {
  const a = r.approval;
  const subject = `${a.application} ${a.release} → ${a.environment} (approval ${a.approvalId})`;
  const d = r.decision;
  const said =
    r.outcome === 'recorded' && d
      ? `${d.decision} recorded for ${d.approver}`
      : r.outcome === 'already-decided' && d
        ? `${d.approver} had already decided: ${d.decision} at ${when(d.at)} (via ${d.via}); nothing changed`
        : `the approval was already closed; nothing was recorded`;
  return lines(`${subject}: ${said}`, `The approval is ${a.state}${r.detail ? `: ${r.detail}` : ''}.`);
});
