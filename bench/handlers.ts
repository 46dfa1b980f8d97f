// In-process handler time per event, warm, with in-memory fakes: what Baton itself spends on an
// event, its AWS calls answered instantly. Each iteration gets a fresh event and a fresh ledger
// (bench/lib/handler-cases.ts); warm-up iterations first, then N timed ones.
// Three timings per event: the schema parse alone; run(event, deps) with the event as the Lambda
// runtime hands it over; and the raw payload → result path (JSON.parse of the payload, run, and
// JSON.stringify of the result, as the runtime does around the handler). Run: npx tsx bench/handlers.ts
import { branch, type Case, finished, page, tag, upload } from './lib/handler-cases';
import { median, percentile } from './lib/stats';
import { type HandlerRow, handlerTable } from './lib/tables';

type Mode = 'parse' | 'run' | 'payload';

const sample = async <D>(c: Case<D>, mode: Mode, iterations: number, warmUp: number) => {
  const times: number[] = [];
  for (let i = 0; i < warmUp + iterations; i++) {
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
    if (i >= warmUp) times.push(elapsed);
  }
  return times;
};

const measure = async <D>(c: Case<D>, iterations: number, warmUp: number): Promise<HandlerRow> => {
  const parse = await sample(c, 'parse', iterations, warmUp);
  const run = await sample(c, 'run', iterations, warmUp);
  const payload = await sample(c, 'payload', iterations, warmUp);
  return {
    event: c.name,
    handler: c.handler,
    iterations,
    parseMs: median(parse),
    medianMs: median(run),
    p95Ms: percentile(run, 95),
    payloadMedianMs: median(payload),
    payloadP95Ms: percentile(payload, 95),
  };
};

export const benchHandlers = async (iterations = 1000, warmUp = 200): Promise<HandlerRow[]> => [
  await measure(upload, iterations, warmUp),
  await measure(tag, iterations, warmUp),
  await measure(branch, iterations, warmUp),
  await measure(finished, iterations, warmUp),
  await measure(page, iterations, warmUp),
];

if (require.main === module) {
  benchHandlers().then((rows) => console.log(handlerTable(rows).join('\n')));
}
