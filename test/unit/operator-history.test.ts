// Operator command `history`: deployments newest first, with CodeDeploy's status (from the audit, or
// asked of CodeDeploy while in flight), Baton's verdict, who started each and how long it took.
import { describe, expect, it } from 'vitest';
import { audit } from '../../shared/audit/audit';
import { invokeOperator } from '../../shared/operator/invoke';
import { CONSOLE_IDENTITY } from '../../shared/operator/rules/actor';
import { auditMemoryDeps, deployed, target } from '../support/audit';
import { COMMIT, COMMIT2, loadEvent } from '../support/fixtures';

const three = ['i-1', 'i-2', 'i-3'].map((id) => target(id));

/** Staging: v1.0.0 VERIFIED in 4m30s, then v1.1.0 stopped by the console; dev: a branch deployment in flight. */
const withHistory = async () => {
  const deps = auditMemoryDeps();
  const stopping = { stop: async () => ({ status: 'Succeeded' }) };
  const all = { ...deps, stopping, auditing: deps };
  const good = await deployed(deps, 'staging', COMMIT, { release: 'v1.0.0' });
  deps.reader.add(
    good,
    {
      deploymentGroup: 'web-staging',
      createdAt: '2026-11-20T18:00:00.000Z',
      completedAt: '2026-11-20T18:04:30.000Z',
    },
    three,
  );
  await audit(deps, { deploymentId: good, trigger: 'eventbridge SUCCESS' });
  deps.clock.advance(10 * 60_000);
  const stopped = await deployed(deps, 'staging', COMMIT2, { release: 'v1.1.0', status: 'InProgress' });
  await invokeOperator(all, { command: 'stop', deploymentId: stopped, reason: 'bad build' });
  deps.reader.add(stopped, { deploymentGroup: 'web-staging', status: 'Stopped' }, three);
  deps.clock.advance(60_000);
  await audit(deps, { deploymentId: stopped, trigger: 'eventbridge STOP' });
  deps.clock.advance(60_000);
  const running = await deployed(deps, 'dev', COMMIT2, { cause: 'branch', status: 'InProgress' });
  return { deps: all, good, stopped, running };
};

describe('history', () => {
  it("lists an environment's deployments newest first: status, verdict, who started each, duration", async () => {
    const { deps, good, stopped } = await withHistory();
    expect(await invokeOperator(deps, loadEvent('operator/history.json'))).toEqual({
      ok: true,
      result: {
        application: 'web',
        environment: 'staging',
        deployments: [
          {
            environment: 'staging',
            deploymentId: stopped,
            commit: COMMIT2,
            release: 'v1.1.0',
            startedBy: 'test',
            cause: 'release',
            createdAt: '2026-11-20T18:10:00.000Z',
            finishedAt: '2026-11-20T18:11:00.000Z',
            durationSeconds: 60,
            codedeployStatus: 'Stopped',
            verdict: 'FAILED',
            stoppedBy: CONSOLE_IDENTITY,
            stopReason: 'bad build',
          },
          {
            environment: 'staging',
            deploymentId: good,
            commit: COMMIT,
            release: 'v1.0.0',
            startedBy: 'test',
            cause: 'release',
            createdAt: '2026-11-20T18:00:00.000Z',
            finishedAt: '2026-11-20T18:04:30.000Z',
            durationSeconds: 270,
            codedeployStatus: 'Succeeded',
            verdict: 'VERIFIED',
          },
        ],
      },
    });
  });

  it('spans every environment without one, asks CodeDeploy for what is in flight, and keeps to the limit', async () => {
    const { deps, running, stopped } = await withHistory();
    const all = await invokeOperator(deps, { command: 'history', application: 'web' });
    const limited = await invokeOperator(deps, { command: 'history', application: 'web', limit: 2 });
    expect(all).toMatchObject({
      ok: true,
      result: {
        deployments: [
          { deploymentId: running, environment: 'dev', codedeployStatus: 'InProgress', cause: 'branch' },
          { deploymentId: stopped },
          { verdict: 'VERIFIED' },
        ],
      },
    });
    const first = all.ok ? (all.result as { deployments: Record<string, unknown>[] }).deployments[0] : {};
    expect(first).not.toHaveProperty('verdict');
    expect(first).not.toHaveProperty('durationSeconds');
    expect(limited.ok && (limited.result as { deployments: unknown[] }).deployments).toHaveLength(2);
  });

  it('is a read: a principal that may only read may run it', async () => {
    const { deps } = await withHistory();
    deps.pipeline = { ...deps.pipeline, operators: [{ principal: 'console', may: ['read'] }] };
    expect(await invokeOperator(deps, { command: 'history', application: 'web' })).toMatchObject({
      ok: true,
    });
    expect(await invokeOperator(deps, { command: 'history', application: 'web', environment: 'qa' })).toEqual(
      {
        ok: false,
        kind: 'NotFoundError',
        error: 'application "web" has no environment "qa"',
      },
    );
  });
});
