// Per function: bundle size and module init time beside two floors built and timed side by side in
// one run: the same AWS SDK clients only, and those clients with the commands the function sends.
// The floors are the SDK as published; the functions' bundles replace its default credential chain
// (serverless.yml's alias), so a third floor, the clients built the same way, shows that part apart.
// Run: npx tsx bench/bundles.ts
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
  /** The floor with the commands too: everything from the AWS SDK the function needs. */
  sdkFloorKb: number;
  sdkSizeRatio: number;
  sdkFloorInitMs: number;
  sdkInitRatio: number;
  /** The clients floor built with the functions' credential chain (serverless.yml's alias). */
  envFloorKb: number;
  envSizeRatio: number;
}

export const benchBundles = async (rounds = 25): Promise<BundleRow[]> => {
  const out = join(root, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  const functions = readdirSync(join(root, 'functions')).sort();
  const pairs = [];
  for (const fn of functions) {
    const fnBundle = await bundle(join(root, 'functions', fn, 'handler.ts'), join(out, `${fn}.js`));
    const stock = true;
    const floor = await bundle('', join(out, `${fn}.floor.js`), floorSource(fnBundle.clients), stock);
    const sdkFloor = await bundle(
      '',
      join(out, `${fn}.sdk-floor.js`),
      floorSource(fnBundle.clients, fnBundle.commands),
      stock,
    );
    const envFloor = await bundle('', join(out, `${fn}.env-floor.js`), floorSource(fnBundle.clients));
    pairs.push({ fn, fnBundle, floor, sdkFloor, envFloor });
  }
  const { times } = initTimes(
    pairs.flatMap((p) => [p.fnBundle.file, p.floor.file, p.sdkFloor.file]),
    rounds,
  );
  return pairs.map(({ fn, fnBundle, floor, sdkFloor, envFloor }) => {
    const initMs = times.get(fnBundle.file) ?? 0;
    const floorInitMs = times.get(floor.file) ?? 0;
    const sdkFloorInitMs = times.get(sdkFloor.file) ?? 0;
    return {
      fn,
      clients: fnBundle.clients.map((c) => c.replace('@aws-sdk/client-', '')).join('+'),
      kb: fnBundle.bytes / 1024,
      floorKb: floor.bytes / 1024,
      sizeRatio: fnBundle.bytes / floor.bytes,
      initMs,
      floorInitMs,
      initRatio: initMs / floorInitMs,
      sdkFloorKb: sdkFloor.bytes / 1024,
      sdkSizeRatio: fnBundle.bytes / sdkFloor.bytes,
      sdkFloorInitMs,
      sdkInitRatio: initMs / sdkFloorInitMs,
      envFloorKb: envFloor.bytes / 1024,
      envSizeRatio: fnBundle.bytes / envFloor.bytes,
    };
  });
};

export const bundleTable = (rows: BundleRow[]) => [
  '| function | AWS clients | bundle KB | clients floor KB | size ratio | SDK floor KB | size ratio | clients floor, same credential chain KB | size ratio | init ms | clients floor init ms | init ratio | SDK floor init ms | init ratio |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.fn} | ${r.clients} | ${r.kb.toFixed(0)} | ${r.floorKb.toFixed(0)} | ${r.sizeRatio.toFixed(2)} | ${r.sdkFloorKb.toFixed(0)} | ${r.sdkSizeRatio.toFixed(2)} | ${r.envFloorKb.toFixed(0)} | ${r.envSizeRatio.toFixed(2)} | ${r.initMs.toFixed(1)} | ${r.floorInitMs.toFixed(1)} | ${r.initRatio.toFixed(2)} | ${r.sdkFloorInitMs.toFixed(1)} | ${r.sdkInitRatio.toFixed(2)} |`,
  ),
];

if (require.main === module) {
  benchBundles().then((rows) => console.log(bundleTable(rows).join('\n')));
}
