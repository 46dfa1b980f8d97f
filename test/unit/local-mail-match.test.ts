// Which email of the local stack's mailboxes is about which release, matched exactly on Baton's own fields.
import { describe, expect, it } from 'vitest';
import type { EmailedApproval } from '../../local/approvals';
import { isAlertFor, isApprovalRequestFor } from '../../local/mail-match';
import { approvalNotice, closedNotice } from '../../shared/approvals/approval-message';
import type { ApprovalRecord } from '../../shared/approvals/records';
import { buildReport } from '../../shared/audit/rules/verdict';
import { renderReport } from '../../shared/audit/rules/verdict-text';
import type { Notice } from '../../shared/core/ports';
import { facts, failedTarget, target } from '../support/audit';

// As the mailbox keeps what SNS delivered.
const received = (n: Notice): EmailedApproval => ({
  messageId: 'm-1',
  approver: n.attributes?.approver ?? '',
  attributes: n.attributes ?? {},
  subject: n.subject,
  message: n.message,
  link: '',
});

const approval = (release: string, environment = 'production'): ApprovalRecord => ({
  v: 1,
  kind: 'approval',
  id: `web-${release}-${environment}`,
  application: 'web',
  release,
  commit: '3f786850e387550fdab836ed7e6dc881de23001b',
  artifact: {
    bucket: 'pipeline',
    key: 'artifacts/web/3f78.zip',
    etag: 'e1',
    commit: '3f786850e387550fdab836ed7e6dc881de23001b',
  },
  environment,
  fromEnvironment: 'staging',
  fromDeploymentId: 'd-STAGING01',
  approvers: ['a@example.com'],
  required: 1,
  requestedAt: '2026-11-20T18:00:00.000Z',
  expiresAt: '2026-11-21T18:00:00.000Z',
  state: 'pending',
});
const request = (release: string, environment?: string) =>
  received(
    approvalNotice(
      approval(release, environment),
      { deploymentId: 'd-STAGING01', line: 'VERIFIED', noun: 'instances', targets: [] },
      'a@example.com',
      'https://approve.example/x',
      '2026-11-20T18:00:00.000Z',
    ),
  );

const alert = (release: string, environment: string) => {
  const report = buildReport(
    'd-AUDIT0001',
    { deployment: facts(), targets: [target('i-1'), failedTarget('i-2')], unreadable: [] },
    { minimumTargets: 1, tolerate: [] },
  );
  const { subject, text } = renderReport(report, { application: 'web', environment, release });
  return received({
    subject,
    message: text,
    attributes: { verdict: report.verdict, application: 'web', environment },
  });
};

describe('isApprovalRequestFor', () => {
  it('matches the request of exactly that release and environment', () => {
    expect(isApprovalRequestFor(request('v1.0.0'), 'web', 'production', 'v1.0.0')).toBe(true);
  });

  it('does not take the request of v1.0.0-rc1 for v1.0.0, nor of another environment', () => {
    expect(isApprovalRequestFor(request('v1.0.0-rc1'), 'web', 'production', 'v1.0.0')).toBe(false);
    expect(isApprovalRequestFor(request('v1.0.0', 'staging'), 'web', 'production', 'v1.0.0')).toBe(false);
  });
});

describe('isAlertFor', () => {
  it("matches the verdict's alert of that release in that environment", () => {
    expect(isAlertFor(alert('v1.0.0', 'production'), 'web', 'production', 'v1.0.0')).toBe(true);
  });

  it('does not take an earlier alert of another environment or another release', () => {
    expect(isAlertFor(alert('v1.0.0', 'staging'), 'web', 'production', 'v1.0.0')).toBe(false);
    expect(isAlertFor(alert('v1.0.0-rc1', 'production'), 'web', 'production', 'v1.0.0')).toBe(false);
  });

  it('matches the notice that the approval of that release for that environment was rejected', () => {
    const rejected = {
      ...approval('v1.0.0'),
      state: 'rejected' as const,
      outcome: 'rejected by a@example.com',
    };
    const other = { ...approval('v1.0.0-rc1'), state: 'rejected' as const };

    expect(isAlertFor(received(closedNotice(rejected, '')), 'web', 'production', 'v1.0.0')).toBe(true);
    expect(isAlertFor(received(closedNotice(other, '')), 'web', 'production', 'v1.0.0')).toBe(false);
  });
});
