// The plain-text approval email: what is asked, what approving does, the approver's own link.

import type { Notice } from '../core/ports';
import { emailSubject } from '../core/rules/email-subject';
import { oneLine, quoted } from '../core/rules/email-text';
import type { AuditSummary } from './approval-audit';
import type { ApprovalDecision, ApprovalRecord } from './records';
import type { CommitLog, KnownNote } from './rules/commit-log';

/** "2026-11-23 18:00 UTC": readable in any mail client, unambiguous across time zones. */
export const utc = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

const hoursFrom = (from: string, to: string): string => {
  const minutes = Math.round((Date.parse(to) - Date.parse(from)) / 60_000);
  if (minutes < 120) return `${minutes} minutes`;
  if (minutes < 72 * 60) return `${Math.round(minutes / 60)} hours`;
  return `${Math.round(minutes / (24 * 60))} days`;
};

export const artifactText = (a: ApprovalRecord['artifact']): string =>
  `s3://${a.bucket}/${a.key}${a.versionId ? ` (version ${a.versionId})` : ''}`;

const row = (label: string, value: string) => `  ${`${label}:`.padEnd(14)}${value}`;

export const approvalSubject = (r: ApprovalRecord): string =>
  emailSubject(r, `approve release ${r.release}?`);

/** What the approver is told of the change: the commit, and what came since the current release. */
export type ChangeFacts =
  | {
      commit: KnownNote;
      log: CommitLog;
      /** The environment's current (last VERIFIED) release, if any. */
      current?: { commit: string; release?: string };
    }
  /** The pushes or the verified pointer could not be read: why. */
  | { unavailable: string };
type KnownChange = Exclude<ChangeFacts, { unavailable: string }>;

/** A commit message's summary: its first line, as `git log --oneline` shows it. */
const firstLine = (message: string) => message.trim().split('\n')[0] ?? '';

/** The facts rows of the commit: its author, or why the message and author are unknown. */
const commitRows = (c: KnownChange['commit']): string[] => {
  const why = `unknown: ${c.unknown ?? 'the push that brought it named no author'}`;
  return [
    ...(c.message ? [] : [row('Message', why)]),
    row('Author', c.author ? oneLine(c.author, 200) : why),
  ];
};

/** The message in full, the author's own words: quoted under a line naming the commit and its author. */
const messageLines = (c: KnownChange['commit']): string[] =>
  c.message
    ? [
        ...quoted(`Message of commit ${c.id.slice(0, 12)}${c.author ? `, by ${c.author}` : ''}:`, c.message),
        '',
      ]
    : [];

const changeLines = (r: ApprovalRecord, c: KnownChange): string[] => {
  const cur = c.current;
  const since = cur
    ? `Commits since ${r.environment}'s current release (${cur.release ? `${oneLine(cur.release, 100)}, ` : ''}commit ${cur.commit.slice(0, 12)}):`
    : `Commits Baton knows of (${r.environment} has no VERIFIED release yet):`;
  const list = c.log.commits.map(
    (n) =>
      `  - ${n.id.slice(0, 12)} ${n.message ? oneLine(firstLine(n.message), 120) : '(message unknown)'}${n.author ? ` (${oneLine(n.author, 80)})` : ''}`,
  );
  return [
    since,
    ...(list.length ? list : ['  (none recorded)']),
    ...(c.log.more ? [`  … and ${c.log.more} more`] : []),
    ...(c.log.partial && cur ? [`  The list may be partial: ${c.log.partial}.`] : []),
  ];
};

export const approvalNotice = (
  r: ApprovalRecord,
  audit: AuditSummary,
  approver: string,
  link: string,
  now: string,
  change?: ChangeFacts,
): Notice => {
  const others = r.approvers.length - 1;
  const known = change && !('unavailable' in change) ? change : undefined;
  const rule =
    r.required === 1
      ? `One approval is enough${others > 0 ? ` (you or one of ${others} other approver${others > 1 ? 's' : ''})` : ''}.`
      : `It needs ${r.required} approvals from ${r.approvers.length} approvers.`;
  const message = [
    `Release ${r.release} of ${r.application} is ready to enter ${r.environment}, and needs your decision.`,
    '',
    row('Application', r.application),
    row('Release', r.release),
    row('Commit', r.commit),
    ...(known ? commitRows(known.commit) : []),
    row('Artifact', artifactText(r.artifact)),
    row('Leaves', `${r.fromEnvironment} (deployment ${r.fromDeploymentId})`),
    row('Audit there', audit.line),
    row('Enters', r.environment),
    '',
    ...(known ? [...messageLines(known.commit), ...changeLines(r, known), ''] : []),
    ...(change && 'unavailable' in change ? [`Commit facts unavailable: ${change.unavailable}.`, ''] : []),
    `Approving lets Baton deploy this same artifact to ${r.environment}. ${rule}`,
    'A single rejection stops the release in this environment and alerts the team.',
    '',
    'Review and decide here (opening the link changes nothing; the page has Approve and Reject buttons):',
    link,
    '',
    `This link is yours alone (${approver}); do not forward it.`,
    `It expires on ${utc(r.expiresAt)}, in ${hoursFrom(now, r.expiresAt)}.`,
  ].join('\n');
  return { subject: approvalSubject(r), message, attributes: { approver } };
};

export const closedNotice = (r: ApprovalRecord, decisions: string): Notice => ({
  subject: emailSubject(
    r,
    r.state === 'expired' ? `approval of release ${r.release} expired` : `release ${r.release} ${r.state}`,
  ),
  message: [
    r.state === 'expired'
      ? `Nobody decided on release ${r.release} of ${r.application} for ${r.environment} before ${utc(r.expiresAt)}.`
      : `Release ${r.release} of ${r.application} was ${r.state} for ${r.environment}.`,
    '',
    row('Commit', r.commit),
    row('Artifact', artifactText(r.artifact)),
    row('From', `${r.fromEnvironment} (deployment ${r.fromDeploymentId})`),
    row('Outcome', oneLine(r.outcome ?? r.state, 300)),
    '',
    decisions || 'No decisions were recorded.',
    '',
    r.state === 'approved'
      ? `The release now enters ${r.environment}.`
      : `The release stays blocked before ${r.environment}. A new release tag asks again.`,
  ].join('\n'),
  attributes: { kind: `approval-${r.state}`, application: r.application },
});

/** One decision for an email; a comment is the approver's own words, quoted under their name. */
export const decisionText = (d: ApprovalDecision): string => {
  const verb = d.decision === 'approve' ? 'approved' : 'rejected';
  const who = oneLine(d.via === 'operator' ? `operator ${d.approver}` : d.approver, 200);
  const line = `- ${who} ${verb} at ${utc(d.at)}`;
  return d.comment ? [line, ...quoted(`Comment from ${who}:`, d.comment, { indent: '  ' })].join('\n') : line;
};
