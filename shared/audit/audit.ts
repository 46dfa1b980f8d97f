// Audit a deployment: read CodeDeploy's evidence (the deployment and every target; for Lambda, the alias
// as GetAlias says it is), decide the verdict, record it once, then what follows (audit-follow-up). Safe
// to repeat: a recorded audit is not redone unless the operator asks, and a follow-up abandoned
// half-way is resumed.

import { NotFoundError } from '../core/rules/errors';
import { auditKeys } from '../ledger/keys';
import type { DeploymentRecord } from '../ledger/records';
import { deploymentRecords, stopRecords } from '../ledger/schemas';
import type { Stored } from '../ledger/store';
import {
  type Environment,
  environmentForGroup,
  findApplication,
  findEnvironment,
} from '../pipeline/rules/config';
import { newerDeployment } from '../verification/newer-deployment';
import { bakeMarks } from '../verification/records';
import { type Bake, bakeCounted, startBake } from '../verification/rules/bake';
import { alertNotes, contextOf } from './audit-alerts';
import { emitDelivery } from './audit-delivery';
import { readEvidence, withAliasNow } from './audit-evidence';
import { followUp, type Held, markFollowUp } from './audit-follow-up';
import type { AuditDeps } from './ports';
import { type AuditRecord, auditRecords, type FollowUp, incompleteRecords, verifiedRecords } from './records';
import { type Evidence, isFinished } from './rules/evidence';
import { passesGate, type Verdict } from './rules/gate';
import { nextReaudit, type Reaudit } from './rules/reaudit';
import { type AuditExpectation, type AuditReport, buildReport } from './rules/verdict';
import { renderReport } from './rules/verdict-text';

export { readEvidence } from './audit-evidence';
export type { AuditDeps } from './ports';

export interface AuditRequest {
  deploymentId: string;
  /** Who asked: "eventbridge SUCCESS", "sns FAILURE", "reconcile", "operator alice". */
  trigger: string;
  /** Audit again although a verdict is recorded (the operator's `audit`). */
  again?: boolean;
  /** The group an event named, for a deployment Baton did not start. */
  group?: { codedeployApplication: string; deploymentGroup: string };
  /** Audit again only if the recorded audit is still this one (its auditedAt): one re-audit per verdict. */
  reauditOf?: string;
  /**
   * The event's first delivery: its state was recorded just now, so an audit is unlikely to exist and
   * is not looked for first. The audit record is created with If-None-Match all the same: one that
   * exists is found then, and its follow-up resumed if abandoned.
   */
  firstSighting?: boolean;
}

export type AuditOutcome =
  | {
      outcome: 'audited' | 'recorded-earlier';
      deploymentId: string;
      verdict: Verdict;
      report: AuditReport;
      /** Where the environment bakes. */
      bake?: Bake;
      text: string;
    }
  | { outcome: 'unfinished'; deploymentId: string; status: string };

/** A follow-up claimed longer ago than this was abandoned (the functions time out after 60 s). */
export const FOLLOW_UP_LEASE_MS = 2 * 60_000;

interface Place {
  application: string;
  environment: Environment;
  codedeployApplication: string;
  deploymentGroup: string;
}

const placeOf = (
  deps: AuditDeps,
  req: AuditRequest,
  ledger?: DeploymentRecord,
  evidence?: Evidence,
): Place => {
  if (ledger)
    return {
      application: ledger.application,
      environment: findEnvironment(deps.pipeline, ledger.application, ledger.environment),
      codedeployApplication: findApplication(deps.pipeline, ledger.application).codedeployApplication,
      deploymentGroup: ledger.deploymentGroup,
    };
  const group = evidence?.deployment ?? req.group;
  const found =
    group && environmentForGroup(deps.pipeline, group.codedeployApplication, group.deploymentGroup);
  if (!group || !found)
    throw new NotFoundError(`deployment ${req.deploymentId} belongs to no environment of this pipeline`);
  return {
    application: found.application,
    environment: found.environment,
    codedeployApplication: group.codedeployApplication,
    deploymentGroup: group.deploymentGroup,
  };
};

/** A Stopped deployment: who stopped it and why, if an operator did through Baton (one read, only then). */
const withStop = async (deps: AuditDeps, id: string, evidence: Evidence): Promise<Evidence> => {
  if (evidence.deployment?.status !== 'Stopped') return evidence;
  const stop = (await stopRecords(deps.store).get(id))?.record;
  return stop
    ? { ...evidence, stop: { by: stop.by, reason: stop.reason, autoRollback: stop.autoRollback } }
    : evidence;
};

