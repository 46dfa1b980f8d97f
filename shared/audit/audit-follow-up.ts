// What follows a verdict, as resumable steps: record it on the deployment, remember the newest
// VERIFIED deployment, roll back where configured, alert, move the release (and announce an INCOMPLETE
// that turned VERIFIED), free the group. A step that throws is retried later (Lambda's retry, or
// reconcile once the lease ran out); the others, freeing the group above all, still run.

import type { VerdictSeen } from '../core/ports';
import { BatonError, errorName } from '../core/rules/errors';
import type { DeployOutcome } from '../deployments/deployment-launch';
import { releaseGroup, type StartNextOutcome } from '../deployments/deployment-queue';
import { requestDeployment } from '../deployments/deployments';
import { auditKeys, keys } from '../ledger/keys';
import type { DeploymentRecord } from '../ledger/records';
import { deploymentRecords } from '../ledger/schemas';
import type { Stored } from '../ledger/store';
import { findEnvironment } from '../pipeline/rules/config';
import { promotableRelease } from '../releases/branch-releases';
import { newerDeployment } from '../verification/newer-deployment';
import { type BakeStanding, bakePassed } from '../verification/rules/bake';
import { alert, announce, rollbackDedupeKey } from './audit-alerts';
import { judgedOf } from './audit-delivery';
import type { AuditDeps } from './ports';
import {
  type AuditRecord,
  auditRecords,
  type FollowUpStep,
  followUpMarkRecords,
  type VerifiedDeployment,
  verifiedRecords,
} from './records';
import { failingAfter } from './rules/delivery';
import { passesGate } from './rules/gate';

/**
 * What the audit already holds as this invocation read or wrote it, so that the follow-up changes the
 * records without reading them again (only a conflict reads).
 */
export interface Held {
  /** The audit record's ETag as last written by this invocation. */
  audit?: string;
  deployment?: Stored<DeploymentRecord>;
  /** The environment's last VERIFIED deployment before this audit; null: there was none. */
  verified?: Stored<VerifiedDeployment> | null;
  /** An open follow-up mark was written, to be removed at the end (audit.ts says when it is not). */
  marked: boolean;
  /**
   * The deployment still holds its group's slot, as it does until this first follow-up of its first
   * verdict frees it; a resumed follow-up does not know that and reads the slot first.
   */
  holdsSlot?: boolean;
}

/** The open follow-up mark reconcile finds an unfinished follow-up by (resumeFollowUps). */
export const markFollowUp = (deps: AuditDeps, rec: AuditRecord) =>
  followUpMarkRecords(deps.store).put(auditKeys.openFollowUp(rec.deploymentId), {
    v: 1,
    deploymentId: rec.deploymentId,
    claimedAt: rec.followUp.claimedAt,
  });

/** A step that did nothing: nothing to remember before the next step runs. */
interface Quiet {
  quiet: string;
}
const quiet = (note: string): Quiet => ({ quiet: note });

type Step = (deps: AuditDeps, rec: AuditRecord, held: Held) => Promise<string | Quiet>;

export class FollowUpError extends BatonError {
  /** A failure of Baton's own, retried later: no caller is told about it. */
  override readonly expose = false;
  override readonly name = 'FollowUpError';
  constructor(readonly steps: readonly FollowUpStep[]) {
    super(`follow-up steps failed: ${steps.join(', ')}`);
  }
}

const revisionOf = (v: { release?: string; artifact: { commit: string } }) =>
  v.release ?? `commit ${v.artifact.commit.slice(0, 12)}`;

const started = (o: DeployOutcome | StartNextOutcome) =>
  typeof o === 'string'
    ? { idle: 'nothing queued', busy: 'the group is busy' }[o]
    : o.outcome === 'started'
      ? `started ${o.deploymentId}`
      : o.outcome === 'queued'
        ? `queued (${o.reason})`
        : o.outcome === 'unchanged'
          ? `nothing to deploy, ${o.note}`
          : `already requested (${o.state})`;

