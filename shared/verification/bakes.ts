// Where bakes end: reconcile's schedule ends each bake that is due (the end of the bake is never an
// event of its own, so a missed one cannot lose it), and a listed alarm's state-change event to ALARM
// ends the bakes that watch it at once. Both go through endBake, which ends a bake exactly once.

import { errorName } from '../core/rules/errors';
import { parseWith } from '../core/rules/parse';
import { verificationKeys } from '../ledger/keys';
import type { ReconcileStep } from '../reconcile/reconcile-step';
import {
  AlarmsUnreadableError,
  type BakeDeps,
  BakeEndConflictError,
  endBake,
  endBakeOutcome,
} from './bake-end';
import { alertStuckBake, type StuckBake } from './bake-stuck';
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

/** Why an end that threw did not end the bake, for the alert (a message of Baton's own only). */
const whyNot = (error: unknown): StuckBake['why'] =>
  error instanceof AlarmsUnreadableError
    ? `its alarms cannot be read (${error.message})`
    : error instanceof BakeEndConflictError
      ? error.message
      : `its end failed (${errorName(error)})`;

/** A bake that is still running is told to a person when it cannot end (bake-stuck.ts says when). */
const tell = async (deps: BakeDeps, stuck: StuckBake) => {
  try {
    await alertStuckBake(deps, stuck);
  } catch (error) {
    deps.log.error('the alert of a bake that cannot end was not sent', {
      deploymentId: stuck.mark.deploymentId,
      error: errorName(error),
    });
  }
};

const endEach = async (deps: BakeDeps, due: BakeMark[], trigger: string) => {
  const results: Record<string, string> = {};
  for (const mark of due) {
    try {
      const outcome = await endBakeOutcome(deps, { deploymentId: mark.deploymentId, trigger });
      results[mark.deploymentId] = outcome.text;
      if (outcome.baking)
        await tell(deps, {
          mark,
          why: outcome.unreadable ? `its alarms cannot be read (${outcome.unreadable})` : outcome.text,
          unreadable: Boolean(outcome.unreadable),
        });
    } catch (error) {
      deps.log.error('a bake could not end', { deploymentId: mark.deploymentId, error: errorName(error) });
      results[mark.deploymentId] = `failed: ${errorName(error)}`;
      await tell(deps, { mark, why: whyNot(error), unreadable: error instanceof AlarmsUnreadableError });
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
  const observed = parseWith(alarmEventSchema, event, 'event');
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
