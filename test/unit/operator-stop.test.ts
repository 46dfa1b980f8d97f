// Operator command `stop`: StopDeployment with who and why recorded first; the audit of the Stopped
// deployment says FAILED (stopped, by whom), Baton's own rollback stays out of it, and the queue moves on.
import { describe, expect, it } from 'vitest';
import { audit } from '../../shared/audit/audit';
import type { AuditRecord } from '../../shared/audit/records';
import type { DeploymentStopper } from '../../shared/core/ports';
import { DeploymentFinishedError } from '../../shared/core/rules/errors';
import { auditKeys, keys, releaseKeys } from '../../shared/ledger/keys';
import type { StopRecord } from '../../shared/ledger/records';
import { invokeOperator } from '../../shared/operator/invoke';
import { CONSOLE_IDENTITY } from '../../shared/operator/rules/actor';
import type { Pipeline } from '../../shared/pipeline/rules/config';
import type { TimelineEntry } from '../../shared/releases/records';
import { auditMemoryDeps, deployed, queuedBehind, target } from '../support/audit';
import { COMMIT, COMMIT2, loadEvent, samplePipeline } from '../support/fixtures';

class FakeStopper implements DeploymentStopper {
  readonly calls: { deploymentId: string; autoRollback: boolean }[] = [];
  refuse?: Error;
  async stop(deploymentId: string, autoRollback: boolean) {
    if (this.refuse) throw this.refuse;
    this.calls.push({ deploymentId, autoRollback });
    return { status: 'Succeeded', message: 'No more commands will be scheduled' };
  }
}

const rollingBack = (): Pipeline => {
  const pipeline = samplePipeline();
  for (const env of pipeline.applications.web?.environments ?? []) env.onFailure = 'rollback';
  return pipeline;
};

const stopDeps = (pipeline = rollingBack()) => {
  const deps = auditMemoryDeps(pipeline);
  const stopping = new FakeStopper();
  return { ...deps, stopping, auditing: deps, stopper: stopping };
};

const stopRecord = async (deps: ReturnType<typeof stopDeps>, id: string) =>
  (await deps.store.get<StopRecord>(keys.stop(id)))?.record;

