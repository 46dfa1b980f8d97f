// The end of a bake, exactly once: read the listed alarms, judge, and replace the audit record (If-Match
// on the one read) with the bake's outcome and a new follow-up. A bake that failed is a FAILED verdict
// (its follow-up rolls back where configured, alerts and blocks the release); one that passed moves the
// release on; a held one alerts and waits. A duplicate or a retry finds the bake ended and does nothing.

import { emitDelivery } from '../audit/audit-delivery';
import { bakeStanding, followUp, markFollowUp } from '../audit/audit-follow-up';
import type { AuditDeps } from '../audit/ports';
import { type AuditRecord, auditRecords, type FollowUpStep, verifiedRecords } from '../audit/records';
import { passesGate } from '../audit/rules/gate';
import { BatonError, errorName } from '../core/rules/errors';
import { auditKeys, verificationKeys } from '../ledger/keys';
import { deploymentRecords } from '../ledger/schemas';
import { newerDeployment } from './newer-deployment';
import type { AlarmReader } from './ports';
import { bakeMarks } from './records';
import { instantOf } from './rules/alarm-event';
import { type AlarmReading, type Bake, type BakeEnd, judgeBake } from './rules/bake';

export interface BakeDeps extends AuditDeps {
  /** CloudWatch; without it a bake that lists alarms cannot end (and says so). */
  alarms?: AlarmReader;
}

/** The follow-up steps run again for each end of a bake; the others keep what they did. */
const AGAIN: Record<Exclude<Bake['state'], 'baking'>, readonly FollowUpStep[]> = {
  passed: ['verdict', 'verified', 'advance'],
  held: ['verdict', 'alert', 'advance'],
  failed: ['verdict', 'verified', 'rollback', 'alert', 'advance', 'announce'],
  superseded: ['verdict', 'alert', 'advance'],
};

/** An alarm event seen going to ALARM counts even if CloudWatch already reads it otherwise. */
const withObserved = (readings: AlarmReading[], observed?: AlarmReading): AlarmReading[] => {
  if (!observed) return readings;
  const found = readings.find((r) => r.name === observed.name);
  const merged = { ...found, ...observed, ...(found?.metric ? { metric: found.metric } : {}) };
  if (found?.threshold) merged.threshold = found.threshold;
  return [...readings.filter((r) => r.name !== observed.name), merged];
};

export interface BakeEndRequest {
  deploymentId: string;
  /** Who asked: "reconcile", "alarm web-5xx ALARM". */
  trigger: string;
  /** The alarm's state as an event reported it. */
  observed?: AlarmReading;
}

/**
 * The delivery metrics the audit left to the bake: the deployment counted with its final verdict, and
 * its lead time and time to restore once the bake passed (from the records as the audit saw them).
 */
const deliveredAfterBake = async (deps: BakeDeps, ended: AuditRecord) => {
  if (ended.bake?.state === 'held' || ended.bake?.state === 'superseded') return () => {};
  // Read before the follow-up moves the environment's VERIFIED pointer; emitted once it ran.
  const [ledger, verified] = passesGate(ended.verdict)
    ? await Promise.all([
        deploymentRecords(deps.store).get(ended.deploymentId),
        verifiedRecords(deps.store).get(ended.application, ended.environment),
      ])
    : [];
  return () => {
    if (!ended.bake?.counted) deps.metrics.delivered(ended.verdict, ended.application, ended.environment);
    if (!ledger) return;
    const { verdict: _judged, ...unjudged } = ledger.record;
    emitDelivery(deps, ended, verified?.record, unjudged);
  };
};

/** Metrics never fail the end of a bake: a read that fails is logged, and the bake ends all the same. */
const safely = async (deps: BakeDeps, id: string, run: () => Promise<unknown> | unknown) => {
  try {
    await run();
  } catch (error) {
    deps.log.error('delivery metrics of a bake not emitted', { deploymentId: id, error: errorName(error) });
  }
};

/** Another write changed the audit record between its read and the replace: read and judge again. */
const CHANGED = Symbol('changed');
const ATTEMPTS = 5;

/**
 * The bake's mark goes only with the bake it marks, once that ended: an audit writes a new bake's mark
 * before its record, so a mark that no record (or a record still baking, or one that ended another
 * bake) explains yet is left to that audit.
 */
const dropMark = async (deps: BakeDeps, rec: AuditRecord | undefined) => {
  if (!rec?.bake || rec.bake.state === 'baking') return;
  const key = verificationKeys.bake(rec.deploymentId);
  const mark = (await bakeMarks(deps.store).at(key))?.record;
  if (mark && mark.until === rec.bake.until) await deps.store.delete(key);
};

/** What became of a request to end a bake. */
export interface BakeEndOutcome {
  text: string;
  /** The bake still runs: not due yet, or it could not be judged. */
  baking: boolean;
  /** Why its alarms could not be read, when that is what keeps it running. */
  unreadable?: string;
}

const still = (text: string, unreadable?: string): BakeEndOutcome => ({
  text,
  baking: true,
  ...(unreadable ? { unreadable } : {}),
});

