// What a verdict tells the alert topic: PARTIAL, FAILED and INCOMPLETE alert (with what follows), a
// re-audit that stays INCOMPLETE past its limit alerts once more, and an INCOMPLETE that a re-audit
// turned VERIFIED is announced with what became of the release.

import type { AuditDeps } from './ports';
import type { AuditRecord } from './records';
import { passesGate } from './rules/gate';
import { REAUDIT_LIMIT_MS } from './rules/reaudit';
import { renderReport } from './rules/verdict-text';

const contextOf = (rec: AuditRecord) => ({
  application: rec.application,
  environment: rec.environment,
  ...(rec.release ? { release: rec.release } : {}),
  ...(rec.artifact ? { commit: rec.artifact.commit } : {}),
});

const LIMIT_HOURS = REAUDIT_LIMIT_MS / 3_600_000;

const reauditNotes = (rec: AuditRecord): string[] => {
  const r = rec.reaudit;
  if (!r) return [];
  if (r.nextDueAt)
    return [
      `Baton audits it again from ${r.nextDueAt} (re-audits so far: ${r.attempts}), backing off, for up to ${LIMIT_HOURS} h`,
    ];
  if (r.gaveUpAt)
    return [
      `still INCOMPLETE after ${r.attempts} re-audits since ${r.since}: Baton stopped re-auditing; once CodeDeploy answers, run \`baton audit ${rec.deploymentId}\``,
    ];
  return [`was INCOMPLETE since ${r.since}; re-audit ${r.attempts} gave this verdict`];
};

/** What the alert says follows: the release blocked, the rollback, the re-audits. */
export const alertNotes = (rec: AuditRecord): string[] => [
  rec.release
    ? `release ${rec.release} is blocked in ${rec.environment}`
    : `nothing is promoted from this deployment of ${rec.environment}`,
  ...(rec.followUp.done.rollback ? [`rollback: ${rec.followUp.done.rollback}`] : []),
  ...reauditNotes(rec),
];

export const alert = async (deps: AuditDeps, rec: AuditRecord): Promise<string> => {
  const held = rec.bake?.state === 'held';
  if (passesGate(rec.verdict) && !held) return 'not needed';
  const notes = held
    ? [
        `bake held: ${rec.bake?.reason ?? 'inconclusive'}`,
        `release ${rec.release ?? '(none)'} waits in ${rec.environment}: \`baton audit ${rec.deploymentId}\` bakes again, or an operator forces on with a reason`,
      ]
    : alertNotes(rec);
  const rendered = renderReport(rec.report, contextOf(rec), notes);
  const subject = held ? `${rendered.subject}: bake held` : rendered.subject;
  const { text } = rendered;
  const messageId = await deps.notifier.publish(deps.alertTopicArn, {
    subject: rec.reaudit?.gaveUpAt ? `${subject}: re-audits stopped, needs an operator's audit` : subject,
    message: text,
    attributes: { verdict: rec.verdict, application: rec.application, environment: rec.environment },
  });
  return `alert sent (message ${messageId})`;
};

/** INCOMPLETE → VERIFIED, after the advance step: the alert said the release was blocked, this says it moved. */
export const announce = async (deps: AuditDeps, rec: AuditRecord): Promise<string> => {
  const before = rec.history.at(-1)?.verdict;
  if (before !== 'INCOMPLETE' || !passesGate(rec.verdict)) return 'no change to announce';
  const advanced = rec.followUp.done.advance ?? 'the release was not advanced';
  const release = /^release (\S+) advanced$/.exec(advanced)?.[1];
  const resumed = release ? `, release ${release} resumed` : '';
  const what = `${rec.application}${rec.release ? ` ${rec.release}` : ''} in ${rec.environment}`;
  const messageId = await deps.notifier.publish(deps.alertTopicArn, {
    subject: `Baton: INCOMPLETE → VERIFIED${resumed}: ${what}`,
    message: [
      `Deployment ${rec.deploymentId} of ${what} was INCOMPLETE; audited again (${rec.trigger}), it is VERIFIED.`,
      ...(rec.reaudit ? [`INCOMPLETE since ${rec.reaudit.since}; re-audits: ${rec.reaudit.attempts}.`] : []),
      `Release: ${advanced}.`,
    ].join('\n'),
    attributes: { verdict: rec.verdict, application: rec.application, environment: rec.environment },
  });
  return `INCOMPLETE → VERIFIED announced (message ${messageId})`;
};
