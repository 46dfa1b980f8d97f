// The approval pages: the decision page (GET), the recorded-decision page (POST), and the refusals.
// No script anywhere: a decision is a form POST that a person submits by pressing a button.

import type { AuditSummary } from '../approval-audit';
import { artifactText, utc } from '../approval-message';
import type { ApprovalDecision, ApprovalRecord } from '../records';
import { targetCell, verdictClass } from './cells';
import { type Html, html } from './html';
import { page } from './layout';

const MAX_CELLS = 1000;

const auditSection = (r: ApprovalRecord, audit: AuditSummary): Html => {
  const shown = audit.targets.slice(0, MAX_CELLS);
  const counts = new Map<string, number>();
  for (const t of audit.targets) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  return html`<h2>Audit of ${r.fromEnvironment} (deployment <code>${audit.deploymentId}</code>)</h2>
<p class="verdict ${verdictClass(audit.verdict)}">${audit.line}</p>
${
  shown.length > 0
    ? html`<ul class="targets" aria-label="one cell per ${audit.noun === 'instances' ? 'instance' : 'target'}">
${shown.map(targetCell)}</ul>
<p class="legend">${[...counts].map(([status, n]) => `${n} ${status}`).join(' · ')}${
        audit.targets.length > shown.length ? ` · first ${shown.length} shown` : ''
      }</p>`
    : html`<p class="legend">No per-target record of this deployment is available.</p>`
}`;
};

const facts = (r: ApprovalRecord, audit: AuditSummary): Html => html`<dl>
<dt>Application</dt><dd>${r.application}</dd>
<dt>Release</dt><dd>${r.release}</dd>
<dt>Commit</dt><dd><code>${r.commit}</code></dd>
<dt>Artifact</dt><dd><code>${artifactText(r.artifact)}</code></dd>
<dt>Leaves</dt><dd>${r.fromEnvironment} — ${audit.line}</dd>
<dt>Enters</dt><dd>${r.environment}</dd>
<dt>Approvals</dt><dd>${r.required} of ${r.approvers.length} approver${r.approvers.length > 1 ? 's' : ''} needed; one rejection stops it</dd>
<dt>Link expires</dt><dd>${utc(r.expiresAt)}</dd>
</dl>`;

export interface DecisionPageInput {
  approval: ApprovalRecord;
  audit: AuditSummary;
  approver: string;
  token: string;
  approvedSoFar: number;
}

export const decisionPage = (p: DecisionPageInput): string =>
  page(
    `Approve ${p.approval.release} for ${p.approval.environment}?`,
    'decision',
    html`<h1>Approve ${p.approval.application} ${p.approval.release} for ${p.approval.environment}?</h1>
${facts(p.approval, p.audit)}
${auditSection(p.approval, p.audit)}
<form method="post">
<input type="hidden" name="approval" value="${p.approval.id}">
<input type="hidden" name="token" value="${p.token}">
<label for="comment">Comment (optional, kept with your decision)</label>
<textarea id="comment" name="comment" maxlength="1000"></textarea>
<div class="buttons">
<button class="approve" type="submit" name="decision" value="approve">Approve</button>
<button class="reject" type="submit" name="decision" value="reject">Reject</button>
</div>
</form>
<p class="note">You are deciding as ${p.approver}. ${p.approvedSoFar} of ${p.approval.required} approval${p.approval.required > 1 ? 's' : ''} so far.
Opening this page changed nothing; your decision is recorded only when you press a button.</p>`,
  );

const verb = (d: ApprovalDecision) => (d.decision === 'approve' ? 'approved' : 'rejected');

// The page knows the decision is recorded, not yet what it did: approval-decided settles it shortly.
const next = (r: ApprovalRecord, d: ApprovalDecision): string => {
  if (d.decision === 'reject')
    return `The release stops shortly: ${r.release} does not enter ${r.environment}, and the team is alerted.`;
  const enough = r.required > 1 ? `${r.required} approvers have approved` : 'one approver has approved';
  return `The release continues shortly: ${r.release} enters ${r.environment} once ${enough} and none has rejected.`;
};

