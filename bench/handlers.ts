// In-process handler time per event, warm, with in-memory fakes: what Baton itself spends on an
// event, its AWS calls answered instantly. Each iteration gets a fresh event and a fresh ledger
// (bench/lib/handler-cases.ts); warm-up iterations first, then N timed ones.
// Three timings per event: the schema parse alone; run(event, deps) with the event as the Lambda
// runtime hands it over; and the raw payload → result path (JSON.parse of the payload, run, and
// JSON.stringify of the result, as the runtime does around the handler). Run: npx tsx bench/handlers.ts
import { branch, type Case, decided, finished, github, page, tag, upload } from './lib/handler-cases';
import { median, percentile } from './lib/stats';
import { type HandlerRow, handlerTable } from './lib/tables';

type Mode = 'parse' | 'run' | 'payload';

/** One fresh event through one mode; the time, its result checked afterwards. */
const once = async <D>(c: Case<D>, mode: Mode): Promise<number> => {
  const { deps, event } = await c.fresh();
  const payload = JSON.stringify(event);
  let result: unknown;
  const start = performance.now();
  if (mode === 'parse') c.parse(event);
  else if (mode === 'run') result = await c.run(event, deps);
  else result = JSON.stringify(await c.run(JSON.parse(payload), deps));
  const elapsed = performance.now() - start;
  const text = typeof result === 'string' ? result : JSON.stringify(result);
  if (mode !== 'parse' && !c.expect(text, deps))
    throw new Error(`${c.name}: not the path meant to be timed: ${String(text).slice(0, 400)}`);
  return elapsed;
};

/** The modes interleave, so that warming and machine noise fall on all three alike. */
const measure = async <D>(c: Case<D>, iterations: number, warmUp: number): Promise<HandlerRow> => {
  const times: Record<Mode, number[]> = { parse: [], run: [], payload: [] };
  for (let i = 0; i < warmUp + iterations; i++)
    for (const mode of ['parse', 'run', 'payload'] as const) {
      const ms = await once(c, mode);
      if (i >= warmUp) times[mode].push(ms);
    }
  return {
    event: c.name,
    handler: c.handler,
    iterations,
    parseMs: median(times.parse),
    medianMs: median(times.run),
    p95Ms: percentile(times.run, 95),
    payloadMedianMs: median(times.payload),
    payloadP95Ms: percentile(times.payload, 95),
  };
};

export const benchHandlers = async (iterations = 1000, warmUp = 200): Promise<HandlerRow[]> => [
  await measure(upload, iterations, warmUp),
  await measure(tag, iterations, warmUp),
  await measure(branch, iterations, warmUp),
  await measure(finished, iterations, warmUp),
  await measure(page, iterations, warmUp),
  await measure(decided, iterations, warmUp),
  await measure(github, iterations, warmUp),
];

if (require.main === module) {
  benchHandlers().then((rows) => console.log(handlerTable(rows).join('\n')));
}
