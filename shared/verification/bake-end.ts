// The end of a bake, exactly once: read the listed alarms, judge, and replace the audit record (If-Match
// on the one read) with the bake's outcome and a new follow-up. A bake that failed is a FAILED verdict
// (its follow-up rolls back where configured, alerts and blocks the release); one that passed moves the
// release on; a held one alerts and waits. A duplicate or a retry finds the bake ended and does nothing.

import { emitDelivery } from '../audit/audit-delivery';
import { bakeStanding, followUp, markFollowUp } from '../audit/audit-follow-up';
import type { AuditDeps } from '../audit/ports';
import { type AuditRecord, auditRecords, type FollowUpStep, verifiedRecords } from '../audit/records';
import { passesGate } from '../audit/rules/gate';
import { auditKeys, verificationKeys } from '../ledger/keys';
import { deploymentRecords } from '../ledger/schemas';
import { newerDeployment } from './newer-deployment';
import type { AlarmReader } from './ports';
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
  deps.metrics.delivered(ended.verdict, ended.application, ended.environment);
  if (!passesGate(ended.verdict)) return;
  const [ledger, verified] = await Promise.all([
    deploymentRecords(deps.store).get(ended.deploymentId),
    verifiedRecords(deps.store).get(ended.application, ended.environment),
  ]);
  if (!ledger) return;
  const { verdict: _judged, ...unjudged } = ledger.record;
  emitDelivery(deps, ended, verified?.record, unjudged);
};

export const endBake = async (deps: BakeDeps, req: BakeEndRequest): Promise<string> => {
  const id = req.deploymentId;
  const key = auditKeys.audit(id);
  const stored = await auditRecords(deps.store).at(key);
  const rec = stored?.record;
  if (!stored || !rec?.bake || rec.bake.state !== 'baking') {
    await deps.store.delete(verificationKeys.bake(id));
    return rec?.bake ? `the bake already ended (${rec.bake.state})` : 'no bake recorded';
  }
  const bake = rec.bake;
  const now = deps.clock.now();
  // The alarms now watch the newer deployment: they no longer judge this one.
  const newer = await newerDeployment(deps.store, rec, rec.deploymentCreatedAt ?? bake.since);
  if (!newer && bake.alarms.length > 0 && !deps.alarms) return 'no alarm reader wired: the bake waits';
  const read = !newer && bake.alarms.length > 0 && deps.alarms ? await deps.alarms.read(bake.alarms) : [];
  const judged: BakeEnd = newer
    ? {
        end: true,
        state: 'superseded',
        reason: `deployment ${newer} started in ${rec.environment}`,
        readings: [],
      }
    : judgeBake(bake, withObserved(read, req.observed), now);
  if (!judged.end) return judged.why;
  const at = now.toISOString();
  const failed = judged.state === 'failed';
  const ended: AuditRecord = {
    ...rec,
    verdict: failed ? 'FAILED' : rec.verdict,
    report: failed
      ? {
          ...rec.report,
          verdict: 'FAILED',
          reasons: [...rec.report.reasons, `bake failed: ${judged.reason}`],
        }
      : rec.report,
    bake: { ...bake, state: judged.state, endedAt: at, reason: judged.reason, readings: judged.readings },
    trigger: req.trigger,
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
  const etag = await deps.store.replace(key, ended, stored.etag);
  if (!etag) return 'ended by another invocation';
  deps.log.info('bake ended', { deploymentId: id, bake: bakeStanding(ended), reason: judged.reason });
  if (judged.state !== 'held' && judged.state !== 'superseded') await deliveredAfterBake(deps, ended);
  await markFollowUp(deps, ended);
  await deps.store.delete(verificationKeys.bake(id));
  await followUp(deps, ended, { audit: etag, marked: true });
  return `bake ${judged.state}: ${judged.reason}`;
};
