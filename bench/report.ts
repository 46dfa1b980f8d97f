// The markdown sections of bench/RESULTS.md, one per part, each a table and what it shows.
import { type AuditRow, formatAuditRows } from './audit';
import { type BundleRow, bundleTable } from './bundles';
import { reasonsFor } from './lib/call-reasons';
import { median } from './lib/stats';
import { type CallRow, callTable, type HandlerRow, handlerTable, TARGET_MS } from './lib/tables';
import type { ReleaseRun } from './release';

const count = <T>(rows: T[], ok: (r: T) => boolean) => `${rows.filter(ok).length} of ${rows.length}`;

const over = (rows: BundleRow[], ratio: (r: BundleRow) => number, limit: number) =>
  rows
    .filter((r) => ratio(r) > limit)
    .map((r) => `${r.fn} ${ratio(r).toFixed(3)}`)
    .join(', ') || 'none';

export const bundleSection = (rows: BundleRow[]) => [
  '## Bundles: size and module init time beside floors of the same AWS SDK code',
  '',
  'Each function bundled as serverless.yml does (esbuild, minified, `mainFields: module,main`), beside two',
  'floors: one that only constructs the same SDK clients, and one that also holds the SDK commands the',
  "function sends (all the AWS SDK code it needs and none of Baton's). Init time: a fresh `node` process",
  "times its own `require()` of the bundle (Node's start, the same for all, left out); median of 25",
  'interleaved rounds.',
  '',
  "The floors are the SDK clients as published. The bundles replace the SDK's default credential chain",
  "with the environment's and the container's links (serverless.yml's `alias`,",
  "`shared/aws/lambda-credentials.ts`): Lambda puts the role's credentials in the environment, so the",
  "chain's SSO, ini, process, web-identity and instance-metadata links, and the STS and SSO clients",
  "they load, never run there. The third floor is the clients built with that chain too: a bundle's",
  "ratio to it is Baton's own code and the commands, with the credential cut left out.",
  '',
  ...bundleTable(rows),
  '',
  `- size ≤ 1.2 × clients floor (the goal): ${count(rows, (r) => r.sizeRatio <= 1.2)}; over: ${over(rows, (r) => r.sizeRatio, 1.2)}`,
  `- size ≤ 1.2 × SDK floor: ${count(rows, (r) => r.sdkSizeRatio <= 1.2)}; over: ${over(rows, (r) => r.sdkSizeRatio, 1.2)}`,
  `- size ≤ 1.2 × clients floor with the same credential chain: ${count(rows, (r) => r.envSizeRatio <= 1.2)}; over: ${over(rows, (r) => r.envSizeRatio, 1.2)}`,
  `- size ≤ 1.3 × clients floor: ${count(rows, (r) => r.sizeRatio <= 1.3)}; over: ${over(rows, (r) => r.sizeRatio, 1.3)}`,
  `- size ≤ 1.3 × SDK floor: ${count(rows, (r) => r.sdkSizeRatio <= 1.3)}; over: ${over(rows, (r) => r.sdkSizeRatio, 1.3)}`,
  `- init ≤ 1.3 × clients floor: ${count(rows, (r) => r.initRatio <= 1.3)}; over: ${over(rows, (r) => r.initRatio, 1.3)}`,
  `- init ≤ 1.3 × SDK floor: ${count(rows, (r) => r.sdkInitRatio <= 1.3)}; over: ${over(rows, (r) => r.sdkInitRatio, 1.3)}`,
];

export const handlerSection = (rows: HandlerRow[]) => [
  '## Handler time per event, warm, in-memory fakes',
  '',
  `The functions' \`run(event, deps)\` in-process with the ledger in memory (MemoryStore) and fakes for`,
  "CodeDeploy, S3 HEAD, SNS, the audit reader, the approval key and the webhook secret, so the time is Baton's own. Every",
  `iteration gets a fresh event (new commit, key, tag, deployment id, approval) and a fresh ledger seeded as`,
  `the step needs (untimed); ${rows[0]?.iterations ?? 0} timed iterations after 200 warm-up ones, the columns interleaved.`,
  '"payload → result" adds `JSON.parse` of the raw payload and `JSON.stringify` of the result, as the',
  'Lambda runtime does around the handler; schema parsing is inside both.',
  '',
  ...handlerTable(rows),
  '',
  `Target under ${TARGET_MS} ms per event: ${count(rows, (r) => Math.max(r.p95Ms, r.payloadP95Ms) < TARGET_MS)} at p95.`,
];

export const callSection = (rows: CallRow[]) => [
  '## AWS calls per step',
  '',
  "Counted by SDK middleware on the functions' own module-scope clients while the sample release runs on",
  'the local stack (moto for S3, SNS, Secrets Manager; the local CodeDeploy), each call attributed to the',
  'event delivery that made it. S3 calls name the ledger folder they touched ("object": the artifact).',
  '',
  ...callTable(rows),
  '',
  `Goals met: ${rows.filter((r) => r.atMost !== undefined && r.untilGoal <= r.atMost).length} of ${
    rows.filter((r) => r.atMost !== undefined).length
  } (the "at most" column).`,
  '',
  '### Why each call is made',
  '',
  ...rows.flatMap((r) => {
    const reasons = reasonsFor(r.step, r.calls);
    return [
      `${r.step}:`,
      '',
      ...r.calls.map(
        (c, i) => `${i + 1}. ${c}: ${reasons[i] ?? 'NO REASON RECORDED (bench/lib/call-reasons.ts)'}`,
      ),
      '',
    ];
  }),
];

export const auditSection = (rows: AuditRow[]) => [
  '## Audit at 10 / 1,000 / 10,000 targets beside the naive loop',
  '',
  'A simulated CodeDeploy (own process) answers every call after 50 ms; Baton pages ListDeploymentTargets',
  'and reads 25-ID BatchGetDeploymentTargets in flight. The naive loop does one GetDeploymentTarget per',
  'instance; it is measured up to 1,000 targets and projected at 10,000. Median of 3 audits after a warm-up.',
  '',
  formatAuditRows(rows),
];

export const releaseSection = (runs: ReleaseRun[]) => [
  '## Local end-to-end release',
  '',
  'The sample release on the local stack as `npm start -- --auto-approve` runs it (3 instances per group,',
  'one production instance failing ValidateService): push main → artifact → dev → tag v1.0.0 → staging →',
  'approval through the page → production, PARTIAL, release blocked. One fresh process per run.',
  '',
  '| run | stack start s | release s | verdicts | problems |',
  '| --- | ---: | ---: | --- | --- |',
  ...runs.map(
    (r, i) =>
      `| ${i + 1} | ${r.stackStartS.toFixed(2)} | ${r.releaseS.toFixed(2)} | ${r.verdicts} | ${r.problems.join('; ') || 'none'} |`,
  ),
  '',
  `Median release: ${median(runs.map((r) => r.releaseS)).toFixed(2)} s (stack start ${median(runs.map((r) => r.stackStartS)).toFixed(2)} s).`,
];