/** The bake ended elsewhere; a follow-up it left pending gets the open mark reconcile resumes it by. */
const endedElsewhere = async (deps: BakeDeps, rec: AuditRecord | undefined): Promise<BakeEndOutcome> => {
  await dropMark(deps, rec);
  if (!rec?.bake) return { text: 'no bake recorded', baking: false };
  if (rec.followUp.state === 'pending') await markFollowUp(deps, rec);
  return { text: `the bake already ended (${rec.bake.state})`, baking: false };
};

/** CloudWatch's answer, or an AlarmsUnreadableError naming why there is none. */
const readAlarms = async (deps: BakeDeps, names: readonly string[]): Promise<AlarmReading[]> => {
  try {
    return deps.alarms ? await deps.alarms.read(names) : [];
  } catch (error) {
    throw new AlarmsUnreadableError(`DescribeAlarms failed: ${errorName(error)}`, { cause: error });
  }
};

const endOnce = async (deps: BakeDeps, req: BakeEndRequest): Promise<BakeEndOutcome | typeof CHANGED> => {
  const id = req.deploymentId;
  const key = auditKeys.audit(id);
  const stored = await auditRecords(deps.store).at(key);
  const rec = stored?.record;
  if (!stored || !rec?.bake || rec.bake.state !== 'baking') return endedElsewhere(deps, rec);
  const bake = rec.bake;
  const observedAt = req.observed?.stateChangedAt;
  if (observedAt && instantOf(observedAt) < Date.parse(bake.since))
    return still(`the event is older than the bake (since ${bake.since})`);
  const now = deps.clock.now();
  // The alarms now watch the newer deployment: they no longer judge this one.
  const newer = await newerDeployment(deps.store, rec, rec.deploymentCreatedAt ?? bake.since);
  if (!newer && bake.alarms.length > 0 && !deps.alarms)
    return still('no alarm reader wired: the bake waits', 'no alarm reader is wired');
  const read = !newer && bake.alarms.length > 0 ? await readAlarms(deps, bake.alarms) : [];
  const judged: BakeEnd = newer
    ? {
        end: true,
        state: 'superseded',
        reason: `deployment ${newer} started in ${rec.environment}`,
        readings: [],
      }
    : judgeBake(bake, withObserved(read, req.observed), now);
  if (!judged.end) return still(judged.why);
  const ended = endedRecord(rec, judged, req.trigger, now.toISOString());
  // The open follow-up mark first, as the audit does: an end that stops after the replace is resumed.
  await markFollowUp(deps, ended);
  const etag = await deps.store.replace(key, ended, stored.etag);
  if (!etag) return CHANGED;
  deps.log.info('bake ended', { deploymentId: id, bake: bakeStanding(ended), reason: judged.reason });
  await deps.store.delete(verificationKeys.bake(id));
  let emit: () => void = () => {};
  await safely(deps, id, async () => {
    emit = await deliveredAfterBake(deps, ended);
  });
  try {
    await followUp(deps, ended, { audit: etag, marked: true });
  } finally {
    await safely(deps, id, emit);
  }
  return { text: `bake ${judged.state}: ${judged.reason}`, baking: false };
};

const endedRecord = (
  rec: AuditRecord,
  judged: Extract<BakeEnd, { end: true }>,
  trigger: string,
  at: string,
): AuditRecord => {
  const failed = judged.state === 'failed';
  return {
    ...rec,
    verdict: failed ? 'FAILED' : rec.verdict,
    report: failed
      ? {
          ...rec.report,
          verdict: 'FAILED',
          reasons: [...rec.report.reasons, `bake failed: ${judged.reason}`],
        }
      : rec.report,
    ...(rec.bake
      ? {
          bake: {
            ...rec.bake,
            state: judged.state,
            endedAt: at,
            reason: judged.reason,
            readings: judged.readings,
          },
        }
      : {}),
    trigger,
    auditedAt: at,
    followUp: {
      state: 'pending',
      claimedAt: at,
      done: Object.fromEntries(
        Object.entries(rec.followUp.done).filter(([step]) => !AGAIN[judged.state].some((s) => s === step)),
      ),
    },
    history: [...rec.history, { verdict: rec.verdict, trigger: rec.trigger, auditedAt: rec.auditedAt }],
  };
};

/** Ends the bake if it is to end now; says what became of it. */
export const endBakeOutcome = async (deps: BakeDeps, req: BakeEndRequest): Promise<BakeEndOutcome> => {
  // Unrelated writes change the record's ETag too (the audit's follow-up saving its progress, a
  // resumed follow-up's claim): a conflict is judged again, and only a bake no longer baking is left.
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const result = await endOnce(deps, req);
    if (result !== CHANGED) return result;
  }
  throw new BakeEndConflictError(req.deploymentId);
};

export const endBake = async (deps: BakeDeps, req: BakeEndRequest): Promise<string> =>
  (await endBakeOutcome(deps, req)).text;

export class BakeEndConflictError extends BatonError {
  override readonly expose = false;
  override readonly name = 'BakeEndConflictError';
  constructor(deploymentId: string) {
    super(`the audit record of ${deploymentId} kept changing while its bake ended; retried later`);
  }
}

/** CloudWatch could not say how the bake's alarms stand (refused, throttled, unreachable). */
export class AlarmsUnreadableError extends BatonError {
  override readonly expose = false;
  override readonly name = 'AlarmsUnreadableError';
}