export const donePage = (r: ApprovalRecord, d: ApprovalDecision): string =>
  page(
    'Decision recorded',
    'done',
    html`<h1>Recorded: you ${verb(d)} ${r.application} ${r.release} for ${r.environment}</h1>
<p>At ${utc(d.at)}${d.comment ? html`, with the comment “${d.comment}”` : ''}.</p>
<p>${next(r, d)}</p>`,
  );

export type PageRefusal =
  | 'malformed'
  | 'tampered'
  | 'wrong-approval'
  | 'not-approver'
  | 'removed-approver'
  | 'expired'
  | 'unknown'
  | 'used'
  | 'closed'
  | 'superseded'
  | 'no-decision'
  | 'method'
  | 'unavailable';

const REFUSALS: Record<PageRefusal, { status: number; title: string; text: string }> = {
  malformed: {
    status: 400,
    title: 'This link is incomplete',
    text: 'The link is missing parts. Open it again from the email, whole.',
  },
  tampered: {
    status: 403,
    title: 'This link is not valid',
    text: 'The link was changed or cut short, or it was not issued by Baton. Nothing was recorded.',
  },
  'wrong-approval': {
    status: 403,
    title: 'This link belongs to another approval',
    text: 'The link does not match the approval it names. Nothing was recorded.',
  },
  'not-approver': {
    status: 403,
    title: 'This link is not valid for this approval',
    text: 'Its approver is not an approver of this release. Nothing was recorded.',
  },
  'removed-approver': {
    status: 403,
    title: 'You are no longer an approver',
    text: 'pipeline.yml no longer lists you as an approver of this environment, so this link cannot decide. Nothing was decided.',
  },
  expired: {
    status: 410,
    title: 'This link has expired',
    text: 'Approval links stop working at their expiry. Ask the release manager for a new release or an operator decision.',
  },
  unknown: { status: 404, title: 'No such approval', text: 'Baton has no approval with this id.' },
  used: {
    status: 409,
    title: 'This link has already been used',
    text: 'Each link decides once; the first decision stands.',
  },
  closed: {
    status: 409,
    title: 'This approval is closed',
    text: 'It was decided or it expired before your decision. Nothing was recorded.',
  },
  superseded: {
    status: 409,
    title: 'This approval was superseded',
    text: 'A newer release asks to enter this environment; its approvers have new links. Nothing was recorded.',
  },
  'no-decision': {
    status: 400,
    title: 'Choose Approve or Reject',
    text: 'Open the link again and press one of the two buttons.',
  },
  method: { status: 405, title: 'Not allowed', text: 'This page answers GET and POST only.' },
  unavailable: {
    status: 503,
    title: 'Baton could not answer just now',
    text: 'Please try again in a minute. If you had pressed Approve or Reject, the page will then show whether your decision was recorded.',
  },
};

export const refusalPage = (
  reason: PageRefusal,
  detail?: { approval?: ApprovalRecord; decision?: ApprovalDecision; expiredAt?: Date },
): { statusCode: number; body: string } => {
  const r = REFUSALS[reason];
  const { approval, decision, expiredAt } = detail ?? {};
  const extra = html`${expiredAt ? html`<p>It expired at ${utc(expiredAt.toISOString())}.</p>` : ''}${
    decision
      ? html`<p>Recorded: ${decision.via === 'operator' ? `operator ${decision.approver}` : decision.approver} ${verb(decision)} at ${utc(decision.at)}${decision.comment ? html`, with the comment “${decision.comment}”` : ''}.</p>`
      : ''
  }${approval ? html`<p>${approval.application} ${approval.release} for ${approval.environment}: ${approval.state}${approval.outcome ? ` (${approval.outcome})` : ''}.</p>` : ''}`;
  return {
    statusCode: r.status,
    body: page(r.title, 'refusal', html`<h1>${r.title}</h1>\n<p>${r.text}</p>\n${extra}`, reason),
  };
};
