// Audit benchmark: 10, 1,000 and 10,000 targets against a simulated CodeDeploy answering every call
// after 50 ms, the reader (pages + 25-ID batches in flight) beside the naive loop (one
// GetDeploymentTarget per instance). Targets: 1 + pages + ceil(N/25) calls, wall time at most
// 1.2 × (pages + 1) × 50 ms, peak memory at 10,000 at most 200 MB.
// Each size: one warm-up audit, then the median of three. The naive loop runs once up to 1,000
// targets and is projected beyond. Run: npx tsx bench/audit.ts [--naive-all] (10,000 naive: ~9 min)
import {
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { readEvidence } from '../shared/audit/audit';
import type { Target } from '../shared/audit/rules/evidence';
import { type AuditExpectation, buildReport } from '../shared/audit/rules/verdict';
import { renderReport } from '../shared/audit/rules/verdict-text';
import { factsOf, targetOf } from '../shared/aws/codedeploy-evidence';
import { BATCH_SIZE, codedeployReader } from '../shared/aws/codedeploy-reader';
import { DEPLOYMENT_ID, type Sim, startSim } from './lib/codedeploy-sim';

export interface AuditRow {
  targets: number;
  pages: number;
  calls: number;
  callTarget: number;
  wallMs: number;
  wallBudgetMs: number;
  /** The process's peak resident memory so far (sim in its own process), MB. */
  peakRssMb: number;
  naiveCalls: number;
  naiveMs: number;
  /** False: projected from the calls and the per-call time measured at the largest measured size. */
  naiveMeasured: boolean;
  ratio: number;
  verdict: string;
  ok: boolean;
}

const LATENCY_MS = 50;
const PAGE_SIZE = 100;
const expectation: AuditExpectation = { minimumTargets: 1, tolerate: [] };
const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
const clientFor = (sim: Sim) =>
  new CodeDeployClient({
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });

const audit = async (client: CodeDeployClient) => {
  const { evidence } = await readEvidence(codedeployReader(client), DEPLOYMENT_ID);
  const report = buildReport(DEPLOYMENT_ID, evidence, expectation);
  renderReport(report, { application: 'web', environment: 'production' });
  return report;
};

/** The loop Baton does not do: list every page, then one GetDeploymentTarget per instance. */
const naiveAudit = async (client: CodeDeployClient) => {
  const info = await client.send(new GetDeploymentCommand({ deploymentId: DEPLOYMENT_ID }));
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListDeploymentTargetsCommand({ deploymentId: DEPLOYMENT_ID, nextToken }),
    );
    ids.push(...(page.targetIds ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const targets: Target[] = [];
  for (const targetId of ids) {
    const out = await client.send(new GetDeploymentTargetCommand({ deploymentId: DEPLOYMENT_ID, targetId }));
    const t = out.deploymentTarget && targetOf(out.deploymentTarget);
    if (t) targets.push(t);
  }
  return buildReport(
    DEPLOYMENT_ID,
    { deployment: factsOf(DEPLOYMENT_ID, info.deploymentInfo), targets, unreadable: [] },
    expectation,
  );
};

/** Each size is audited this many times; the median counts. */
const ROUNDS = 3;
const median = <T extends { ms: number }>(runs: T[]): T => {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error('no runs');
  return middle;
};

const timed = async <T>(run: () => Promise<T>) => {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
};

export async function benchAudit(
  options: { sizes?: number[]; naiveUpTo?: number } = {},
): Promise<AuditRow[]> {
  const { sizes = [10, 1_000, 10_000], naiveUpTo = 1_000 } = options;
  const rows: AuditRow[] = [];
  let perNaiveCall = LATENCY_MS;
  for (const n of sizes) {
    const sim = await startSim({ targets: n, pageSize: PAGE_SIZE, latencyMs: LATENCY_MS });
    try {
      const client = clientFor(sim);
      await audit(client); // warm-up: SDK loaded and connections open, as in a warm container
      const before = total(await sim.calls());
      const runs = [];
      for (let i = 0; i < ROUNDS; i++) runs.push(await timed(() => audit(client)));
      const calls = (total(await sim.calls()) - before) / ROUNDS;
      const fast = median(runs);
      const peakRssMb = process.resourceUsage().maxRSS / 1024;
      const pages = Math.max(1, Math.ceil(n / PAGE_SIZE));
      const naiveCalls = 1 + pages + n;
      let naiveMs = naiveCalls * perNaiveCall;
      const naiveMeasured = n <= naiveUpTo;
      if (naiveMeasured) {
        const naive = await timed(() => naiveAudit(clientFor(sim)));
        if (naive.value.verdict !== fast.value.verdict) throw new Error('the naive loop disagrees');
        naiveMs = naive.ms;
        perNaiveCall = naive.ms / naiveCalls;
      }
      const callTarget = 1 + pages + Math.ceil(n / BATCH_SIZE);
      const wallBudgetMs = 1.2 * (pages + 1) * LATENCY_MS;
      rows.push({
        targets: n,
        pages,
        calls,
        callTarget,
        wallMs: fast.ms,
        wallBudgetMs,
        peakRssMb,
        naiveCalls,
        naiveMs,
        naiveMeasured,
        ratio: naiveMs / fast.ms,
        verdict: fast.value.verdict,
        ok: calls === callTarget && fast.ms <= wallBudgetMs && (n < 10_000 || peakRssMb <= 200),
      });
    } finally {
      sim.stop();
    }
  }
  return rows;
}

export const formatAuditRows = (rows: AuditRow[]): string => {
  const head =
    '| targets | pages | calls (target) | wall ms (budget) | peak RSS MB | naive calls | naive ms | naive ÷ audit | verdict | ok |';
  const line = '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |';
  const body = rows.map(
    (r) =>
      `| ${r.targets} | ${r.pages} | ${r.calls} (${r.callTarget}) | ${r.wallMs.toFixed(0)} (${r.wallBudgetMs.toFixed(0)}) | ${r.peakRssMb.toFixed(0)} | ${r.naiveCalls} | ${r.naiveMs.toFixed(0)}${r.naiveMeasured ? '' : ' (projected)'} | ${r.ratio.toFixed(1)}× | ${r.verdict} | ${r.ok ? 'yes' : 'NO'} |`,
  );
  return [head, line, ...body].join('\n');
};

if (require.main === module) {
  const naiveUpTo = process.argv.includes('--naive-all') ? Number.POSITIVE_INFINITY : 1_000;
  benchAudit({ naiveUpTo })
    .then((rows) => {
      console.log(formatAuditRows(rows));
      if (!rows.every((r) => r.ok)) process.exitCode = 1;
    })
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    });
}
