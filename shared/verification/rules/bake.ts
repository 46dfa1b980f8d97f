// The bake: after a VERIFIED audit in an environment with `verify`, the release stays there for
// bakeMinutes while the listed CloudWatch alarms must stay OK. Pure: what a bake is, how it starts,
// and how it ends given the alarms' states.
import type { Inconclusive, VerifySpec } from '../../pipeline/rules/verify-config';

/** superseded: a newer deployment started in the environment before the bake ended. */
export const BAKE_STATES = ['baking', 'passed', 'failed', 'held', 'superseded'] as const;
export type BakeState = (typeof BAKE_STATES)[number];

/** An alarm as CloudWatch describes it (MISSING: DescribeAlarms did not return it). */
export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA', 'MISSING'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export interface AlarmReading {
  name: string;
  state: AlarmState;
  /** namespace/metric name, or "metric math" for an alarm on several metrics. */
  metric?: string;
  /** e.g. "GreaterThanThreshold 10". */
  threshold?: string;
  stateChangedAt?: string;
  reason?: string;
}

export interface Bake {
  state: BakeState;
  since: string;
  until: string;
  minutes: number;
  alarms: string[];
  inconclusive: Inconclusive;
  endedAt?: string;
  /** Why it ended as it did: the alarm, its metric, threshold and state-change time. */
  reason?: string;
  /** The alarms as read when it ended. */
  readings?: AlarmReading[];
  /**
   * An earlier bake of the same deployment ended passed or failed, and its end counted the deployment
   * in the delivery metrics: this one's end does not count it again.
   */
  counted?: boolean;
}

/** What the release flow needs of a bake: whether it passed, and until when it runs. */
export interface BakeStanding {
  state: BakeState;
  until: string;
}

export const startBake = (verify: VerifySpec, now: Date): Bake => ({
  state: 'baking',
  since: now.toISOString(),
  until: new Date(now.getTime() + verify.bakeMinutes * 60_000).toISOString(),
  minutes: verify.bakeMinutes,
  alarms: [...verify.alarms],
  inconclusive: verify.inconclusive,
});

/** Whether the end of this bake, or of an earlier one of its deployment, counted the deployment. */
export const bakeCounted = (bake: Bake): boolean =>
  bake.counted === true || bake.state === 'passed' || bake.state === 'failed';

export const isDue = (bake: Bake, now: Date): boolean =>
  bake.state === 'baking' && Date.parse(bake.until) <= now.getTime();

/** One alarm, as a person reads it in a report or an alert. */
export const describeReading = (r: AlarmReading): string =>
  [
    `alarm ${r.name} ${r.state === 'MISSING' ? 'does not exist' : `is ${r.state}`}`,
    r.metric ? `metric ${r.metric}` : undefined,
    r.threshold ? `threshold ${r.threshold}` : undefined,
    r.stateChangedAt ? `since ${r.stateChangedAt}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');

export type BakeEnd =
  | { end: false; why: string }
  | { end: true; state: Exclude<BakeState, 'baking'>; reason: string; readings: AlarmReading[] };

/**
 * Whether a bake ends now, and how. Any listed alarm in ALARM ends it at once as failed, due or not;
 * at its end every alarm OK passes it, and one INSUFFICIENT_DATA (or missing) is what `inconclusive`
 * says. `readings` are the listed alarms as read now (an alarm not among them counts as missing).
 */
export const judgeBake = (bake: Bake, readings: readonly AlarmReading[], now: Date): BakeEnd => {
  if (bake.state !== 'baking') return { end: false, why: `the bake already ended (${bake.state})` };
  const read = bake.alarms.map(
    (name) => readings.find((r) => r.name === name) ?? { name, state: 'MISSING' as const },
  );
  const firing = read.filter((r) => r.state === 'ALARM');
  if (firing.length > 0)
    return { end: true, state: 'failed', reason: firing.map(describeReading).join('; '), readings: read };
  if (!isDue(bake, now)) return { end: false, why: `baking until ${bake.until}` };
  const unsure = read.filter((r) => r.state !== 'OK');
  if (unsure.length === 0) return { end: true, state: 'passed', reason: passedText(bake), readings: read };
  const what = unsure.map(describeReading).join('; ');
  const state = { hold: 'held', fail: 'failed', pass: 'passed' } as const;
  return {
    end: true,
    state: state[bake.inconclusive],
    reason: `inconclusive (${bake.inconclusive}): ${what}`,
    readings: read,
  };
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const passedText = (bake: Bake) =>
  `baked ${bake.minutes} min; ${bake.alarms.length === 0 ? 'no alarms listed' : `${plural(bake.alarms.length, 'alarm')} OK at the end, no ALARM event during the bake`}`;

/** The bake in one line: "baking until …", "baked 30 min; 2 alarms OK at the end, no ALARM event during the bake", or why it failed. */
export const describeBake = (bake: Bake): string => {
  switch (bake.state) {
    case 'baking':
      return `baking until ${bake.until} (${plural(bake.alarms.length, 'alarm')} watched)`;
    case 'passed':
      return bake.reason ?? passedText(bake);
    case 'failed':
      return `bake failed: ${bake.reason ?? 'an alarm fired'}`;
    case 'held':
      return `bake held: ${bake.reason ?? 'inconclusive'}`;
    case 'superseded':
      return `bake superseded: ${bake.reason ?? 'a newer deployment started'}`;
  }
};

/**
 * The verdict with its bake, as a report's headline says it: "VERIFIED (audit), baking until …",
 * "VERIFIED (baked)", "VERIFIED (audit), bake held", "FAILED (bake failed)"; the verdict alone where
 * nothing bakes.
 */
export const verdictWithBake = (verdict: string, bake: BakeStanding | undefined): string => {
  if (!bake) return verdict;
  switch (bake.state) {
    case 'baking':
      return `${verdict} (audit), baking until ${bake.until}`;
    case 'passed':
      return `${verdict} (baked)`;
    case 'failed':
      return `${verdict} (bake failed)`;
    case 'held':
    case 'superseded':
      return `${verdict} (audit), bake ${bake.state}`;
  }
};

/** Whether a verdict's bake lets the release on: no bake (an environment without verify) or passed. */
export const bakePassed = (bake: BakeStanding | undefined): boolean =>
  bake === undefined || bake.state === 'passed';
