// Delivery metrics of one environment over a window, from its deployments as the ledger has them:
// how often a change is VERIFIED there, how long a commit takes to get there, how often a change fails,
// and how long the environment takes to be VERIFIED again after a failure. Pure: the facts come in.
import type { Verdict } from '../../audit/rules/gate';
import type { CommitTime, CommitTimeSource } from '../../core/rules/commit-time';

export { type CommitTime, type CommitTimeSource, commitTimeOf } from '../../core/rules/commit-time';

export interface Delivered {
  deploymentId: string;
  createdAt: string;
  /** When CodeDeploy finished it (the audit's time when CodeDeploy did not say). */
  finishedAt?: string;
  verdict?: Verdict;
  /** The deployment's cause: a `rollback` brings back an earlier revision, it is no change. */
  cause: string;
  commit: string;
}

export interface Window {
  since: Date;
  until: Date;
}

export interface Durations {
  count: number;
  medianSeconds: number;
  meanSeconds: number;
  maxSeconds: number;
}

export interface EnvironmentMetrics {
  environment: string;
  /** Deployments started in the window, rollbacks included. */
  deployments: number;
  rollbacks: number;
  /** Started in the window and not audited yet. */
  inFlight: number;
  /** The verdicts of the changes (deployments other than rollbacks) started in the window. */
  verdicts: Record<Verdict, number>;
  /** Changes VERIFIED per day of the window. */
  deploymentsPerDay: number;
  /** Share of the changes' verdicts that are not VERIFIED; absent without a verdict. */
  changeFailureRate?: number;
  /** From each commit's time to its first VERIFIED deployment here, for those VERIFIED in the window;
   * `unknown` counts those without a time (the durations are absent when none has one). */
  leadTime?: LeadTime;
  /** From a failure to the next VERIFIED deployment, for restores in the window (whenever it failed). */
  timeToRestore?: Durations;
  /** A failure not followed by a VERIFIED deployment yet: since when. */
  failingSince?: { deploymentId: string; at: string };
}

export type LeadTime = (Durations | { count: 0 }) & {
  from: Record<CommitTimeSource, number>;
  unknown: number;
};

const seconds = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

export const durations = (values: number[]): Durations | undefined => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    medianSeconds: Math.round(median),
    meanSeconds: Math.round(sum / sorted.length),
    maxSeconds: sorted[sorted.length - 1] ?? 0,
  };
};

const inWindow = (at: string, w: Window) => {
  const t = Date.parse(at);
  return t >= w.since.getTime() && t <= w.until.getTime();
};

const endOf = (d: Delivered) => d.finishedAt ?? d.createdAt;

/** Audited deployments in the order their verdicts came. */
const byVerdictTime = (all: Delivered[]) =>
  all.filter((d) => d.verdict).sort((a, b) => endOf(a).localeCompare(endOf(b)));

/** Restores ending in the window, and a failure still open at its end. */
const restores = (all: Delivered[], w: Window) => {
  const restored: number[] = [];
  let failing: { deploymentId: string; at: string } | undefined;
  for (const d of byVerdictTime(all)) {
    if (Date.parse(endOf(d)) > w.until.getTime()) break;
    if (d.verdict !== 'VERIFIED') failing ??= { deploymentId: d.deploymentId, at: endOf(d) };
    else if (failing) {
      if (inWindow(endOf(d), w)) restored.push(seconds(failing.at, endOf(d)));
      failing = undefined;
    }
  }
  return { restored, failing };
};

/** Each commit's first VERIFIED deployment here (a rollback brings back an old commit: not a delivery). */
const leadTimes = (
  all: Delivered[],
  w: Window,
  commitTimes: ReadonlyMap<string, CommitTime>,
): LeadTime | undefined => {
  const first = new Map<string, Delivered>();
  for (const d of byVerdictTime(all))
    if (d.verdict === 'VERIFIED' && d.cause !== 'rollback' && !first.has(d.commit)) first.set(d.commit, d);
  const from: Record<CommitTimeSource, number> = { commit: 0, push: 0, upload: 0 };
  const values: number[] = [];
  let unknown = 0;
  for (const d of first.values()) {
    if (!inWindow(endOf(d), w)) continue;
    const time = commitTimes.get(d.commit);
    if (!time) {
      unknown++;
      continue;
    }
    from[time.source]++;
    values.push(seconds(time.at, endOf(d)));
  }
  if (values.length === 0 && unknown === 0) return undefined;
  return { ...(durations(values) ?? { count: 0 }), from, unknown };
};

export const environmentMetrics = (
  environment: string,
  all: Delivered[],
  w: Window,
  commitTimes: ReadonlyMap<string, CommitTime>,
): EnvironmentMetrics => {
  const started = all.filter((d) => inWindow(d.createdAt, w));
  const changes = started.filter((d) => d.cause !== 'rollback');
  const verdicts: Record<Verdict, number> = { VERIFIED: 0, PARTIAL: 0, FAILED: 0, INCOMPLETE: 0 };
  for (const d of changes) if (d.verdict) verdicts[d.verdict]++;
  const judged = Object.values(verdicts).reduce((a, b) => a + b, 0);
  const days = Math.max(w.until.getTime() - w.since.getTime(), 1) / 86_400_000;
  const { restored, failing } = restores(all, w);
  const lead = leadTimes(all, w, commitTimes);
  const restore = durations(restored);
  return {
    environment,
    deployments: started.length,
    rollbacks: started.length - changes.length,
    inFlight: started.filter((d) => !d.verdict).length,
    verdicts,
    deploymentsPerDay: Math.round((verdicts.VERIFIED / days) * 100) / 100,
    ...(judged
      ? { changeFailureRate: Math.round(((judged - verdicts.VERIFIED) / judged) * 1000) / 1000 }
      : {}),
    ...(lead ? { leadTime: lead } : {}),
    ...(restore ? { timeToRestore: restore } : {}),
    ...(failing ? { failingSince: failing } : {}),
  };
};

const DURATION = /^(\d{1,5})([dhm])$/;
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
// A date (2026-11-01) or a date and time with an optional zone (2026-11-01T12:00Z).
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** `--since`: an ISO date or date and time, or a duration back from now (7d, 24h, 90m). */
export const isSince = (value: string): boolean =>
  DURATION.test(value) || (ISO.test(value) && !Number.isNaN(Date.parse(value)));

export const DEFAULT_SINCE = '30d';

/** The window's start for a value `isSince` accepts. */
export const sinceDate = (value: string, now: Date): Date => {
  const m = DURATION.exec(value);
  // A time without a zone is UTC, as the ledger's times are, wherever the command runs.
  if (!m) return new Date(Date.parse(/T[^Z+-]*$/.test(value) ? `${value}Z` : value));
  return new Date(now.getTime() - Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
};
