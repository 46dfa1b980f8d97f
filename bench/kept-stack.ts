// A local stack left waiting: the sample release stops at production's approval (nobody decides), and
// the stack is kept so for a number of minutes while the RSS of moto_server and of the stack's own
// process is sampled. The S3 events arrive through queues and the wait reads one ledger key with
// backoff, so neither process should grow. Then the approval is given through the page, and the time
// to production's verdict says whether the long wait left anything behind.
// Run: npx tsx bench/kept-stack.ts [--minutes 10]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { approveThroughPage } from '../local/approval-wait';
import { buildArtifact } from '../local/artifact';
import { runReleaseScenario } from '../local/release-scenario';
import { startLocalStack } from '../local/stack';
import { Timeline } from '../local/timeline';
import { root } from './lib/bundle';

export interface KeptStackRun {
  minutes: number;
  samples: { atS: number; motoMb: number; stackMb: number }[];
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
    const samples: KeptStackRun['samples'] = [];
    const started = performance.now();
    const sampleEveryMs = Math.max(1000, Math.min(30_000, (minutes * 60_000) / 20));
    for (;;) {
      const atS = (performance.now() - started) / 1000;
      samples.push({ atS: Math.round(atS), motoMb: rssMb(stack.moto.pid), stackMb: rssMb('self') });
      if (atS >= minutes * 60) break;
      await sleep(Math.min(sampleEveryMs, minutes * 60_000 - atS * 1000 + 50));
    }
    const approved = performance.now();
    for (const link of links) await approveThroughPage(link, 'approved after the wait');
    const result = await scenario;
    await stack.router.settle();
    return {
      minutes,
      samples,
      afterApprovalS: (performance.now() - approved) / 1000,
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

export const keptStackSection = (run: KeptStackRun) => {
  const moto = growth(run.samples.map((s) => s.motoMb));
  const own = growth(run.samples.map((s) => s.stackMb));
  const flat = moto.pct <= 10 && own.pct <= 10;
  const fmt = (g: ReturnType<typeof growth>) =>
    `${g.first} → ${g.last} MB (max ${g.max}, +${g.pct.toFixed(1)} %)`;
  return [
    '## A stack left waiting',
    '',
    `The sample release waits at production's approval for ${run.minutes} minutes, nobody deciding; RSS of`,
    "moto_server and of the stack's process (the functions, the local CodeDeploy, the watchers), sampled",
    `from the moment the approval was emailed. Then the approvals are given through the page.`,
    '',
    '| s | moto MB | stack MB |',
    '| ---: | ---: | ---: |',
    ...run.samples.map((s) => `| ${s.atS} | ${s.motoMb} | ${s.stackMb} |`),
    '',
    `moto ${fmt(moto)}; stack ${fmt(own)}: ${flat ? 'flat within 10 %' : 'NOT flat within 10 %'}.`,
    `After the wait, approval → production's verdict in ${run.afterApprovalS.toFixed(1)} s; verdicts ${run.verdicts}; problems: ${run.problems.join('; ') || 'none'}.`,
  ];
};

if (require.main === module) {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' } } });
  const minutes = Number(values.minutes);
  if (!(minutes > 0)) throw new Error('--minutes must be a positive number');
  benchKeptStack(minutes).then((run) => console.log(keptStackSection(run).join('\n')));
}