/** What the release flow reads of the audit's bake. */
export const bakeStanding = (rec: AuditRecord): BakeStanding | undefined =>
  rec.bake ? { state: rec.bake.state, until: rec.bake.until } : undefined;

/** VERIFIED, and baked where the environment bakes: the verdict that moves a release on. */
export const verifiedAndBaked = (rec: AuditRecord) => passesGate(rec.verdict) && bakePassed(rec.bake);

const recordVerdict: Step = async (deps, rec, held) => {
  if (!rec.inLedger) return 'not in the ledger: Baton did not start this deployment';
  const finishedAt = rec.report.codedeploy?.completedAt ?? rec.auditedAt;
  const bake = bakeStanding(rec);
  let newer: string | undefined;
  const updated = await deploymentRecords(deps.store).update(
    keys.deployment(rec.deploymentId),
    (d) => {
      // A newer audit (the end of a bake, a re-audit) recorded its verdict meanwhile: it stands.
      if (d.verdictAt && d.verdictAt > rec.auditedAt) newer = d.verdictAt;
      if (newer) return undefined;
      return d.verdict === rec.verdict && d.finishedAt && d.bake?.state === bake?.state && d.verdictAt
        ? undefined
        : {
            ...d,
            verdict: rec.verdict,
            verdictAt: rec.auditedAt,
            finishedAt: d.finishedAt ?? finishedAt,
            ...(bake ? { bake } : {}),
          };
    },
    5,
    held.deployment,
  );
  if (!updated) return 'the deployment record is gone';
  if (newer) return `not recorded: the deployment holds a newer verdict (of ${newer})`;
  return `${rec.verdict}${bake ? ` (bake ${bake.state})` : ''} recorded on the deployment`;
};

/**
 * Not VERIFIED: the environment's pointer keeps when its failures began (the first since it was
 * VERIFIED), for the time to restore that the next VERIFIED verdict reports. A write on failure only.
 */
const markFailing: Step = async (deps, rec, held) => {
  if (held.verified === null) return quiet('not VERIFIED; the environment was never VERIFIED');
  let marked = false;
  const kept = await verifiedRecords(deps.store).updateStored(
    auditKeys.verified(rec.application, rec.environment),
    (current) => {
      const failingSince = failingAfter(current, judgedOf(rec));
      marked = Boolean(failingSince);
      return failingSince ? { ...current, failingSince } : undefined;
    },
    held.verified,
  );
  if (!kept) return quiet('not VERIFIED; the environment was never VERIFIED');
  held.verified = kept;
  const since = kept.record.failingSince?.deploymentId;
  if (marked) return `not VERIFIED; the environment fails since ${rec.deploymentId}`;
  return quiet(
    since
      ? `not VERIFIED; the environment fails since ${since}`
      : 'not VERIFIED; a newer deployment is VERIFIED',
  );
};

const rememberVerified: Step = async (deps, rec, held) => {
  if (!passesGate(rec.verdict)) return markFailing(deps, rec, held);
  if (!bakePassed(rec.bake)) return `not yet: the bake is ${rec.bake?.state ?? 'unknown'}`;
  if (!rec.artifact || !rec.deploymentCreatedAt) return 'not started by Baton: its revision is unknown';
  const verified: VerifiedDeployment = {
    v: 1,
    kind: 'verified',
    deploymentId: rec.deploymentId,
    application: rec.application,
    environment: rec.environment,
    artifact: rec.artifact,
    ...(rec.release ? { release: rec.release } : {}),
    fleet: rec.report.counts.expected,
    deploymentCreatedAt: rec.deploymentCreatedAt,
    verifiedAt: rec.auditedAt,
  };
  const key = auditKeys.verified(rec.application, rec.environment);
  // Created where none was read (or nothing is known); else changed from the record as read.
  if (!held.verified && (await deps.store.create(key, verified)))
    return 'the newest VERIFIED deployment of the environment';
  // A re-audit of an older deployment must not move the pointer back.
  const kept = await verifiedRecords(deps.store).update(
    key,
    (current) => (current.deploymentCreatedAt > verified.deploymentCreatedAt ? undefined : verified),
    5,
    held.verified ?? undefined,
  );
  return kept?.deploymentId === rec.deploymentId
    ? 'the newest VERIFIED deployment of the environment'
    : `a newer VERIFIED deployment is remembered (${kept?.deploymentId ?? 'none'})`;
};