/**
 * A VERIFIED audit where the environment bakes starts its bake; an operator's re-audit keeps a bake
 * that runs or passed, and starts a new one after a held or failed one (verifying again).
 */
const bakeOf = (env: Environment, verdict: Verdict, now: string, earlier?: AuditRecord): Bake | undefined => {
  if (verdict !== 'VERIFIED' || !env.verify) return undefined;
  const kept = earlier?.verdict === 'VERIFIED' ? earlier.bake : undefined;
  if (kept && (kept.state === 'baking' || kept.state === 'passed')) return kept;
  const bake = startBake(env.verify, new Date(now));
  // The deployment is counted once, by the first bake's end that counts it.
  return earlier?.bake && bakeCounted(earlier.bake) ? { ...bake, counted: true } : bake;
};

const outcomeOf = (rec: AuditRecord, outcome: 'audited' | 'recorded-earlier'): AuditOutcome => ({
  outcome,
  deploymentId: rec.deploymentId,
  verdict: rec.verdict,
  report: rec.report,
  ...(rec.bake ? { bake: rec.bake } : {}),
  text: renderReport(rec.report, contextOf(rec), passesGate(rec.verdict) ? [] : alertNotes(rec)).text,
});

const claim = async (deps: AuditDeps, rec: AuditRecord, held: Held = { marked: true }) => {
  if (held.marked) await markFollowUp(deps, rec);
  return outcomeOf(await followUp(deps, rec, held), 'audited');
};

/** Resumes a follow-up whose claim ran out, unless someone else takes it over first. */
const resume = async (deps: AuditDeps, existing: Stored<AuditRecord>): Promise<AuditOutcome> => {
  const rec = existing.record;
  const age = deps.clock.now().getTime() - Date.parse(rec.followUp.claimedAt);
  if (rec.followUp.state === 'done' || age < FOLLOW_UP_LEASE_MS) return outcomeOf(rec, 'recorded-earlier');
  const claimed = { ...rec, followUp: { ...rec.followUp, claimedAt: deps.clock.now().toISOString() } };
  if (!(await deps.store.replace(auditKeys.audit(rec.deploymentId), claimed, existing.etag)))
    return outcomeOf(rec, 'recorded-earlier');
  return claim(deps, claimed);
};

// A re-audit never rolls back a second time, and alerts again only if the verdict changed (or its
// re-audits just stopped at their limit).
const carried = (earlier: AuditRecord | undefined, verdict: Verdict, reaudit?: Reaudit): FollowUp['done'] => {
  const done = earlier?.followUp.done ?? {};
  const same = earlier?.verdict === verdict && !earlier.reaudit?.gaveUpAt === !reaudit?.gaveUpAt;
  return {
    ...(done.rollback ? { rollback: done.rollback } : {}),
    ...(done.alert && same ? { alert: done.alert } : {}),
  };
};

