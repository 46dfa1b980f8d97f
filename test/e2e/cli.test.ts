// The baton CLI end to end: a local stack in this process (moto, local CodeDeploy, the functions), its
// stack file, and the real CLI as a subprocess (`node cli/baton.mjs … --local <file>`) reading it, as an
// operator's terminal would next to `npm start -- --keep`.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { buildArtifact } from '../../local/artifact';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { writeStackFile } from '../../local/stack-file';
import { runBaton } from '../support/cli';
import { webAppFiles } from '../support/local-codedeploy-fixtures';

const work = mkdtempSync(join(tmpdir(), 'baton-cli-e2e-'));
/** Who the local target signs as, for BATON_OPERATOR=alice (local/operator-url.ts). */
const ALICE = 'arn:aws:sts::000000000000:assumed-role/local-operator/alice';

// The sample web server without the secrets hook: staging's instances pass its target group's health check.
const app = () => {
  const dir = join(work, 'app');
  for (const [name, body] of Object.entries(webAppFiles())) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return dir;
};

/**
 * The CLI as a user types it (`"…"` keeps words together), with none of this process's environment:
 * the stack file has to carry it.
 */
const baton = (line: string, env: Record<string, string> = {}) =>
  runBaton(
    (line.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"(.*)"$/, '$1')),
    { PATH: process.env.PATH ?? '', HOME: work, BATON_OPERATOR: 'alice', ...env },
  );

const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });

const statusAnswer = z.object({
  ok: z.literal(true),
  result: z.object({
    environments: z.array(
      z.looseObject({
        environment: z.string(),
        latest: z.optional(z.looseObject({ deploymentId: z.string(), cause: z.string() })),
      }),
    ),
  }),
});
const approvalsAnswer = z.object({
  ok: z.literal(true),
  result: z.object({ approvals: z.array(z.looseObject({ approvalId: z.string() })) }),
});