const rollBack: Step = async (deps, rec, held) => {
  if (passesGate(rec.verdict)) return quiet('not needed');
  const env = findEnvironment(deps.pipeline, rec.application, rec.environment);
  if (env.onFailure !== 'rollback')
    return quiet('none: the environment blocks on failure (onFailure: block)');
  if (rec.cause === 'rollback') return quiet('none: this deployment was itself a rollback');
  const stop = rec.report.stop;
  if (stop)
    return quiet(
      `none: stopped by ${stop.by}, ${stop.autoRollback ? 'with CodeDeploy rolling it back itself' : 'who asked for no rollback'}`,
    );
  // A failed bake judged the environment as it ran: once newer code runs there, rolling back would
  // replace that code, not this deployment's.
  const newer =
    rec.bake && (await newerDeployment(deps.store, rec, rec.deploymentCreatedAt ?? rec.bake.since));
  if (newer) return quiet(`none: deployment ${newer} started in ${rec.environment} after this one`);
  // Not VERIFIED, so the step before left the pointer's deployment as the audit read it.
  const last =
    held.verified === undefined
      ? (await verifiedRecords(deps.store).get(rec.application, rec.environment))?.record
      : held.verified?.record;
  if (!last) return quiet('none: no earlier VERIFIED deployment in this environment');
  if (last.deploymentId === rec.deploymentId) return quiet('none: this deployment is the last VERIFIED one');
  const a = rec.artifact;
  if (
    a &&
    a.key === last.artifact.key &&
    a.etag === last.artifact.etag &&
    a.versionId === last.artifact.versionId
  )
    return quiet('none: the last VERIFIED revision is the one that failed');
  const outcome = await requestDeployment(deps, {
    application: rec.application,
    environment: rec.environment,
    artifact: last.artifact,
    cause: { type: 'rollback', detail: `rollback after ${rec.verdict} of ${rec.deploymentId}` },
    // Exactly one rollback per failed deployment, however often this step runs.
    dedupeKey: rollbackDedupeKey(rec.deploymentId),
  });
  const what = `redeploy of ${revisionOf(last)} (VERIFIED in ${last.deploymentId})`;
  // Queued behind this very deployment: it starts when the release step frees the group.
  if (outcome.outcome === 'queued') return `${what} requested; it starts once the group is free`;
  return `${what} requested: ${started(outcome)}`;
};

const advance: Step = async (deps, rec, held) => {
  const release = rec.release ?? (await promotableRelease(deps, rec));
  if (!release) return 'no release';
  if (!deps.releaseFlow) {
    deps.log.warn('no release flow wired: release not advanced', { release });
    return `release ${release} not advanced: no release flow is wired`;
  }
  // The verdict just recorded on the release's own deployment, handed over rather than read back.
  const requestId = held.deployment?.record.requestId;
  const seen: VerdictSeen | undefined =
    rec.release && requestId
      ? {
          environment: rec.environment,
          requestId,
          deploymentId: rec.deploymentId,
          verdict: rec.verdict,
          ...(rec.bake ? { bake: { state: rec.bake.state, until: rec.bake.until } } : {}),
          audit: rec,
        }
      : undefined;
  await deps.releaseFlow.advance(
    rec.application,
    release,
    `audit ${rec.verdict} of ${rec.deploymentId}`,
    seen,
  );
  if (passesGate(rec.verdict) && rec.bake?.state === 'baking')
    return `release ${release} waits for the bake (until ${rec.bake.until})`;
  return verifiedAndBaked(rec) ? `release ${release} advanced` : `release ${release} blocked`;
};

