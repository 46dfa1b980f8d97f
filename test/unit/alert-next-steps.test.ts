// The alert email an on-call engineer can act on: the deployment in the CodeDeploy console, and the
// `baton` commands that apply, each one the command line takes as it is written.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/args';
import { audit } from '../../shared/audit/audit';
import { type AlertOrigin, consoleLink } from '../../shared/audit/rules/next-steps';
import { auditKeys } from '../../shared/ledger/keys';
import type { Pipeline } from '../../shared/pipeline/rules/config';
import { type AuditTestDeps, auditMemoryDeps, deployed, failedTarget, target } from '../support/audit';
import { COMMIT, COMMIT2, samplePipeline } from '../support/fixtures';

const STAGE: AlertOrigin = { region: 'eu-west-1', stage: 'prod', console: true };
const LOCAL: AlertOrigin = { region: 'us-east-1', console: false };
const partial = [target('i-1'), failedTarget('i-2')];

/**
 * A PARTIAL deployment of `environment`, after one VERIFIED deployment of COMMIT2 (or `verified`'s
 * commit and ETag) when `verifiedBefore`; `before` runs just before it is audited.
 */
const alertOf = async (
  origin: AlertOrigin,
  opts: {
    environment?: string;
    release?: string;
    verifiedBefore?: boolean;
    verified?: { commit: string; etag?: string };
    pipeline?: Pipeline;
    before?: (deps: AuditTestDeps) => Promise<void>;
  } = {},
) => {
  const deps = { ...auditMemoryDeps(opts.pipeline), origin };
  const environment = opts.environment ?? 'staging';
  if (opts.verifiedBefore) {
    const { commit = COMMIT2, etag } = opts.verified ?? {};
    const id = await deployed(deps, environment, commit, { release: 'v1.1.0', ...(etag ? { etag } : {}) });
    await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
  }
  const id = await deployed(deps, environment, COMMIT, {
    targets: partial,
    ...(opts.release ? { release: opts.release } : {}),
  });
  await opts.before?.(deps);
  await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
  const message = deps.notifier.sent.at(-1)?.notice.message ?? '';
  return { id, message, lines: message.split('\n') };
};

