// The S3 ledger on moto: conditional writes decide races, records read back as written.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { update } from '../../shared/ledger/store';
import { useMoto } from '../support/moto';
import { createLedger } from '../support/moto-ledger';

const ctx = useMoto();
let n = 0;
const freshStore = async () => {
  n += 1;
  const bucket = `ledger-test-${n}`;
  return { bucket, store: await createLedger(ctx.s3, bucket) };
};

describe('S3 ledger', () => {
  it('writes readable JSON with its version field under the ledger prefix', async () => {
    const { bucket, store } = await freshStore();
    await store.put('artifacts/web/abc.json', { v: 1, kind: 'artifact', commit: 'abc' });
    const raw = await ctx.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'ledger/artifacts/web/abc.json' }),
    );
    expect(raw.ContentType).toBe('application/json');
    expect(JSON.parse((await raw.Body?.transformToString()) ?? '')).toEqual({
      v: 1,
      kind: 'artifact',
      commit: 'abc',
    });
    expect(await store.list('artifacts/')).toEqual(['artifacts/web/abc.json']);
    expect(await store.get('missing.json')).toBeUndefined();
  });

  it('lets exactly one of ten concurrent creators win', async () => {
    const { store } = await freshStore();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.create('slots/web/dev.json', { i })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.findIndex(Boolean);
    // The winner learns the ETag of what it wrote, without reading it back.
    expect((await store.get('slots/web/dev.json'))?.etag).toBe(results[winner]);
    expect((await store.get<{ i: number }>('slots/web/dev.json'))?.record.i).toBe(winner);
  });

  it('refuses a replace with a stale ETag, and update() retries until it lands', async () => {
    const { store } = await freshStore();
    await store.put('counter.json', { count: 0 });
    const first = await store.get<{ count: number }>('counter.json');
    if (!first) throw new Error('counter missing');
    const second = await store.replace('counter.json', { count: 1 }, first.etag);
    expect(second).toBe((await store.get('counter.json'))?.etag);
    expect(await store.replace('counter.json', { count: 99 }, first.etag)).toBe(false);
    await Promise.all(
      Array.from({ length: 5 }, () =>
        update<{ count: number }>(store, 'counter.json', (c) => ({ count: c.count + 1 }), 20),
      ),
    );
    expect((await store.get<{ count: number }>('counter.json'))?.record.count).toBe(6);
  });

  it('deletes with If-Match only the record as it was read', async () => {
    const { store } = await freshStore();
    const first = await store.put('slots/web/prod.json', { holder: 'a' });
    const second = await store.put('slots/web/prod.json', { holder: 'b' });
    expect(await store.delete('slots/web/prod.json', first)).toBe(false);
    expect((await store.get<{ holder: string }>('slots/web/prod.json'))?.record.holder).toBe('b');
    expect(await store.delete('slots/web/prod.json', second)).toBe(true);
    expect(await store.get('slots/web/prod.json')).toBeUndefined();
    expect(await store.delete('slots/web/prod.json', second)).toBe(false);
  });

  it('lists only the keys after startAfter, as S3 StartAfter does', async () => {
    const { store } = await freshStore();
    for (const day of ['2026-10-30', '2026-10-31', '2026-11-01'])
      await store.put(`pushes/web/${day}/${day}T10:00:00Z_e.json`, { day });
    expect(await store.list('pushes/web/', 'pushes/web/2026-10-31')).toEqual([
      'pushes/web/2026-10-31/2026-10-31T10:00:00Z_e.json',
      'pushes/web/2026-11-01/2026-11-01T10:00:00Z_e.json',
    ]);
    expect(await store.list('pushes/web/')).toHaveLength(3);
  });

  it('lists past one page of keys', async () => {
    const { store } = await freshStore();
    await Promise.all(
      Array.from({ length: 1005 }, (_, i) => store.put(`many/${String(i).padStart(4, '0')}.json`, {})),
    );
    const listed = await store.list('many/');
    expect(listed).toHaveLength(1005);
    expect(listed[1004]).toBe('many/1004.json');
  });
});
