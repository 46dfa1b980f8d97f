// The delivery metrics of one environment: frequency, lead time, change failure rate, time to restore.
import { describe, expect, it } from 'vitest';
import {
  type CommitTime,
  commitTimeOf,
  type Delivered,
  durations,
  environmentMetrics,
  isSince,
  sinceDate,
} from '../../shared/operator/rules/delivery-metrics';

const DAY = 86_400_000;
const since = new Date('2026-11-01T00:00:00.000Z');
const until = new Date(since.getTime() + 10 * DAY);
const w = { since, until };
const at = (hours: number) => new Date(since.getTime() + hours * 3_600_000).toISOString();

let n = 0;
/** A deployment created at `hours` after the window start, finished ten minutes later. */
const d = (hours: number, verdict: Delivered['verdict'], more: Partial<Delivered> = {}): Delivered => ({
  deploymentId: `d-${++n}`,
  createdAt: at(hours),
  ...(verdict ? { verdict, finishedAt: at(hours + 1 / 6) } : {}),
  cause: 'release',
  commit: `c${n}`,
  ...more,
});
const none = new Map<string, CommitTime>();

describe('environmentMetrics', () => {
  it('says nothing it cannot know for an environment with no deployments', () => {
    expect(environmentMetrics('production', [], w, none)).toEqual({
      environment: 'production',
      deployments: 0,
      rollbacks: 0,
      inFlight: 0,
      verdicts: { VERIFIED: 0, PARTIAL: 0, FAILED: 0, INCOMPLETE: 0 },
      deploymentsPerDay: 0,
    });
  });

  it('counts VERIFIED changes per day and the share of the other verdicts, INCOMPLETE among them', () => {
    const all = [
      d(1, 'VERIFIED'),
      d(2, 'VERIFIED'),
      d(3, 'PARTIAL'),
      d(4, 'INCOMPLETE'),
      d(5, 'VERIFIED'),
      d(6, undefined),
    ];
    const m = environmentMetrics('staging', all, w, none);
    expect(m).toMatchObject({
      deployments: 6,
      inFlight: 1,
      verdicts: { VERIFIED: 3, PARTIAL: 1, FAILED: 0, INCOMPLETE: 1 },
      deploymentsPerDay: 0.3,
      changeFailureRate: 0.4,
    });
  });

  it('leaves only failures unrestored: no time to restore, failing since the first of them', () => {
    const first = d(1, 'FAILED');
    const m = environmentMetrics('production', [first, d(2, 'PARTIAL'), d(3, 'FAILED')], w, none);
    expect(m.changeFailureRate).toBe(1);
    expect(m.timeToRestore).toBeUndefined();
    expect(m.failingSince).toEqual({ deploymentId: first.deploymentId, at: first.finishedAt });
  });

  it('measures a restore from the first failure to the next VERIFIED, also one that failed before the window', () => {
    const before = d(-5, 'FAILED');
    const restored = d(1, 'VERIFIED');
    const failed = d(24, 'FAILED');
    const again = d(26, 'VERIFIED');
    const m = environmentMetrics('production', [again, failed, restored, before], w, none);
    // 6 hours from the failure before the window, 2 hours for the one inside it.
    expect(m.timeToRestore).toEqual({
      count: 2,
      medianSeconds: 4 * 3600,
      meanSeconds: 4 * 3600,
      maxSeconds: 6 * 3600,
    });
    expect(m.failingSince).toBeUndefined();
    // The failure before the window is not a change of this window.
    expect(m.verdicts).toEqual({ VERIFIED: 2, PARTIAL: 0, FAILED: 1, INCOMPLETE: 0 });
  });

  it('does not count a restore that ended before the window, nor one after it', () => {
    const m = environmentMetrics(
      'production',
      [d(-10, 'FAILED'), d(-9, 'VERIFIED'), d(239, 'FAILED'), d(250, 'VERIFIED')],
      w,
      none,
    );
    expect(m.timeToRestore).toBeUndefined();
    expect(m.failingSince).toBeDefined();
  });

  it('restores by a VERIFIED rollback, which is neither a change nor a delivery of its commit', () => {
    const failed = d(1, 'FAILED', { commit: 'new' });
    const back = d(2, 'VERIFIED', { cause: 'rollback', commit: 'old' });
    const times = new Map<string, CommitTime>([['old', { at: at(-100), source: 'push' }]]);
    const m = environmentMetrics('production', [failed, back], w, times);
    expect(m).toMatchObject({
      deployments: 2,
      rollbacks: 1,
      verdicts: { VERIFIED: 0, FAILED: 1 },
      changeFailureRate: 1,
      deploymentsPerDay: 0,
      timeToRestore: { count: 1, medianSeconds: 3600 },
    });
    expect(m.leadTime).toBeUndefined();
  });

  it("measures lead time from each commit's best time to its first VERIFIED deployment, saying which time", () => {
    const times = new Map<string, CommitTime>([
      ['a', { at: at(0), source: 'commit' }],
      ['b', { at: at(10), source: 'upload' }],
    ]);
    const all = [
      d(1, 'VERIFIED', { commit: 'a', finishedAt: at(2) }),
      // The same commit again (a retry, a redeploy): not a second delivery.
      d(5, 'VERIFIED', { commit: 'a', finishedAt: at(6) }),
      d(12, 'VERIFIED', { commit: 'b', finishedAt: at(14) }),
      d(20, 'VERIFIED', { commit: 'c', finishedAt: at(21) }),
    ];
    expect(environmentMetrics('production', all, w, times).leadTime).toEqual({
      count: 2,
      medianSeconds: 3 * 3600,
      meanSeconds: 3 * 3600,
      maxSeconds: 4 * 3600,
      from: { commit: 1, push: 0, upload: 1 },
      unknown: 1,
    });
  });

  it('keeps the count of commits without a time when none of them has one', () => {
    const all = [d(1, 'VERIFIED', { commit: 'a' }), d(3, 'VERIFIED', { commit: 'b' })];
    expect(environmentMetrics('production', all, w, none).leadTime).toEqual({
      count: 0,
      from: { commit: 0, push: 0, upload: 0 },
      unknown: 2,
    });
  });

  it('leaves out of the lead time a commit first VERIFIED before the window', () => {
    const times = new Map<string, CommitTime>([['a', { at: at(-50), source: 'push' }]]);
    const all = [d(-20, 'VERIFIED', { commit: 'a' }), d(5, 'VERIFIED', { commit: 'a' })];
    expect(environmentMetrics('production', all, w, times).leadTime).toBeUndefined();
  });
});

