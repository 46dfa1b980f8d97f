// The interleavings property of test/property/interleavings.test.ts with more runs: every interleaving
// through the real handlers in the model world, its invariants checked. Fails (throws, with fast-check's
// seed and shrunk steps) on the first interleaving that breaks one.
// Run: npx tsx bench/property.ts [runs]   (default 10,000)
import fc from 'fast-check';
import { emptyReached, interleave, interleavingArb, type Reached } from '../test/support/model-run';

export interface PropertyResult {
  runs: number;
  ms: number;
  reached: Reached;
}

export const benchProperty = async (runs: number, seed?: number): Promise<PropertyResult> => {
  const reached = emptyReached();
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(interleavingArb, async ({ variant, actions }) => {
      const violations = await interleave(variant, actions, reached);
      if (violations.length) throw new Error(violations.join('\n'));
    }),
    { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
  );
  return { runs, ms: Math.round(performance.now() - started), reached };
};

const main = async () => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const runs = Number(process.argv[2] ?? 10_000);
  const { ms, reached } = await benchProperty(runs);
  console.log(
    `${runs} interleavings in ${ms} ms (${((ms / runs) * 1000).toFixed(0)} µs each), every invariant kept`,
  );
  console.log(JSON.stringify(reached));
};

if (require.main === module) void main();
