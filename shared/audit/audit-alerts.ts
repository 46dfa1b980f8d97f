// What a verdict tells the alert topic: PARTIAL, FAILED and INCOMPLETE alert (with what follows), a
// re-audit that stays INCOMPLETE past its limit alerts once more, and an INCOMPLETE that a re-audit
// turned VERIFIED is announced with what became of the release.

import { emailSubject } from '../core/rules/email-subject';
import { BatonError, errorName } from '../core/rules/errors';
import { requestId } from '../deployments/deployments';
import { requestRecords } from '../ledger/schemas';
import { findEnvironment } from '../pipeline/rules/config';
import { nextOnPath } from '../releases/next-on-path';
import type { AuditDeps } from './ports';
import { type AuditRecord, verifiedRecords } from './records';
import { passesGate } from './rules/gate';
import { type AroundFacts, heldBakeSteps, type NextStepFacts, nextSteps } from './rules/next-steps';
import { REAUDIT_LIMIT_MS } from './rules/reaudit';
import { type ReportContext, renderReport } from './rules/verdict-text';

/** What the report's text says of the deployment beside its evidence. */
export const contextOf = (rec: AuditRecord): ReportContext => ({
  application: rec.application,
  environment: rec.environment,
  ...(rec.release ? { release: rec.release } : {}),
  ...(rec.artifact ? { commit: rec.artifact.commit } : {}),
  ...(rec.bake ? { bake: rec.bake } : {}),
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
      `still INCOMPLETE after ${r.attempts} re-audits since ${r.since}: Baton stopped re-auditing; once CodeDeploy answers, audit it again (Next: gives the command)`,
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

/** The one request Baton's own rollback after a deployment makes, however often its step runs. */
export const rollbackDedupeKey = (deploymentId: string) => `rollback:${deploymentId}`;

/** Baton's own rollback, when it requested one (its step says "none: …" when it did not). */
const rolledBack = async (deps: AuditDeps, rec: AuditRecord): Promise<AroundFacts['rolledBack']> => {
  const done = rec.followUp.done.rollback;
  if (!done || done.startsWith('none')) return undefined;
  const id = requestId(rec.application, rec.environment, rollbackDedupeKey(rec.deploymentId));
  const request = (await requestRecords(deps.store).get(rec.application, rec.environment, id))?.record;
  return { done, ...(request?.deploymentId ? { deploymentId: request.deploymentId } : {}) };
};

/** What retry and rollback depend on: the environment's gate, its last VERIFIED deployment, the rollback. */
const aroundFacts = async (deps: AuditDeps, rec: AuditRecord): Promise<AroundFacts> => {
  const environment = findEnvironment(deps.pipeline, rec.application, rec.environment);
  const [verified, rollback] = await Promise.all([
    verifiedRecords(deps.store).get(rec.application, rec.environment),
    rolledBack(deps, rec),
  ]);
  const v = verified?.record;
  return {
    environment,
    ...(v
      ? {
          lastVerified: {
            deploymentId: v.deploymentId,
            commit: v.artifact.commit,
            artifact: v.artifact,
            ...(v.release ? { release: v.release } : {}),
          },
        }
      : {}),
    ...(rollback ? { rolledBack: rollback } : {}),
  };
};

// An alert that cannot work out its next steps is still sent: a failed deployment must reach someone.
const unknownBecause = (error: unknown) =>
  `its facts could not be read (${error instanceof BatonError ? error.message : errorName(error)})`;

const nextStepFacts = async (deps: AuditDeps, rec: AuditRecord): Promise<NextStepFacts> => ({
  deploymentId: rec.deploymentId,
  application: rec.application,
  verdict: rec.verdict,
  ...(rec.release ? { release: rec.release } : {}),
  ...(rec.artifact ? { commit: rec.artifact.commit, artifact: rec.artifact } : {}),
  around: await aroundFacts(deps, rec).catch((error: unknown) => {
    deps.log.warn('alert sent without retry and rollback steps', { error: errorName(error) });
    return { unknown: unknownBecause(error) };
  }),
});

/** What a held bake's steps need: the bake a re-audit starts, and the release's next environment. */
const heldFacts = async (deps: AuditDeps, rec: AuditRecord) => {
  // A re-audit bakes as pipeline.yml says now.
  const env = deps.pipeline.applications[rec.application]?.environments.find(
    (e) => e.name === rec.environment,
  );
  const next = rec.release
    ? await nextOnPath(deps, rec.application, rec.release, rec.environment).catch((error: unknown) => {
        deps.log.warn('held-bake alert sent without its force command', { error: errorName(error) });
        return undefined;
      })
    : undefined;
  return {
    deploymentId: rec.deploymentId,
    application: rec.application,
    release: rec.release,
    next,
    bakeMinutes: env?.verify?.bakeMinutes ?? rec.bake?.minutes ?? 0,
  };
};

export const alert = async (deps: AuditDeps, rec: AuditRecord): Promise<string> => {
  const held = rec.bake?.state === 'held';
  const superseded = rec.bake?.state === 'superseded';
  if (passesGate(rec.verdict) && !held && !superseded) return 'not needed';
  const stopped = rec.reaudit?.gaveUpAt ? "re-audits stopped, needs an operator's audit" : undefined;
  const notes = held
    ? [
        `bake held: ${rec.bake?.reason ?? 'inconclusive'}`,
        `release ${rec.release ?? '(none)'} waits in ${rec.environment}: auditing again starts a fresh bake, or an operator forces on with a reason`,
      ]
    : superseded
      ? [
          `bake superseded: ${rec.bake?.reason ?? 'a newer deployment started'}`,
          `release ${rec.release ?? '(none)'} is blocked in ${rec.environment}: newer code runs there before its bake ended`,
        ]
      : alertNotes(rec);
  const tag = held ? 'bake held' : superseded ? 'bake superseded' : stopped;
  const { subject, text } = renderReport(rec.report, contextOf(rec), notes, tag);
  const origin = deps.origin ?? { console: false };
  const steps = held
    ? heldBakeSteps(await heldFacts(deps, rec), origin)
    : superseded
      ? []
      : nextSteps(await nextStepFacts(deps, rec), origin);
  const messageId = await deps.notifier.publish(deps.alertTopicArn, {
    subject,
    message: `${text}\n${steps.join('\n')}\n`,
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
  const resumed = release ? `, release ${release} resumed` : rec.release ? ` for release ${rec.release}` : '';
  const what = `${rec.application}${rec.release ? ` ${rec.release}` : ''} in ${rec.environment}`;
  const messageId = await deps.notifier.publish(deps.alertTopicArn, {
    subject: emailSubject(rec, `INCOMPLETE → VERIFIED${resumed}`),
    message: [
      `Deployment ${rec.deploymentId} of ${what} was INCOMPLETE; audited again (${rec.trigger}), it is VERIFIED.`,
      ...(rec.reaudit ? [`INCOMPLETE since ${rec.reaudit.since}; re-audits: ${rec.reaudit.attempts}.`] : []),
      `Release: ${advanced}.`,
    ].join('\n'),
    attributes: { verdict: rec.verdict, application: rec.application, environment: rec.environment },
  });
  return `INCOMPLETE → VERIFIED announced (message ${messageId})`;
};