export const audit = async (deps: AuditDeps, req: AuditRequest): Promise<AuditOutcome> => {
  const id = req.deploymentId;
  const auditKey = auditKeys.audit(id);
  const unread = Boolean(req.firstSighting && !req.again);
  const existing = unread ? undefined : await auditRecords(deps.store).at(auditKey);
  if (existing && (!req.again || (req.reauditOf && existing.record.auditedAt !== req.reauditOf)))
    return resume(deps, existing);

  const stored = await deploymentRecords(deps.store).get(id);
  const ledger = stored?.record;
  const read = await readEvidence(deps.reader, id);
  const { unknown } = read;
  const stopped = await withStop(deps, id, read.evidence);
  if (unknown && !ledger && !existing) throw new NotFoundError(`CodeDeploy has no deployment ${id}`);
  if (stopped.deployment && !isFinished(stopped.deployment.status))
    return { outcome: 'unfinished', deploymentId: id, status: stopped.deployment.status };
  const place = placeOf(deps, req, ledger, stopped);
  const env = place.environment;
  // Newer: started by Baton in this environment after this one, as the bake judges it (a rollback holding
  // the group included). One Baton did not start has no record to compare with, and is asked about.
  const evidence = await withAliasNow(deps.lambda?.aliases, env.group?.lambda, stopped, async () =>
    ledger
      ? newerDeployment(
          deps.store,
          { deploymentId: id, application: place.application, environment: env.name },
          ledger.createdAt,
        )
      : undefined,
  );
  const verifiedStored = await verifiedRecords(deps.store).get(place.application, env.name);
  const verified = verifiedStored?.record;
  const expectation: AuditExpectation = {
    minimumTargets: env.audit.minimumTargets,
    tolerate: env.audit.tolerate,
    ...(env.group?.alarms.length ? { groupAlarms: env.group.alarms } : {}),
    ...(verified && verified.deploymentId !== id
      ? { lastVerified: { deploymentId: verified.deploymentId, fleet: verified.fleet } }
      : {}),
  };
  const report = buildReport(id, evidence, expectation);
  const now = deps.clock.now().toISOString();
  const earlier = existing?.record;
  const reaudit = nextReaudit(earlier?.reaudit, report.verdict, new Date(now));
  const bake = bakeOf(env, report.verdict, now, earlier);
  if (unread && (reaudit?.nextDueAt || bake)) {
    // A re-audit or bake mark must not replace the one of an audit recorded earlier: look for it first.
    const found = await auditRecords(deps.store).at(auditKey);
    if (found) return resume(deps, found);
  }
  // The mark first: an INCOMPLETE verdict is never recorded without a re-audit that reconcile finds.
  if (reaudit?.nextDueAt)
    await incompleteRecords(deps.store).put(auditKeys.incomplete(id), {
      v: 1,
      deploymentId: id,
      at: now,
      dueAt: reaudit.nextDueAt,
    });
  // Likewise, a bake is never recorded without the mark by which reconcile ends it.
  if (bake?.state === 'baking')
    await bakeMarks(deps.store).put(bakeMarks(deps.store).key(id), {
      v: 1,
      deploymentId: id,
      until: bake.until,
      alarms: bake.alarms,
      application: place.application,
      environment: env.name,
      since: ledger?.createdAt ?? bake.since,
    });
  const record: AuditRecord = {
    v: 1,
    kind: 'audit',
    deploymentId: id,
    codedeployApplication: place.codedeployApplication,
    deploymentGroup: place.deploymentGroup,
    application: place.application,
    environment: env.name,
    inLedger: Boolean(ledger),
    ...(ledger?.release ? { release: ledger.release } : {}),
    ...(ledger
      ? { artifact: ledger.artifact, cause: ledger.cause.type, deploymentCreatedAt: ledger.createdAt }
      : {}),
    verdict: report.verdict,
    trigger: req.trigger,
    auditedAt: now,
    report,
    followUp: { state: 'pending', claimedAt: now, done: carried(earlier, report.verdict, reaudit) },
    ...(reaudit ? { reaudit } : {}),
    ...(bake ? { bake } : {}),
    history: earlier
      ? [
          ...earlier.history,
          { verdict: earlier.verdict, trigger: earlier.trigger, auditedAt: earlier.auditedAt },
        ]
      : [],
  };
  const written = existing
    ? await deps.store.replace(auditKey, record, existing.etag)
    : await deps.store.create(auditKey, record);
  if (!written) {
    // Another delivery of the same event (EventBridge and SNS, or a retry) recorded it first; or,
    // not looked for first, an audit made earlier, whose follow-up is resumed if it was abandoned.
    const winner = await auditRecords(deps.store).at(auditKey);
    if (winner) return resume(deps, winner);
    throw new Error(`audit record ${auditKey} changed under us and vanished`);
  }
  if (earlier?.reaudit?.nextDueAt && !reaudit?.nextDueAt) await deps.store.delete(auditKeys.incomplete(id));
  deps.metrics.audited(report.verdict, env.name, report.failing.length);
  deps.log.info('deployment audited', { deploymentId: id, verdict: report.verdict, reasons: report.reasons });
  // The first verdict on a deployment Baton started: it still holds its group's slot until the last
  // step frees it, and reconcile finds an abandoned follow-up by that slot (auditStaleDeployments),
  // so no open follow-up mark is needed. Any other follow-up is marked.
  const first = Boolean(ledger && !ledger.verdict && !existing);
  // A VERIFIED audit that starts a bake is not delivered yet: the bake's end counts it (bake-end.ts).
  const bakes = record.bake?.state === 'baking';
  if (first && !bakes) deps.metrics.delivered(report.verdict, place.application, env.name);
  if (!bakes) emitDelivery(deps, record, verified, ledger, earlier);
  return claim(deps, record, {
    audit: written,
    ...(stored ? { deployment: stored } : {}),
    verified: verifiedStored ?? null,
    marked: !first,
    holdsSlot: first,
  });
};
