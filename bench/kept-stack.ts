// A local stack left waiting: the sample release stops at production's approval (nobody decides), and
// the stack is kept so for a number of minutes while the RSS of moto_server and of the stack's own
// process is sampled. The S3 events arrive through queues and the wait reads one ledger key with
// backoff, so neither process should grow. Then the approval is given through the page, and the time
// to production's verdict says whether the long wait left anything behind. Then the stack is kept as
// many minutes after the run, its board page requested every 5 s. Exits 1 when anything grew over 10 %.
// Run: npx tsx bench/kept-stack.ts [--minutes 10] (each phase)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { approveThroughPage } from '../local/approval-wait';
import { buildArtifact } from '../local/artifact';
import { runReleaseScenario } from '../local/release-scenario';
import { startLocalStack } from '../local/stack';
import { Timeline } from '../local/timeline';
import { root } from './lib/bundle';

type Samples = { atS: number; motoMb: number; stackMb: number }[];

export interface KeptStackRun {
  minutes: number;
  /** The release waiting at production's approval, nobody deciding. */
  waiting: Samples;
  /** After the release (as `npm start -- --keep`), the board page requested every 5 s. */
  kept: Samples;
  board: { requests: number; failed: number };
  /** From the approval given after the wait to production's verdict. */
  afterApprovalS: number;
  verdicts: string;
  problems: string[];
}

const rssMb = (pid: number | 'self'): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** RSS of moto and of this process for `minutes`, about 20 samples. */
const sampleFor = async (minutes: number, motoPid: number): Promise<Samples> => {
  const samples: Samples = [];
  const started = performance.now();
  const sampleEveryMs = Math.max(1000, Math.min(30_000, (minutes * 60_000) / 20));
  for (;;) {
    const atS = (performance.now() - started) / 1000;
    samples.push({ atS: Math.round(atS), motoMb: rssMb(motoPid), stackMb: rssMb('self') });
    if (atS >= minutes * 60) return samples;
    await sleep(Math.min(sampleEveryMs, minutes * 60_000 - atS * 1000 + 50));
  }
};

/** The board page, requested every 5 s as its own refresh would, until `stop` (which awaits the last). */
const reloadBoard = (url: string) => {
  const board = { requests: 0, failed: 0 };
  const inFlight = new Set<Promise<void>>();
  const request = async () => {
    const res = await fetch(url);
    await res.text();
    if (!res.ok) board.failed += 1;
  };
  const timer = setInterval(() => {
    board.requests += 1;
    const p = request().catch(() => {
      board.failed += 1;
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }, 5_000);
  return {
    board,
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
};

export const benchKeptStack = async (minutes = 10): Promise<KeptStackRun> => {
  const stack = await startLocalStack({ instances: 3 });
  try {
    stack.codedeploy.failHook({
      application: 'baton-web',
      group: 'web-production',
      instanceIndex: 1,
      hook: 'ValidateService',
    });
    const quiet = () => {};
    const scenario = runReleaseScenario(stack, new Timeline(quiet), {
      artifact: buildArtifact(join(root, 'sample-app')),
      release: 'v1.0.0',
      autoApprove: false,
      failingEnvironments: new Set(['production']),
      out: quiet,
    });
    const links = await stack.mail.approvals.waitFor(
      'the production approval',
      (all) => (all.length ? all.map((m) => m.link) : undefined),
      120_000,
    );
    const waiting = await sampleFor(minutes, stack.moto.pid);
    const approved = performance.now();
    for (const link of links) await approveThroughPage(link, 'approved after the wait');
    const result = await scenario;
    await stack.router.settle();
    const afterApprovalS = (performance.now() - approved) / 1000;
    // The board's first minute loads the operator's modules (transpiled on import) and warms its code:
    // a one-time cost, so the kept phase's baseline is taken after a minute of reloads, not before.
    const reload = reloadBoard(stack.boardUrl);
    await sleep(WARM_UP_MS);
    const kept = await sampleFor(minutes, stack.moto.pid).finally(reload.stop);
    return {
      minutes,
      waiting,
      kept,
      board: reload.board,
      afterApprovalS,
      verdicts: result.outcomes.map((o) => `${o.environment} ${o.verdict}`).join(', '),
      problems: result.problems,
    };
  } finally {
    await stack.stop();
  }
};

const growth = (values: number[]) => {
  const first = values[0] ?? 0;
  const max = Math.max(...values);
  return { first, max, last: values.at(-1) ?? 0, pct: first ? ((max - first) / first) * 100 : 0 };
};

const GROWTH_LIMIT_PCT = 10;
/** Board reloads before the kept phase's first sample. */
const WARM_UP_MS = 60_000;

const phases = (run: KeptStackRun) =>
  [
    ['waiting at the approval', run.waiting],
    ['kept after the run', run.kept],
  ] as const;

/** Each process's growth in each phase; the run is flat when none is over 10 %. */
export const keptStackGrowth = (run: KeptStackRun) =>
  phases(run).map(([phase, samples]) => {
    const moto = growth(samples.map((s) => s.motoMb));
    const stack = growth(samples.map((s) => s.stackMb));
    return { phase, moto, stack, flat: moto.pct <= GROWTH_LIMIT_PCT && stack.pct <= GROWTH_LIMIT_PCT };
  });

export const keptStackFlat = (run: KeptStackRun) =>
  keptStackGrowth(run).every((g) => g.flat) && run.board.failed === 0;

export const keptStackSection = (run: KeptStackRun) => {
  const fmt = (g: ReturnType<typeof growth>) =>
    `${g.first} → ${g.last} MB (max ${g.max}, +${g.pct.toFixed(1)} %)`;
  const table = (samples: Samples) => [
    '| s | moto MB | stack MB |',
    '| ---: | ---: | ---: |',
    ...samples.map((s) => `| ${s.atS} | ${s.motoMb} | ${s.stackMb} |`),
  ];
  const [waiting, kept] = keptStackGrowth(run);
  const line = (g: ReturnType<typeof keptStackGrowth>[number] | undefined) =>
    g
      ? `moto ${fmt(g.moto)}; stack ${fmt(g.stack)}: ${g.flat ? 'flat within 10 %' : 'NOT flat within 10 %'}.`
      : '';
  return [
    '## A stack left waiting',
    '',
    `The sample release waits at production's approval for ${run.minutes} minutes, nobody deciding; RSS of`,
    "moto_server and of the stack's process (the functions, the local CodeDeploy, the watchers), sampled",
    `from the moment the approval was emailed. Then the approvals are given through the page.`,
    '',
    ...table(run.waiting),
    '',
    line(waiting),
    `After the wait, approval → production's verdict in ${run.afterApprovalS.toFixed(1)} s; verdicts ${run.verdicts}; problems: ${run.problems.join('; ') || 'none'}.`,
    '',
    `Then the stack is kept after the run for ${run.minutes} minutes (as \`npm start -- --keep\`), the release`,
    `board requested every 5 s as its own refresh does (${run.board.requests} requests, ${run.board.failed} failed; sampled`,
    `from the end of a first minute of reloads, which loads and warms the operator's code once):`,
    '',
    ...table(run.kept),
    '',
    line(kept),
    '',
    `The bench exits non-zero when either process grows more than ${GROWTH_LIMIT_PCT} % in either phase, or a board request fails.`,
  ];
};

if (require.main === module) {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' } } });
  const minutes = Number(values.minutes);
  if (!(minutes > 0)) throw new Error('--minutes must be a positive number');
  benchKeptStack(minutes).then((run) => {
    console.log(keptStackSection(run).join('\n'));
    if (!keptStackFlat(run)) process.exitCode = 1;
  });
}
