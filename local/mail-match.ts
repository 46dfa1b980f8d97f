// Which email is about which release: read from the fields Baton writes (the approval email's rows, the
// alert's message attributes and first line), matched exactly, so `v1.0.0` never matches `v1.0.0-rc1`.
import type { EmailedApproval } from './approvals';

/** The "  Label:       value" rows of an email, by label. */
const rowsOf = (message: string): Map<string, string> =>
  new Map(
    message.split('\n').flatMap((line) => {
      const row = /^ {2}([A-Z][A-Za-z ]*):\s+(.*)$/.exec(line);
      return row?.[1] && row[2] !== undefined ? [[row[1], row[2]] as const] : [];
    }),
  );

/** True for the approval request asking to let `release` of `application` enter `environment`. */
export const isApprovalRequestFor = (
  m: EmailedApproval,
  application: string,
  environment: string,
  release: string,
) => {
  const rows = rowsOf(m.message);
  return (
    rows.get('Application') === application &&
    rows.get('Release') === release &&
    rows.get('Enters') === environment
  );
};

/**
 * True for an alert about `release` of `application` in `environment`: a verdict's alert (its
 * attributes and its headline "<verdict>: <application> <release> …") or the notice that its approval
 * was rejected or expired.
 */
export const isAlertFor = (m: EmailedApproval, application: string, environment: string, release: string) => {
  const a = m.attributes;
  const headline = m.message.split('\n')[0] ?? '';
  if (a.application !== application) return false;
  if (a.verdict && a.environment === environment)
    return headline.startsWith(`${a.verdict}: ${application} ${release} `);
  const state = a.kind?.startsWith('approval-') ? a.kind.slice('approval-'.length) : undefined;
  return (
    headline === `Release ${release} of ${application} was ${state} for ${environment}.` ||
    headline.startsWith(`Nobody decided on release ${release} of ${application} for ${environment} before `)
  );
};