describe('stopping a deployment', () => {
  it('records who and why, stops it, and its audit says FAILED, stopped by whom, with no rollback of Baton', async () => {
    // Prepare: a VERIFIED deployment in staging, then one of a release in flight, a request queued behind it.
    const deps = stopDeps();
    const good = await deployed(deps, 'staging', COMMIT, { release: 'v1.0.0' });
    await audit(deps, { deploymentId: good, trigger: 'eventbridge SUCCESS' });
    const running = await deployed(deps, 'staging', COMMIT2, { release: 'v1.1.0', status: 'InProgress' });
    await queuedBehind(deps, 'staging', COMMIT);
    // Act
    const response = await invokeOperator(deps, {
      command: 'stop',
      deploymentId: running,
      reason: 'wrong config in this build',
    });
    deps.reader.add(running, { deploymentGroup: 'web-staging', status: 'Stopped' }, [
      target('i-1'),
      target('i-2', 'Skipped'),
      target('i-3', 'Skipped'),
    ]);
    const outcome = await audit(deps, { deploymentId: running, trigger: 'eventbridge STOP' });
    // Assess
    expect(response).toMatchObject({
      ok: true,
      result: {
        deploymentId: running,
        outcome: 'stopped',
        application: 'web',
        environment: 'staging',
        release: 'v1.1.0',
        autoRollback: false,
        by: CONSOLE_IDENTITY,
        reason: 'wrong config in this build',
        ledgerKey: `stops/${running}.json`,
      },
    });
    expect(deps.stopper.calls).toEqual([{ deploymentId: running, autoRollback: false }]);
    expect(await stopRecord(deps, running)).toMatchObject({
      kind: 'stop',
      by: CONSOLE_IDENTITY,
      reason: 'wrong config in this build',
      environment: 'staging',
    });
    const timeline = await deps.store.get<TimelineEntry>(
      releaseKeys.timelineEntry('web', 'v1.1.0', `stopped/staging/${running}`),
    );
    expect(timeline?.record).toMatchObject({ what: 'stopped', by: CONSOLE_IDENTITY });
    expect(outcome).toMatchObject({ verdict: 'FAILED' });
    const record = (await deps.store.get<AuditRecord>(auditKeys.audit(running)))?.record;
    expect(record?.report.reasons).toEqual([
      'CodeDeploy reports the deployment Stopped',
      `stopped by ${CONSOLE_IDENTITY}: wrong config in this build`,
      '2 of 3 targets did not succeed',
    ]);
    expect(record?.report.stop).toEqual({
      by: CONSOLE_IDENTITY,
      reason: 'wrong config in this build',
      autoRollback: false,
    });
    expect(record?.followUp.done.rollback).toBe(
      `none: stopped by ${CONSOLE_IDENTITY}, who asked for no rollback`,
    );
    // The queue moved on: the request waiting behind the stopped deployment started.
    expect(deps.deployer.calls).toHaveLength(3);
    expect(record?.followUp.done.release).toBe('group released; started d-FAKE00003');
    expect(deps.notifier.sent.at(-1)?.notice.message).toContain(`stopped by ${CONSOLE_IDENTITY}`);
  });

  it('asks CodeDeploy for its rollback when told, and says so in the verdict', async () => {
    const deps = stopDeps();
    const running = await deployed(deps, 'dev', COMMIT, { status: 'InProgress', cause: 'branch' });
    const response = await invokeOperator(deps, {
      ...loadEvent<Record<string, unknown>>('operator/stop.json'),
      deploymentId: running,
      autoRollback: true,
    });
    deps.reader.add(running, { deploymentGroup: 'web-dev', status: 'Stopped' }, [target('i-1', 'Failed')]);
    await audit(deps, { deploymentId: running, trigger: 'eventbridge STOP' });
    expect(response).toMatchObject({ ok: true, result: { autoRollback: true } });
    expect(deps.stopper.calls).toEqual([{ deploymentId: running, autoRollback: true }]);
    const record = (await deps.store.get<AuditRecord>(auditKeys.audit(running)))?.record;
    expect(record?.report.reasons).toContain(
      `stopped by ${CONSOLE_IDENTITY}: wrong config in this build (CodeDeploy was asked to roll it back)`,
    );
  });

  it('stops once: a second stop names the first', async () => {
    const deps = stopDeps();
    const running = await deployed(deps, 'dev', COMMIT, { status: 'InProgress', cause: 'branch' });
    const stop = { command: 'stop', deploymentId: running, reason: 'bad build' };
    await invokeOperator(deps, stop);
    const again = await invokeOperator(deps, { ...stop, reason: 'again' });
    expect(again).toMatchObject({
      ok: true,
      result: { outcome: 'already-stopped', by: CONSOLE_IDENTITY, reason: 'bad build' },
    });
    expect(deps.stopper.calls).toHaveLength(1);
  });

  it('refuses a finished deployment and leaves no record when CodeDeploy refuses', async () => {
    const deps = stopDeps();
    const done = await deployed(deps, 'dev', COMMIT, { cause: 'branch' });
    await audit(deps, { deploymentId: done, trigger: 'eventbridge SUCCESS' });
    expect(await invokeOperator(deps, { command: 'stop', deploymentId: done, reason: 'late' })).toEqual({
      ok: false,
      kind: 'DeploymentFinishedError',
      error: `deployment ${done} has already finished (verdict VERIFIED): there is nothing to stop`,
    });
    const running = await deployed(deps, 'staging', COMMIT2, { status: 'InProgress' });
    deps.stopper.refuse = new DeploymentFinishedError(`deployment ${running} has already finished`);
    expect(
      await invokeOperator(deps, { command: 'stop', deploymentId: running, reason: 'late' }),
    ).toMatchObject({
      ok: false,
      kind: 'DeploymentFinishedError',
    });
    expect(await stopRecord(deps, running)).toBeUndefined();
  });

  it('needs a reason, and the deploy permission', async () => {
    const deps = stopDeps();
    expect(await invokeOperator(deps, { command: 'stop', deploymentId: 'd-X' })).toMatchObject({
      ok: false,
      kind: 'ValidationError',
      error: 'reason: required',
    });
    deps.pipeline = { ...deps.pipeline, operators: [{ principal: 'console', may: ['read'] }] };
    expect(await invokeOperator(deps, { command: 'stop', deploymentId: 'd-X', reason: 'r' })).toMatchObject({
      ok: false,
      kind: 'PermissionRefusedError',
      error: expect.stringContaining('a console test event may not deploy'),
    });
  });

  it('finds a deployment Baton did not start by its group, and refuses one of another pipeline', async () => {
    const deps = stopDeps();
    deps.reader.add('d-OUTSIDE01', { deploymentGroup: 'web-production', status: 'InProgress' }, []);
    deps.reader.add('d-ELSEWHERE', { deploymentGroup: 'other-group', status: 'InProgress' }, []);
    const outside = await invokeOperator(deps, { command: 'stop', deploymentId: 'd-OUTSIDE01', reason: 'r' });
    expect(outside).toMatchObject({ ok: true, result: { environment: 'production', outcome: 'stopped' } });
    expect(await invokeOperator(deps, { command: 'stop', deploymentId: 'd-ELSEWHERE', reason: 'r' })).toEqual(
      {
        ok: false,
        kind: 'NotFoundError',
        error: 'deployment d-ELSEWHERE belongs to no environment of this pipeline',
      },
    );
  });
});
