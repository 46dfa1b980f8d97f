// Where bakes end: reconcile's schedule ends each bake that is due (the end of the bake is never an
// event of its own, so a missed one cannot lose it), and a listed alarm's state-change event to ALARM
// ends the bakes that watch it at once. Both go through endBake, which ends a bake exactly once.

import { errorName } from '../core/rules/errors';
import { parseWith } from '../core/rules/parse';
import { verificationKeys } from '../ledger/keys';
import type { ReconcileStep } from '../reconcile/reconcile-step';
import { type BakeDeps, endBake } from './bake-end';
import { newerDeployment } from './newer-deployment';
import { type BakeMark, bakeMarks } from './records';
import { alarmEventSchema } from './rules/alarm-event';

const marks = async (deps: BakeDeps): Promise<BakeMark[]> => {
  const found: BakeMark[] = [];
  for (const key of await deps.store.list(verificationKeys.bakes())) {
    const mark = (await bakeMarks(deps.store).at(key))?.record;
    if (mark) found.push(mark);
  }
  return found;
};

const endEach = async (deps: BakeDeps, due: BakeMark[], trigger: string) => {
  const results: Record<string, string> = {};
  for (const mark of due) {
    try {
      results[mark.deploymentId] = await endBake(deps, { deploymentId: mark.deploymentId, trigger });
    } catch (error) {
      deps.log.error('a bake could not end', { deploymentId: mark.deploymentId, error: errorName(error) });
      results[mark.deploymentId] = `failed: ${errorName(error)}`;
    }
  }
  return results;
};

/** A bake not due yet whose environment got a newer deployment: it ends now, as superseded. */
const superseded = async (deps: BakeDeps, m: BakeMark) =>
  Boolean(
    m.application &&
      m.environment &&
      (await newerDeployment(
        deps.store,
        { deploymentId: m.deploymentId, application: m.application, environment: m.environment },
        m.since ?? m.until,
      )),
  );

/**
 * Reconcile: every bake whose time is up is judged on its alarms as CloudWatch reads them now, and a
 * bake whose environment got a newer deployment ends as superseded.
 */
export const endDueBakes: ReconcileStep = {
  name: 'endDueBakes',
  async run(deps) {
    const now = deps.clock.now().getTime();
    const due: BakeMark[] = [];
    for (const m of await marks(deps))
      if (Date.parse(m.until) <= now || (await superseded(deps, m))) due.push(m);
    return endEach(deps, due, 'reconcile: end of the bake');
  },
};

export interface AlarmEventOutcome {
  outcome: 'bakes-ended' | 'ignored';
  alarm: string;
  state: string;
  bakes: Record<string, string>;
}

/** A CloudWatch alarm changed state: going to ALARM, it ends every running bake that lists it. */
export const alarmChanged = async (deps: BakeDeps, event: unknown): Promise<AlarmEventOutcome> => {
  const observed = parseWith(alarmEventSchema, event, 'event.');
  const base = { alarm: observed.name, state: observed.state };
  if (observed.state !== 'ALARM') return { outcome: 'ignored', ...base, bakes: {} };
  const watching = (await marks(deps)).filter((m) => m.alarms.includes(observed.name));
  // A bake that could not end throws: the event is delivered again (and reconcile ends it at its time).
  const bakes: Record<string, string> = {};
  for (const { deploymentId } of watching)
    bakes[deploymentId] = await endBake(deps, {
      deploymentId,
      trigger: `alarm ${observed.name} ALARM`,
      observed,
    });
  return { outcome: watching.length > 0 ? 'bakes-ended' : 'ignored', ...base, bakes };
};
