// The AWS calls of each hand-off, counted on the local stack as `npm run bench` counts them: the
// goals hold, and every call has its reason written down (bench/lib/call-reasons.ts), so that
// RESULTS.md names each one.

import { beforeAll, describe, expect, it } from 'vitest';
import { benchCalls } from '../../bench/calls';
import { reasonsFor } from '../../bench/lib/call-reasons';
import type { CallRow } from '../../bench/lib/tables';

let rows: CallRow[];

beforeAll(async () => {
  rows = await benchCalls();
}, 180_000);

const step = (prefix: string) => {
  const found = rows.find((r) => r.step.startsWith(prefix));
  if (!found) throw new Error(`no step ${prefix}`);
  return found;
};

describe('round trips per hand-off', () => {
  it('upload → CreateDeployment in at most 6 calls, tag → CreateDeployment in at most 8', () => {
    // The goal is 5; the sixth call is the request's record, written before CreateDeployment so that
    // a duplicate delivery which deployed the same request meanwhile is never deployed twice.
    expect(step('artifact upload').untilGoal).toBeGreaterThan(0);
    expect(step('artifact upload').untilGoal).toBeLessThanOrEqual(6);
    expect(step('tag → release').untilGoal).toBeGreaterThan(0);
    expect(step('tag → release').untilGoal).toBeLessThanOrEqual(8);
  });

  it('finish → every follow-up of a VERIFIED audit done in at most 12 calls, and no read of what the invocation wrote', () => {
    const dev = step('finish → verdict (dev)');
    expect(dev.untilGoal).toBe(dev.total);
    expect(dev.total).toBeLessThanOrEqual(12);
    // Each record is read at most once, and never after this invocation wrote it.
    const written = new Set<string>();
    for (const call of dev.calls) {
      const folder = /\((.+)\)$/.exec(call)?.[1] ?? '';
      if (call.startsWith('S3.GetObject')) expect(written.has(folder), `${call} after a write`).toBe(false);
      if (call.startsWith('S3.PutObject')) written.add(folder);
    }
  });

  it('names the reason for every call of every step', () => {
    const missing = rows.flatMap((r) =>
      reasonsFor(r.step, r.calls).flatMap((reason, i) => (reason ? [] : [`${r.step}: ${r.calls[i]}`])),
    );
    expect(missing).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(7);
  });
});
