// The report as plain text for an email: counts, reasons, each failing target with its diagnostics.
import { describe, expect, it } from 'vitest';
import type { Target } from '../../shared/audit/rules/evidence';
import { buildReport } from '../../shared/audit/rules/verdict';
import { countsSentence, LIST_MAX, renderReport, trimLogTail } from '../../shared/audit/rules/verdict-text';
import { facts, target, VALIDATE_FAILED } from '../support/audit';

const failed = (id: string, logTail = VALIDATE_FAILED.logTail ?? ''): Target => ({
  ...target(id, 'Failed'),
  events: [
    { name: 'AfterInstall', status: 'Succeeded' },
    { name: 'ValidateService', status: 'Failed', diagnostics: { ...VALIDATE_FAILED, logTail } },
  ],
});
const ctx = {
  application: 'web',
  environment: 'production',
  release: 'v1.2.0',
  commit: '3f786850e387550fdab836ed7e6dc881de23001b',
};

describe('the report as text', () => {
  it('reads "9 targets: 1 succeeded, 8 failed" and names every failing target with its diagnostics', () => {
    const targets = [target('i-1'), ...Array.from({ length: 8 }, (_, i) => failed(`i-${i + 2}`))];
    const report = buildReport(
      'd-AUDIT0001',
      { deployment: facts(), targets, unreadable: [] },
      { minimumTargets: 3, tolerate: [] },
    );
    const { subject, text } = renderReport(report, ctx, ['release v1.2.0 is blocked in production']);
    expect(subject).toBe('Baton web production: PARTIAL for release v1.2.0 (commit 3f786850e387)');
    expect(text).toContain('CodeDeploy says Succeeded (CodeDeployDefault.AllAtOnce, Server, IN_PLACE).');
    expect(text).toContain('\n9 targets: 1 succeeded, 8 failed.\n');
    expect(text).toContain('- CodeDeploy reports Succeeded, but 8 of 9 targets did not succeed');
    expect(text).toContain('Targets that did not succeed (8):');
    for (let i = 2; i <= 9; i++) expect(text).toContain(`- i-${i}: Failed at ValidateService`);
    expect(text).toContain('    ScriptFailed in scripts/validate.sh');
    expect(text).toContain(
      '    Log tail from i-2:\n    > [stdout]Checking http://localhost:8080/health\n    > [stderr]curl: (7) Failed',
    );
    expect(text.endsWith('What follows:\n- release v1.2.0 is blocked in production\n')).toBe(true);
  });

  it('mentions tolerated targets and the Blue instances being retired', () => {
    const targets = [
      target('i-1', 'Succeeded', { label: 'Green' }),
      target('i-2', 'Skipped', { label: 'Green' }),
      target('i-3', 'Ready', { label: 'Blue' }),
    ];
    const report = buildReport(
      'd-AUDIT0001',
      { deployment: facts({ deploymentType: 'BLUE_GREEN' }), targets, unreadable: [] },
      { minimumTargets: 1, tolerate: ['Skipped'] },
    );
    expect(countsSentence(report)).toBe(
      '2 targets: 1 succeeded, 1 skipped (1 tolerated); 1 original (Blue) instance being retired',
    );
  });

  it('trims a log tail for an email: last 10 lines, long lines cut, no control characters', () => {
    const tail = `${Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n')}\n\u001b[31mred\u001b[0m ${'x'.repeat(300)}`;
    const lines = trimLogTail(tail);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('line 31');
    expect(lines.at(-1)).toMatch(/^red x+…$/);
    expect(lines.at(-1)).toHaveLength(200);
    expect(lines.join('\n').length).toBeLessThanOrEqual(1000);
  });

  it('keeps the whole tail under 1,000 characters even with ten long lines', () => {
    const lines = trimLogTail(Array.from({ length: 10 }, (_, i) => `${i}${'y'.repeat(190)}`).join('\n'));
    expect(lines.join('\n').length).toBeLessThanOrEqual(1000);
    expect(lines.at(-1)?.startsWith('9')).toBe(true);
  });

  it(`lists at most ${LIST_MAX} failing targets and says how many more there are`, () => {
    const targets = Array.from({ length: 70 }, (_, i) => failed(`i-${i}`));
    const report = buildReport(
      'd-AUDIT0001',
      { deployment: facts({ status: 'Failed' }), targets, unreadable: [] },
      { minimumTargets: 1, tolerate: [] },
    );
    const { text } = renderReport(report, { application: 'web', environment: 'dev' });
    expect(text.match(/: Failed at ValidateService/g)).toHaveLength(LIST_MAX);
    expect(text).toContain("… and 20 more: the full report is in Baton's ledger.");
  });

  it('says when CodeDeploy could not be asked at all', () => {
    const report = buildReport(
      'd-AUDIT0001',
      { unreadable: ['the deployment: GetDeployment: AccessDeniedException: no'] },
      { minimumTargets: 1, tolerate: [] },
    );
    const { subject, text } = renderReport(report, {
      application: 'web',
      environment: 'dev',
      commit: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
    });
    expect(subject).toBe('Baton web dev: INCOMPLETE for commit a94a8fe5ccb1');
    expect(text).toContain('CodeDeploy could not be asked.');
    expect(text).toContain('0 targets.');
    expect(text).toContain(
      '- the deployment could not be read: the deployment: GetDeployment: AccessDeniedException: no',
    );
  });
});