/** The command lines the email suggests, without their comments. */
const commandsIn = (lines: string[]) =>
  lines.filter((l) => l.startsWith('  baton ')).map((l) => l.replace(/\s+#.*$/, '').trim());

const parsed = (line: string) => {
  const argv = line.split(' ').slice(1);
  const invocation = parseArgs(argv);
  if (invocation.mode !== 'run') throw new Error(`not a command: ${line}`);
  return { command: invocation.event, target: invocation.target };
};

describe('the alert email', () => {
  it('links the deployment in the CodeDeploy console of its region', async () => {
    const { id, lines } = await alertOf(STAGE, { release: 'v1.2.0', verifiedBefore: true });
    const at = lines.indexOf('In the CodeDeploy console:');
    expect(lines[at + 1]).toBe(
      `  https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${id}?region=eu-west-1`,
    );
  });

  it('gives watch, retry and rollback exactly as typed for the stage, and the CLI takes each', async () => {
    const { id, lines } = await alertOf(STAGE, { release: 'v1.2.0', verifiedBefore: true });
    const commands = commandsIn(lines);
    expect(commands).toEqual([
      `baton watch ${id} --stage prod --region eu-west-1`,
      'baton retry web staging --stage prod --region eu-west-1',
      'baton rollback web staging --stage prod --region eu-west-1',
    ]);
    expect(lines.find((l) => l.includes('baton rollback'))).toContain(
      `back to commit ${COMMIT2.slice(0, 12)} (release v1.1.0), VERIFIED in deployment`,
    );
    expect(commands.map(parsed)).toEqual([
      {
        command: { command: 'watch', deploymentId: id },
        target: { kind: 'url', stage: 'prod', region: 'eu-west-1' },
      },
      {
        command: { command: 'retry', application: 'web', environment: 'staging' },
        target: { kind: 'url', stage: 'prod', region: 'eu-west-1' },
      },
      {
        command: { command: 'rollback', application: 'web', environment: 'staging' },
        target: { kind: 'url', stage: 'prod', region: 'eu-west-1' },
      },
    ]);
  });

  it('suggests no rollback where the environment has no VERIFIED deployment, and says why', async () => {
    const { lines } = await alertOf(STAGE, { release: 'v1.2.0' });
    expect(commandsIn(lines).some((c) => c.startsWith('baton rollback'))).toBe(false);
    expect(lines).toContain(
      '  Rollback: none possible, web staging has no VERIFIED deployment to go back to.',
    );
  });

  it('in a gated environment, suggests no retry of a deployment that is of no release', async () => {
    const { lines } = await alertOf(STAGE, { environment: 'production', verifiedBefore: true });
    expect(commandsIn(lines).some((c) => c.startsWith('baton retry'))).toBe(false);
    expect(lines.join('\n')).toContain(
      'Retry: only a release (or deploy --force with a reason) enters production',
    );
  });

  it('on the local stack: no console link, and commands for the local stack (the default target)', async () => {
    const { id, message, lines } = await alertOf(LOCAL, { release: 'v1.2.0', verifiedBefore: true });
    expect(message).not.toContain('console.aws.amazon.com');
    expect(commandsIn(lines)).toEqual([
      `baton watch ${id}`,
      'baton retry web staging',
      'baton rollback web staging',
    ]);
  });

  it('after Baton’s own rollback, gives the command that watches that rollback', async () => {
    const pipeline = samplePipeline();
    for (const env of pipeline.applications.web?.environments ?? []) env.onFailure = 'rollback';
    const { lines } = await alertOf(STAGE, { release: 'v1.2.0', verifiedBefore: true, pipeline });
    // d-FAKE00001 was VERIFIED, d-FAKE00002 failed, d-FAKE00003 is the rollback.
    expect(commandsIn(lines)).toContain('baton watch d-FAKE00003 --stage prod --region eu-west-1');
    expect(lines.find((l) => l.includes('watch d-FAKE00003'))).toMatch(
      /# Baton's rollback to release v1\.1\.0/,
    );
    expect(lines.join('\n')).not.toContain('follow it with baton watch.');
  });

  it('suggests a rollback to the same commit built again (another artifact), as the command allows', async () => {
    const rebuilt = { commit: COMMIT, etag: '"rebuilt"' };
    const { lines } = await alertOf(STAGE, { release: 'v1.2.0', verifiedBefore: true, verified: rebuilt });
    expect(commandsIn(lines)).toContain('baton rollback web staging --stage prod --region eu-west-1');
  });

  it('suggests no rollback where the last VERIFIED revision is this same artifact, as the command refuses', async () => {
    const { lines } = await alertOf(STAGE, {
      release: 'v1.2.0',
      verifiedBefore: true,
      verified: { commit: COMMIT },
    });
    expect(commandsIn(lines).some((c) => c.startsWith('baton rollback'))).toBe(false);
    expect(lines).toContain(
      "  Rollback: none, web staging's last VERIFIED revision is this same artifact; retry it instead.",
    );
  });

  it('is sent without retry and rollback, saying why, when their facts cannot be read', async () => {
    // The audit reads the verified pointer first; the alert's own read of it, after, fails.
    const throttled = async (deps: AuditTestDeps) => {
      const get = deps.store.get.bind(deps.store);
      let reads = 0;
      deps.store.get = async (key) => {
        if (key === auditKeys.verified('web', 'staging') && ++reads > 1)
          throw Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' });
        return get(key);
      };
    };
    const { id, lines, message } = await alertOf(STAGE, { release: 'v1.2.0', before: throttled });
    expect(message).toContain('PARTIAL');
    expect(commandsIn(lines)).toEqual([`baton watch ${id} --stage prod --region eu-west-1`]);
    expect(lines).toContain('  Retry and rollback: not worked out, its facts could not be read (SlowDown).');
  });
});

describe('the console link', () => {
  it('is on the console of the region’s partition', () => {
    expect(consoleLink('d-1', 'eu-west-1')).toMatch(
      /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/codesuite\//,
    );
    expect(consoleLink('d-1', 'cn-north-1')).toBe(
      'https://console.amazonaws.cn/codesuite/codedeploy/deployments/d-1?region=cn-north-1',
    );
    expect(consoleLink('d-1', 'us-gov-west-1')).toBe(
      'https://console.amazonaws-us-gov.com/codesuite/codedeploy/deployments/d-1?region=us-gov-west-1',
    );
  });
});