describe('commit times and the window', () => {
  it("prefers the commit's own timestamp, then its first push, then the upload", () => {
    const all = { committedAt: 'c', firstPushedAt: 'p', uploadedAt: 'u' };
    expect(commitTimeOf(all)).toEqual({ at: 'c', source: 'commit' });
    expect(commitTimeOf({ ...all, committedAt: undefined })).toEqual({ at: 'p', source: 'push' });
    expect(commitTimeOf({ uploadedAt: 'u' })).toEqual({ at: 'u', source: 'upload' });
    expect(commitTimeOf({})).toBeUndefined();
  });

  it('takes ISO dates and times (UTC without a zone) and durations back from now', () => {
    const now = new Date('2026-11-30T12:00:00.000Z');
    expect(sinceDate('7d', now).toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(sinceDate('24h', now).toISOString()).toBe('2026-11-29T12:00:00.000Z');
    expect(sinceDate('90m', now).toISOString()).toBe('2026-11-30T10:30:00.000Z');
    expect(sinceDate('2026-11-01', now).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(sinceDate('2026-11-01T08:30', now).toISOString()).toBe('2026-11-01T08:30:00.000Z');
    expect(sinceDate('2026-11-01T08:30+02:00', now).toISOString()).toBe('2026-11-01T06:30:00.000Z');
    for (const bad of ['7', 'd7', '7w', 'last week', '2026-13-01', '2026-11-01 08:30', ''])
      expect(isSince(bad), bad).toBe(false);
  });

  it('summarises durations with an even count by the mean of the middle two', () => {
    expect(durations([10, 40, 20, 30])).toEqual({
      count: 4,
      medianSeconds: 25,
      meanSeconds: 25,
      maxSeconds: 40,
    });
    expect(durations([])).toBeUndefined();
  });
});