const release: Step = async (deps, rec, held) => {
  const { application, environment, deploymentId } = rec;
  const next = await releaseGroup(deps, application, environment, deploymentId, held.holdsSlot);
  return `group released; ${started(next)}`;
};

/** A bake that ended without passing or failing: the release waits or is blocked, and people are told. */
const unsettled = (rec: AuditRecord) => rec.bake?.state === 'held' || rec.bake?.state === 'superseded';

const alertStep: Step = async (deps, rec) =>
  passesGate(rec.verdict) && !unsettled(rec) ? quiet('not needed') : alert(deps, rec);

const announceStep: Step = async (deps, rec) =>
  rec.history.at(-1)?.verdict === 'INCOMPLETE' && passesGate(rec.verdict)
    ? announce(deps, rec)
    : quiet('no change to announce');

// Order matters: the rollback is requested before the group is released, so it is what starts next.
const STEPS: readonly [FollowUpStep, Step, boolean][] = [
  ['verdict', recordVerdict, false],
  ['verified', rememberVerified, false],
  ['rollback', rollBack, true],
  ['advance', advance, false],
  ['announce', announceStep, true],
  ['release', release, false],
  // After the group is released: the alert can then name the rollback's deployment, started by it.
  ['alert', alertStep, true],
];

/** Saves the follow-up's progress: from the record as last written when its ETag is known. */
const save = async (deps: AuditDeps, rec: AuditRecord, held: Held) => {
  const saved = await auditRecords(deps.store).updateStored(
    auditKeys.audit(rec.deploymentId),
    (current) =>
      // An operator's re-audit replaced the record meanwhile: its own follow-up takes over.
      current.auditedAt === rec.auditedAt ? { ...current, followUp: rec.followUp } : undefined,
    held.audit ? { record: rec, etag: held.audit } : undefined,
  );
  held.audit = saved?.etag;
};

/**
 * Runs the steps not done yet; the record comes back with what each step did. Progress is saved after
 * a step that did something that must not be done twice (a rollback requested, an alert sent), and at
 * the end; a step that did nothing writes nothing.
 */
export const followUp = async (
  deps: AuditDeps,
  record: AuditRecord,
  held: Held = { marked: true },
): Promise<AuditRecord> => {
  let rec = record;
  const failed: FollowUpStep[] = [];
  for (const [name, run, persist] of STEPS) {
    if (rec.followUp.done[name] !== undefined) continue;
    // Freeing the group takes away the slot that marked this follow-up: a step left to retry needs
    // the open follow-up mark by then, for reconcile to find it.
    if (name === 'release' && failed.length > 0 && !held.marked) {
      await markFollowUp(deps, rec);
      held.marked = true;
    }
    try {
      const result = await run(deps, rec, held);
      const note = typeof result === 'string' ? result : result.quiet;
      rec = { ...rec, followUp: { ...rec.followUp, done: { ...rec.followUp.done, [name]: note } } };
      if (persist && typeof result === 'string') await save(deps, rec, held);
    } catch (error) {
      failed.push(name);
      // The release step may have freed the slot that marked this follow-up before it failed.
      if (name === 'release' && !held.marked) {
        held.marked = await markFollowUp(deps, rec).then(
          () => true,
          () => false,
        );
      }
      deps.log.error('audit follow-up step failed', {
        deploymentId: rec.deploymentId,
        step: name,
        error: errorName(error),
      });
    }
  }
  if (failed.length) {
    // A step after the release (the alert) failed once the group's slot, which marked it, was freed.
    if (!held.marked) {
      await markFollowUp(deps, rec);
      held.marked = true;
    }
    await save(deps, rec, held);
    throw new FollowUpError(failed);
  }
  rec = { ...rec, followUp: { ...rec.followUp, state: 'done', finishedAt: deps.clock.now().toISOString() } };
  await save(deps, rec, held);
  if (held.marked) await deps.store.delete(auditKeys.openFollowUp(rec.deploymentId));
  return rec;
};
