// The alert email an on-call engineer can act on: the deployment in the CodeDeploy console, and the
// `baton` commands that apply, each one the command line takes as it is written.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/args';
import { audit } from '../../shared/audit/audit';
import type { AlertOrigin } from '../../shared/audit/rules/next-steps';
import { auditMemoryDeps, deployed, failedTarget, target } from '../support/audit';
import { COMMIT, COMMIT2 } from '../support/fixtures';

const STAGE: AlertOrigin = { region: 'eu-west-1', stage: 'prod', console: true };
const LOCAL: AlertOrigin = { region: 'us-east-1', console: false };
const partial = [target('i-1'), failedTarget('i-2')];

/** A PARTIAL deployment of `environment`, after one VERIFIED deployment of COMMIT2 when `verifiedBefore`. */
const alertOf = async (
  origin: AlertOrigin,
  opts: { environment?: string; release?: string; verifiedBefore?: boolean } = {},
) => {
  const deps = { ...auditMemoryDeps(), origin };
  const environment = opts.environment ?? 'staging';
  if (opts.verifiedBefore) {
    const id = await deployed(deps, environment, COMMIT2, { release: 'v1.1.0' });
    await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
  }
  const id = await deployed(deps, environment, COMMIT, {
    targets: partial,
    ...(opts.release ? { release: opts.release } : {}),
  });
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
});
