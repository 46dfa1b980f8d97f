// The ledger's exactly-once steps rest on S3's conditional writes: of concurrent PUTs with the same
// If-Match, one succeeds and the rest get 412. moto checks the condition and writes without a lock
// between, so when its threads switch mid-request two can both win: under CPU contention in CI (an
// approval settled twice), and here, with moto switching threads every microsecond, 4 rounds in 100
// before local/moto-atomic/sitecustomize.py serialized S3's writes.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVersionedBucket, useMoto } from '../support/moto';

const ROUNDS = 100;
const WRITERS = 10;
// Read by sitecustomize.py in the moto this file starts (each test file runs in its own process).
process.env.BATON_MOTO_SWITCH_INTERVAL = '0.000001';
const moto = useMoto();

beforeAll(async () => {
  await createVersionedBucket(moto.s3, 'conditional-writes');
});

const winners = async (key: string, condition: { IfMatch?: string; IfNoneMatch?: string }) => {
  const puts = await Promise.allSettled(
    Array.from({ length: WRITERS }, (_, i) =>
      moto.s3.send(
        new PutObjectCommand({ Bucket: 'conditional-writes', Key: key, Body: `writer ${i}`, ...condition }),
      ),
    ),
  );
  const refused = puts.filter((p) => p.status === 'rejected').map((p) => p.reason?.$metadata?.httpStatusCode);
  return { won: puts.length - refused.length, refused };
};

describe("moto keeps S3's conditional writes atomic", () => {
  it(`lets exactly one of ${WRITERS} concurrent If-Match writes win, in each of ${ROUNDS} rounds`, async () => {
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      const key = `if-match/${round}`;
      const first = await moto.s3.send(
        new PutObjectCommand({ Bucket: 'conditional-writes', Key: key, Body: 'first' }),
      );
      rounds.push(await winners(key, { IfMatch: first.ETag ?? '' }));
    }
    // The patch is on, and so is the fast thread switching that makes the race show without it.
    expect(moto.moto.startup()).toContain(
      'baton moto-atomic: S3 writes one at a time (switch interval 1e-06 s)',
    );
    expect(rounds.filter((r) => r.won !== 1).length).toBe(0);
    expect(new Set(rounds.flatMap((r) => r.refused))).toEqual(new Set([412]));
  }, 120_000);
});
