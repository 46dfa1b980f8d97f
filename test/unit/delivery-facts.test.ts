// What `metrics` reads of the ledger: every deployment record, a bounded number at a time, and an
// unreadable one skipped and counted instead of failing the whole command.
import { describe, expect, it } from 'vitest';
import { keys } from '../../shared/ledger/keys';
import { MemoryStore } from '../../shared/ledger/memory-store';
import type { DeploymentRecord } from '../../shared/ledger/records';
import { DEPLOYMENT_READS, deploymentsOf } from '../../shared/operator/delivery-facts';
import { COMMIT } from '../support/fixtures';

const record = (i: number, application = 'web'): DeploymentRecord => ({
  v: 1,
  kind: 'deployment',
  deploymentId: `d-${String(i).padStart(9, '0')}`,
  requestId: `r${i}`,
  application,
  environment: 'dev',
  deploymentGroup: 'web-dev',
  artifact: { bucket: 'pipeline', key: `artifacts/web/${COMMIT}.zip`, etag: '"e1"', commit: COMMIT },
  cause: { type: 'branch', detail: 'push to main' },
  createdAt: '2026-11-20T18:00:00.000Z',
});

describe('deploymentsOf', () => {
  it('skips and counts a record that does not match its schema', async () => {
    const store = new MemoryStore();
    for (const i of [1, 2]) await store.put(keys.deployment(record(i).deploymentId), record(i));
    await store.put(keys.deployment(record(3, 'api').deploymentId), record(3, 'api'));
    await store.put(keys.deployment('d-BROKEN001'), {
      v: 1,
      kind: 'deployment',
      deploymentId: 'd-BROKEN001',
    });

    const read = await deploymentsOf({ store }, new Set(['web']));

    expect(read.deployments.map((d) => d.deploymentId)).toEqual([
      record(1).deploymentId,
      record(2).deploymentId,
    ]);
    expect(read.read).toBe(4);
    expect(read.unreadable).toEqual({ count: 1, keys: [keys.deployment('d-BROKEN001')] });
  });

  it(`reads at most ${DEPLOYMENT_READS} records at once`, async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 100; i += 1) await store.put(keys.deployment(record(i).deploymentId), record(i));
    let active = 0;
    let most = 0;
    const get = store.get.bind(store);
    store.get = (async (key: string) => {
      active += 1;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 1));
      try {
        return await get(key);
      } finally {
        active -= 1;
      }
    }) as typeof store.get;

    const read = await deploymentsOf({ store }, new Set(['web']));

    expect(read.deployments).toHaveLength(100);
    expect(most).toBe(DEPLOYMENT_READS);
  });
});
