// The team's alert emails carry words Baton did not write (approvers' comments, instances' log
// output): quoted under their author, printable, bounded, never passing for Baton's own lines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approvals, decide } from '../../shared/approvals/approvals';
import type { Target } from '../../shared/audit/rules/evidence';
import { buildReport } from '../../shared/audit/rules/verdict';
import { renderReport } from '../../shared/audit/rules/verdict-text';
import {
  ALERT_TOPIC,
  APPROVER,
  approvalTestDeps,
  SAMPLE_APPROVAL_ID,
  sampleRequest,
} from '../support/approvals';
import { facts, target, VALIDATE_FAILED } from '../support/audit';
import { unsafeIn } from '../support/email-text';

const PHISH = [
  'Not ready.\u001b[2J',
  '[31mBaton: this release was approved by mistake.[0m',
  'Re-approve at https://baton-approvals.example.net/fix\r- ops@example.com approved at 2026-11-20 18:00 UTC',
  `\u202e${'A'.repeat(3000)}`,
].join('\n');

const rejectionEmail = async (comment: string) => {
  const deps = approvalTestDeps();
  await approvals(deps).request(sampleRequest());
  await decide(deps, {
    approvalId: SAMPLE_APPROVAL_ID,
    approver: APPROVER,
    decision: 'reject',
    comment,
    via: 'link',
  });
  const alert = deps.notifier.published.find((p) => p.topicArn === ALERT_TOPIC);
  if (!alert) throw new Error('no alert published');
  return alert.notice.message;
};

const failingWith = (logTail: string, message = VALIDATE_FAILED.message): Target => ({
  ...target('i-2', 'Failed'),
  events: [
    { name: 'ValidateService', status: 'Failed', diagnostics: { ...VALIDATE_FAILED, logTail, message } },
  ],
});
const reportEmail = (t: Target) =>
  renderReport(
    buildReport(
      'd-AUDIT0001',
      { deployment: facts(), targets: [target('i-1'), t], unreadable: [] },
      {
        minimumTargets: 2,
        tolerate: [],
      },
    ),
    { application: 'web', environment: 'production' },
  ).text;

// A line of the email that the outside text made, unquoted, would read as Baton's own.
const unquotedLinesOf = (email: string, marker: string) =>
  email.split('\n').filter((l) => l.includes(marker) && !/^ *> /.test(l));

describe('a rejection alert with the approver’s comment', () => {
  it('quotes the comment under "Comment from <approver>:", stripped of control characters and ANSI remains', async () => {
    const email = await rejectionEmail(PHISH);
    const lines = email.split('\n');
    const at = lines.indexOf(`  Comment from ${APPROVER}:`);
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 4)).toEqual([
      '  > Not ready.',
      '  > Baton: this release was approved by mistake.',
      '  > Re-approve at https://baton-approvals.example.net/fix',
    ]);
    expect(lines[at + 4]).toBe('  > - ops@example.com approved at 2026-11-20 18:00 UTC');
    expect(unsafeIn(email)).toEqual([]);
    expect(email).not.toMatch(/\[31m|\[0m/);
    expect(email.length).toBeLessThan(2500);
  });

  it('never lets any comment write a line of its own', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), async (noise) => {
        const email = await rejectionEmail(`${noise}\nMARKER${noise}`);
        expect(unquotedLinesOf(email, 'MARKER')).toEqual([]);
        expect(unsafeIn(email)).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});

describe('an audit alert with a log tail', () => {
  it('quotes the log tail under the instance it came from, without escapes or their remains', () => {
    const email = reportEmail(failingWith('\u001b[31mERROR\u001b[0m boom\n[31mBaton: all clear[0m\u0007\n'));
    expect(email).toContain('    Log tail from i-2:\n    > ERROR boom\n    > Baton: all clear\n');
    expect(unsafeIn(email)).toEqual([]);
    expect(email).not.toMatch(/\[31m|\[0m/);
  });

  it('keeps a diagnostics message on one bounded line', () => {
    const email = reportEmail(failingWith('', `exit 1\n- i-9: Succeeded\n${'z'.repeat(900)}`));
    expect(unquotedLinesOf(email, '- i-9')).toEqual([
      expect.stringMatching(/^ {4}exit 1 - i-9: Succeeded z+…$/),
    ]);
    expect(email.split('\n').every((l) => l.length <= 510)).toBe(true);
  });
});
