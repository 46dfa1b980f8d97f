// Per function: bundle size and module init time beside a floor bundle holding only the same AWS
// SDK clients, built and timed side by side in one run. Run: npx tsx bench/bundles.ts
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, floorSource, root } from './lib/bundle';
import { initTimes } from './lib/init-time';

export interface BundleRow {
  fn: string;
  clients: string;
  kb: number;
  floorKb: number;
  sizeRatio: number;
  initMs: number;
  floorInitMs: number;
  initRatio: number;
}

export const benchBundles = async (rounds = 25): Promise<BundleRow[]> => {
  const out = join(root, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  const functions = readdirSync(join(root, 'functions')).sort();
  const pairs = [];
  for (const fn of functions) {
    const fnBundle = await bundle(join(root, 'functions', fn, 'handler.ts'), join(out, `${fn}.js`));
    const floor = await bundle('', join(out, `${fn}.floor.js`), floorSource(fnBundle.clients));
    pairs.push({ fn, fnBundle, floor });
  }
  const { times } = initTimes(
    pairs.flatMap((p) => [p.fnBundle.file, p.floor.file]),
    rounds,
  );
  return pairs.map(({ fn, fnBundle, floor }) => {
    const initMs = times.get(fnBundle.file) ?? 0;
    const floorInitMs = times.get(floor.file) ?? 0;
    return {
      fn,
      clients: fnBundle.clients.map((c) => c.replace('@aws-sdk/client-', '')).join('+'),
      kb: fnBundle.bytes / 1024,
      floorKb: floor.bytes / 1024,
      sizeRatio: fnBundle.bytes / floor.bytes,
      initMs,
      floorInitMs,
      initRatio: initMs / floorInitMs,
    };
  });
};

export const bundleTable = (rows: BundleRow[]) => [
  '| function | AWS clients | bundle KB | floor KB | size ratio | init ms | floor init ms | init ratio |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.fn} | ${r.clients} | ${r.kb.toFixed(0)} | ${r.floorKb.toFixed(0)} | ${r.sizeRatio.toFixed(2)} | ${r.initMs.toFixed(1)} | ${r.floorInitMs.toFixed(1)} | ${r.initRatio.toFixed(2)} |`,
  ),
];

if (require.main === module) {
  benchBundles().then((rows) => console.log(bundleTable(rows).join('\n')));
}
