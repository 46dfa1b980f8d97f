// Module init time: a fresh `node` process times its own require() of the bundle, which is what Lambda's
// init phase spends on the module beyond starting Node (the same for every bundle, so left out: on a
// busy machine the process start's jitter would drown the difference between a bundle and its floor).
import { spawnSync } from 'node:child_process';
import { median } from './stats';

const once = (file: string): number => {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const out = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`requiring ${file} failed: ${String(out.stderr).slice(0, 300)}`);
  return Number(out.stdout);
};

/** Median require time per file, measured interleaved so that machine noise hits all alike. */
export const initTimes = (files: string[], rounds = 15): { times: Map<string, number> } => {
  const samples = new Map<string, number[]>(files.map((f) => [f, []]));
  for (let r = 0; r < rounds; r++) for (const f of files) samples.get(f)?.push(once(f));
  return { times: new Map([...samples].map(([f, xs]) => [f, median(xs)])) };
};