describe('baton CLI on the local stack', () => {
  let stack: LocalStack;
  let stackFile: string;
  let commit: string;
  let local: string;
  /** Read in this process (test preparation), not through the CLI under test. */
  const latestIn = async (environment: string) => {
    const status = statusAnswer.parse(await stack.operator({ command: 'status', application: 'web' }));
    return status.result.environments.find((e) => e.environment === environment)?.latest;
  };
  /** CodeDeploy finished it, and deployment-finished (audit, release flow) has run. */
  const finished = async (deploymentId = '') => {
    const status = await stack.codedeploy.waitForDeployment(deploymentId);
    await stack.router.settle();
    return status;
  };

  beforeAll(async () => {
    stack = await startLocalStack({ instances: 3 });
    stackFile = writeStackFile(stack, join(work, 'stack.json'));
    local = `--local ${stackFile}`;
    const artifact = buildArtifact(app(), '/nonexistent');
    commit = artifact.commit;
    await stack.clients.s3.send(
      new PutObjectCommand({
        Bucket: stack.bucket,
        Key: `artifacts/web/${commit}.zip`,
        Body: artifact.zip,
        Metadata: { branch: 'main' },
      }),
    );
    await stack.pollS3();
    await stack.router.settle();
    expect(await finished((await latestIn('dev'))?.deploymentId)).toBe('Succeeded');
    await stack.push({ repository: 'web', type: 'tag', name: 'v1.0.0', commit });
    await stack.router.settle();
    expect(await finished((await latestIn('staging'))?.deploymentId)).toBe('Succeeded');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('prints status, releases, approvals and secrets-check as tables, and --json for scripts', async () => {
    // Act
    const [status, statusJson, releases, approvals, secrets, help, deployHelp] = await Promise.all([
      baton(`status --app web ${local}`),
      baton(`status --app web --json ${local}`),
      baton(`releases --app web ${local}`),
      baton(`approvals ${local}`),
      baton(`secrets-check --app web --env staging ${local}`),
      baton('--help'),
      baton('deploy --help'),
    ]);
    // Assess
    const c = commit.slice(0, 7);
    expect(status).toMatchObject({ code: 0, stderr: '' });
    expect(status.stdout).toMatch(new RegExp(`^dev +d-[A-Z0-9]{9} ${c} +VERIFIED `, 'm'));
    expect(status.stdout).toMatch(
      new RegExp(`^staging +d-[A-Z0-9]{9} ${c} v1\\.0\\.0 +VERIFIED .* release v1\\.0\\.0$`, 'm'),
    );
    expect(status.stdout).toMatch(/^production +- +- +- +- +- +-$/m);
    expect(JSON.parse(statusJson.stdout)).toMatchObject({
      application: 'web',
      environments: [
        { environment: 'dev', latest: { commit, verdict: 'VERIFIED' } },
        { environment: 'staging', latest: { commit, release: 'v1.0.0', verdict: 'VERIFIED' } },
        { environment: 'production', queued: [] },
      ],
    });
    expect(releases.stdout).toContain(`v1.0.0   ${c}  staging      VERIFIED          d-`);
    expect(releases.stdout).toContain('                  production   approval pending  -');
    expect(releases.stdout).toContain('Next:\n  v1.0.0  wait for approval: approval to enter production\n');
    expect(approvals.stdout).toMatch(
      new RegExp(
        `^[0-9a-f]{20}  web v1\\.0\\.0 \\(${c}\\)  production  staging \\(deployment d-[A-Z0-9]{9}\\)  0 of 1    release-manager@example\\.com  .*\\(in 3d\\)$`,
        'm',
      ),
    );
    expect(secrets.stdout).toContain('web staging: ready\n');
    // Metadata only: the current version and its last change, never a value nor a key of the .env.
    expect(secrets.stdout).toMatch(
      /^baton\/web\/staging\/env {6}\.env {12}0600 {2}yes {5}[0-9a-f-]{36} {2}\d{4}-\d{2}-\d{2} \d{2}:\d{2}Z {2}-$/m,
    );
    expect(secrets.stdout).not.toContain('DATABASE_URL');
    expect(secrets.stdout).not.toContain('staging-password');
    expect(secrets.stdout).not.toContain('PRIVATE KEY');
    expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining('  secrets-check  ') });
    expect(deployHelp.stdout).toContain('--commit <commit>');
    expect(deployHelp.stdout).toContain('--environment, --env <environment>');
  });

  it('exits 1 on a refused command, naming the field as its flag', async () => {
    expect(await baton(`promote --app web --release v1.0.0 --env production --force ${local}`)).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'baton promote: the operator refused the command:',
        '  --reason: required when force is true (it is kept on the release timeline)',
        'Flags: baton promote --help',
        '',
      ].join('\n'),
    });
  });

  it('rejects the approval, forces the release into production with a reason, and audits it', async () => {
    // Prepare
    const pending = approvalsAnswer.parse(await stack.operator({ command: 'approvals' }));
    const approvalId = pending.result.approvals[0]?.approvalId;
    // Act
    const decided = await baton(
      `decide --approval-id ${approvalId} --decision reject --comment "not now" ${local}`,
    );
    const forced = await baton(
      `promote --app web --release v1.0.0 --env production --force --reason "hotfix agreed" ${local}`,
    );
    const deploymentId = forced.stdout.match(/Result: deployment (d-[A-Z0-9]{9}) started/)?.[1];
    const status = await finished(deploymentId);
    const [audited, timeline] = await Promise.all([
      baton(`audit --deployment-id ${deploymentId} ${local}`),
      baton(`releases --app web --release v1.0.0 ${local}`),
    ]);
    // Assess
    expect(decided).toEqual({
      code: 0,
      stdout: `web v1.0.0 → production (approval ${approvalId}): reject recorded for ${ALICE}\nThe approval is rejected: rejected by operator ${ALICE}.\n`,
      stderr: '',
    });
    expect(forced).toMatchObject({ code: 0, stderr: '' });
    expect(forced.stdout).toContain(
      ') → production (forced: the reason is on the release timeline)\nStep: deploy to production (forced)\n',
    );
    expect(status).toBe('Succeeded');
    expect(audited).toMatchObject({ code: 0, stderr: '' });
    expect(audited.stdout).toContain(
      `VERIFIED: web v1.0.0 (commit ${commit.slice(0, 12)}) in production, deployment ${deploymentId}\n`,
    );
    // Production is blue/green (pipeline.yml): the three originals are retired, not counted.
    expect(audited.stdout).toContain('3 targets: 3 succeeded; 3 original (Blue) instances being retired.');
    expect(audited.stdout).toContain(`Recorded as VERIFIED in the ledger: audits/${deploymentId}.json\n`);
    expect(timeline.stdout).toMatch(/ production +blocked +the approval to enter production was rejected /m);
    expect(timeline.stdout).toContain(`forced into production by ${ALICE}: hotfix agreed (by ${ALICE})`);
  });

  it('deploys a recorded artifact into an environment by hand', async () => {
    const deployed = await baton(`deploy --app web --env dev --commit ${commit} ${local}`);
    const deploymentId = deployed.stdout.match(
      /^web dev: deployment (d-[A-Z0-9]{9}) started \(request \w+\)$/m,
    )?.[1];
    expect(deployed.stderr).toBe('');
    expect(await finished(deploymentId)).toBe('Succeeded');
    expect(await latestIn('dev')).toMatchObject({
      deploymentId,
      cause: `operator ${ALICE}`,
      verdict: 'VERIFIED',
    });
  });

  it('deploys by the short commit id, watches it to its verdict, lists it in the history, and will not retry it', async () => {
    const deployed = await baton(`deploy --app web --env dev --commit ${commit.slice(0, 12)} ${local}`);
    const deploymentId = deployed.stdout.match(/^web dev: deployment (d-[A-Z0-9]{9}) started/m)?.[1] ?? '';
    const watched = await baton(`watch ${deploymentId} ${local}`, { BATON_WATCH_INTERVAL_MS: '200' });
    const [history, retried, metrics] = await Promise.all([
      baton(`history web dev ${local}`),
      baton(`retry web dev ${local}`),
      baton(`metrics web --since 1d ${local}`),
    ]);
    expect(deployed).toMatchObject({ code: 0, stderr: '' });
    expect(watched).toMatchObject({ code: 0, stderr: '' });
    expect(watched.stdout).toContain(`Watching ${deploymentId} (web dev)\n`);
    expect(watched.stdout).toMatch(/^ {2}i-\S+ {2}ValidateService {2}Succeeded$/m);
    expect(watched.stdout).toContain(`Verdict of ${deploymentId}: VERIFIED\n`);
    expect(history).toMatchObject({ code: 0, stderr: '' });
    expect(history.stdout).toMatch(
      new RegExp(
        `^dev +${deploymentId} +${commit.slice(0, 7)} +- +Succeeded +VERIFIED .* operator ${ALICE}$`,
        'm',
      ),
    );
    expect(retried).toEqual({
      code: 1,
      stdout: '',
      stderr: `baton retry: refused (RetryRefusedError): deployment ${deploymentId} in dev is VERIFIED: nothing to retry\n`,
    });
    expect(metrics).toMatchObject({ code: 0, stderr: '' });
    expect(metrics.stdout).toMatch(/^Delivery metrics from .* \(1 day\); \d+ deployment record\(s\) read$/m);
    // Every deployment of dev so far was VERIFIED; its lead time is measured from a recorded commit time.
    expect(metrics.stdout).toMatch(/^dev +[1-9]\d* +\d+\.\d\d +0% \(0 of [1-9]\d*\) +\S+.* \([1-9]\d*\) /m);
  });

  it('exits 3 saying the local stack is not running when its endpoints refuse connections', async () => {
    const gone = `http://127.0.0.1:${await closedPort()}`;
    const file = JSON.parse(readFileSync(stackFile, 'utf8'));
    file.env = { ...file.env, AWS_ENDPOINT_URL: gone, AWS_ENDPOINT_URL_CODEDEPLOY: gone };
    const stale = join(work, 'stale-stack.json');
    writeFileSync(stale, JSON.stringify(file));
    expect(await baton(`status --app web --local ${stale}`)).toEqual({
      code: 3,
      stdout: '',
      stderr:
        'baton status: the local stack is not running (connection refused): start it with `npm start -- --keep`\n',
    });
  });
});
