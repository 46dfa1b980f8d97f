// The audit report as plain text that reads well in an email: the verdict, why, the counts, and per
// failing target the lifecycle event that failed with its diagnostics (log tails trimmed).
import { emailSubject } from '../../core/rules/email-subject';
import { oneLine, plainText, quoted } from '../../core/rules/email-text';
import { type Bake, describeBake, verdictWithBake } from '../../verification/rules/bake';
import { type AliasNow, TARGET_STATUSES, type TargetStatus } from './evidence';
import { type AuditReport, type FailingTarget, plural } from './verdict';

export interface ReportContext {
  application: string;
  environment: string;
  release?: string;
  commit?: string;
  /** Where the environment bakes: its bake, said beside the verdict and on a line of its own. */
  bake?: Bake | undefined;
}

/** Enough to act on in an email; the stored JSON report has every target. */
export const LIST_MAX = 50;
const TAIL_LINES = 10;
const TAIL_CHARS = 1000;
const LINE_CHARS = 200;
const MESSAGE_CHARS = 500;
const QUOTE = { indent: '    ', maxChars: TAIL_CHARS, maxLines: TAIL_LINES };

const WORDS: Record<TargetStatus, string> = {
  Succeeded: 'succeeded',
  Failed: 'failed',
  Skipped: 'skipped',
  Unknown: 'unknown',
  Pending: 'pending',
  InProgress: 'in progress',
  Ready: 'ready',
};

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The last lines of a log tail, each line and the whole bounded, for an email. */
export const trimLogTail = (tail: string): string[] => {
  // Script output may hold terminal escapes, other control characters, or words meant to mislead.
  const lines = plainText(tail)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .slice(-TAIL_LINES)
    .map((l) => cut(l, LINE_CHARS));
  while (lines.join('\n').length > TAIL_CHARS && lines.length > 1) lines.shift();
  return lines.map((l) => cut(l, TAIL_CHARS));
};

/** "9 targets: 1 succeeded, 8 failed" (and the tolerated and retired ones, if any). */
export const countsSentence = (report: AuditReport): string => {
  const c = report.counts;
  const parts = TARGET_STATUSES.filter((s) => c.byStatus[s]).map((s) => `${c.byStatus[s]} ${WORDS[s]}`);
  let sentence = plural(c.expected, 'target') + (parts.length ? `: ${parts.join(', ')}` : '');
  if (c.tolerated) sentence += ` (${c.tolerated} tolerated)`;
  if (c.retired) sentence += `; ${plural(c.retired, 'original (Blue) instance')} being retired`;
  return sentence;
};

const targetLines = (t: FailingTarget): string[] => {
  const label = t.label ? ` (${t.label})` : '';
  const lines = [`- ${t.id}${label}: ${t.status}${t.event ? ` at ${t.event.name}` : ''}`];
  if (t.shortfall) lines.push(`    ${oneLine(t.shortfall, MESSAGE_CHARS)}`);
  const e = t.event;
  if (!e) return lines;
  if (e.errorCode || e.scriptName)
    lines.push(
      `    ${e.errorCode ?? 'error'}${e.scriptName ? ` in ${oneLine(e.scriptName, LINE_CHARS)}` : ''}`,
    );
  if (e.message) lines.push(`    ${oneLine(e.message, MESSAGE_CHARS)}`);
  if (e.logTail) {
    const tail = trimLogTail(e.logTail);
    if (tail.length) lines.push(...quoted(`Log tail from ${t.id}:`, tail.join('\n'), QUOTE));
  }
  return lines;
};

/** "GetAlias: fn-api:live → 8", with the versions weighted routing sends traffic to besides. */
export const aliasLine = (now: AliasNow): string => {
  const weights = Object.entries(now.additionalVersionWeights).map(
    ([version, weight]) => `${version} (${Math.round(weight * 1000) / 10}%)`,
  );
  return `GetAlias: ${now.functionName}:${now.alias} → ${now.functionVersion}${weights.length ? `, and ${weights.join(', ')} by weighted routing` : ''}`;
};

const whatOf = (ctx: ReportContext) => {
  const commit = ctx.commit ? `commit ${ctx.commit.slice(0, 12)}` : undefined;
  return ctx.release ? `release ${ctx.release}${commit ? ` (${commit})` : ''}` : commit;
};

const headlineOf = (report: AuditReport, ctx: ReportContext) => {
  const commit = ctx.commit ? `commit ${ctx.commit.slice(0, 12)}` : undefined;
  const what = ctx.release ? `${ctx.release}${commit ? ` (${commit})` : ''}` : commit;
  const verdict = verdictWithBake(report.verdict, ctx.bake);
  return `${verdict}: ${ctx.application}${what ? ` ${what}` : ''} in ${ctx.environment}`;
};

/**
 * Subject and body of the report; `notes` say what follows (release blocked, rollback…), `state` what
 * the subject says beside the verdict ("re-audits stopped…").
 */
export const renderReport = (
  report: AuditReport,
  ctx: ReportContext,
  notes: readonly string[] = [],
  state?: string,
): { subject: string; text: string } => {
  const what = whatOf(ctx);
  const subject = emailSubject(
    ctx,
    `${report.verdict}${state ? `, ${state}` : ''}${what ? ` for ${what}` : ''}`,
  );
  const cd = report.codedeploy;
  const how = cd
    ? [cd.deploymentConfig, cd.computePlatform, cd.deploymentType].filter(Boolean).join(', ')
    : '';
  const lines = [
    `${headlineOf(report, ctx)}, deployment ${report.deploymentId}`,
    cd ? `CodeDeploy says ${cd.status}${how ? ` (${how})` : ''}.` : 'CodeDeploy could not be asked.',
    ...(report.aliasNow ? [`${aliasLine(report.aliasNow)}.`] : []),
    ...(report.aliasSkipped ? [`GetAlias not asked: ${report.aliasSkipped}.`] : []),
    ...(ctx.bake ? [`Bake: ${describeBake(ctx.bake)}`] : []),
    '',
    `${countsSentence(report)}.`,
    '',
    'Why:',
    ...report.reasons.map((r) => `- ${r}`),
  ];
  if (report.failing.length) {
    lines.push('', `Targets that did not succeed (${report.failing.length}):`);
    for (const t of report.failing.slice(0, LIST_MAX)) lines.push(...targetLines(t));
    const more = report.failing.length - LIST_MAX;
    if (more > 0) lines.push(`… and ${more} more: the full report is in Baton's ledger.`);
  }
  if (notes.length) lines.push('', 'What follows:', ...notes.map((n) => `- ${n}`));
  return { subject, text: `${lines.join('\n')}\n` };
};
