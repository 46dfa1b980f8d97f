// Row shapes and markdown tables of the handler and AWS-call benchmarks (kept apart from the
// benchmarks themselves so that the report loads no function code).

export interface HandlerRow {
  event: string;
  handler: string;
  iterations: number;
  parseMs: number;
  medianMs: number;
  p95Ms: number;
  payloadMedianMs: number;
  payloadP95Ms: number;
}

export const TARGET_MS = 5;

const ms = (x: number) => x.toFixed(3);
export const handlerTable = (rows: HandlerRow[]) => [
  '| event | function | schema parse ms | run ms median | run ms p95 | payload → result ms median | payload → result ms p95 | under 5 ms (p95) |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows.map(
    (r) =>
      `| ${r.event} | ${r.handler} | ${ms(r.parseMs)} | ${ms(r.medianMs)} | ${ms(r.p95Ms)} | ${ms(r.payloadMedianMs)} | ${ms(r.payloadP95Ms)} | ${Math.max(r.p95Ms, r.payloadP95Ms) < TARGET_MS ? 'yes' : 'NO'} |`,
  ),
];

export interface CallRow {
  step: string;
  goal: string;
  /** Calls up to and including the goal; 0 when the step has no goal call. */
  untilGoal: number;
  total: number;
  sequence: string;
  /** Each call, in order, as `Service.Operation(ledger folder)`. */
  calls: string[];
  /** The goal's bound on `untilGoal`, if the step has one. */
  atMost?: number;
}

export const callTable = (rows: CallRow[]) => [
  '| step | goal | calls until the goal | at most | calls in all | sequence |',
  '| --- | --- | ---: | ---: | ---: | --- |',
  ...rows.map(
    (r) =>
      `| ${r.step} | ${r.goal} | ${r.untilGoal || '—'} | ${r.atMost ?? '—'} | ${r.total} | ${r.sequence} |`,
  ),
];
