// Module init time: a whole `node` process that requires a bundle, minus a bare `node -e 0`.
import { spawnSync } from 'node:child_process';

const once = (args: string[]): number => {
  const start = process.hrtime.bigint();
  const out = spawnSync(process.execPath, args, {
    env: { ...process.env, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' },
  });
  if (out.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${String(out.stderr).slice(0, 300)}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

/** Median process time per file, measured interleaved so that machine noise hits all alike. */
export const initTimes = (files: string[], rounds = 15): { bare: number; times: Map<string, number> } => {
  const samples = new Map<string, number[]>(files.map((f) => [f, []]));
  const bare: number[] = [];
  for (let r = 0; r < rounds; r++) {
    bare.push(once(['-e', '0']));
    for (const f of files) samples.get(f)?.push(once(['-e', `require(${JSON.stringify(f)})`]));
  }
  const b = median(bare);
  return { bare: b, times: new Map([...samples].map(([f, xs]) => [f, median(xs) - b])) };
};
