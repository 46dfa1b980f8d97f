// Operator command `watch`: one look at a deployment (or a release's newest) as it runs, final once
// Baton's verdict is in and nothing of the release is still running.
import { describe, expect, it } from 'vitest';
import { run } from '../../functions/source-pushed/handler';
import { audit } from '../../shared/audit/audit';
import { invokeOperator } from '../../shared/operator/invoke';
import {
  ALERTS,
  auditMemoryDeps,
  deployed,
  FakeReader,
  RecordingMetrics,
  target,
  VALIDATE_FAILED,
} from '../support/audit';
import { COMMIT } from '../support/fixtures';
import { finish, releaseDeps, tagEvent, uploadArtifact } from '../support/releases';

const watchDeps = () => {
  const deps = auditMemoryDeps();
  return { ...deps, auditing: deps };
};
type Deps = ReturnType<typeof watchDeps>;
const look = async (deps: Deps, what: Record<string, unknown>) => {
  const answer = await invokeOperator(deps, { command: 'watch', ...what });
  if (!answer.ok) throw new Error(`${answer.kind}: ${answer.error}`);
  return answer.result;
};

const failingValidate = target('i-2', 'Failed', {
  events: [
    { name: 'BeforeInstall', status: 'Succeeded' },
    { name: 'ValidateService', status: 'Failed', diagnostics: { ...VALIDATE_FAILED } },
  ],
});

describe('watch', () => {
  it('shows targets, their lifecycle events and the failing log tail, then the verdict', async () => {
    const deps = watchDeps();
    const id = await deployed(deps, 'staging', COMMIT, {
      release: 'v1.0.0',
      status: 'InProgress',
      targets: [target('i-1'), failingValidate],
    });
    const running = await look(deps, { deploymentId: id });
    deps.reader.add(id, { deploymentGroup: 'web-staging', status: 'Failed' }, [
      target('i-1'),
      failingValidate,
    ]);
    await audit(deps, { deploymentId: id, trigger: 'eventbridge FAILURE' });
    const done = await look(deps, { deploymentId: id });

    expect(running).toMatchObject({
      deploymentId: id,
      application: 'web',
      environment: 'staging',
      status: 'InProgress',
      final: false,
      targets: [
        { id: 'i-1', status: 'Succeeded' },
        {
          id: 'i-2',
          status: 'Failed',
          events: [
            { name: 'BeforeInstall', status: 'Succeeded' },
            { name: 'ValidateService', status: 'Failed' },
          ],
          failed: {
            event: 'ValidateService',
            errorCode: 'ScriptFailed',
            scriptName: 'scripts/validate.sh',
            logTail: VALIDATE_FAILED.logTail,
          },
        },
      ],
    });
    expect(running).not.toHaveProperty('verdict');
    expect(done).toMatchObject({ status: 'Failed', verdict: 'FAILED', final: true });
    expect((done as { reasons: string[] }).reasons[0]).toContain('CodeDeploy reports the deployment Failed');
  });

  it("follows a release's newest deployment, and is final once the release waits for no deployment", async () => {
    const reader = new FakeReader();
    const base = releaseDeps();
    const deps = {
      ...base,
      auditing: { reader, notifier: base.notifier, alertTopicArn: ALERTS, metrics: new RecordingMetrics() },
    };
    await uploadArtifact(deps, COMMIT);
    await run(tagEvent('v1.0.0', COMMIT, '2026-11-20T18:50:02Z'), deps);
    reader.add('d-FAKE00002', { deploymentGroup: 'web-staging', status: 'InProgress' }, [target('i-1')]);
    const release = { command: 'watch', release: 'v1.0.0', application: 'web' };
    const before = await invokeOperator(deps, release);
    reader.add('d-FAKE00002', { deploymentGroup: 'web-staging', status: 'Succeeded' }, [target('i-1')]);
    await finish(deps, 'd-FAKE00002', 'VERIFIED');
    const after = await invokeOperator(deps, release);

    expect(before).toMatchObject({
      ok: true,
      result: { deploymentId: 'd-FAKE00002', release: 'v1.0.0', status: 'InProgress', final: false },
    });
    expect(after).toMatchObject({
      ok: true,
      result: {
        deploymentId: 'd-FAKE00002',
        verdict: 'VERIFIED',
        next: 'request approval for production',
        releaseStep: 'request-approval',
        final: true,
      },
    });
  });

  it('is not final while a VERIFIED audit bakes, and final once its bake ended', async () => {
    const deps = watchDeps();
    const id = await deployed(deps, 'staging', COMMIT, {
      status: 'Succeeded',
      targets: [target('i-1'), target('i-2'), target('i-3')],
    });
    await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
    const key = `audits/${id}.json`;
    const audited = await deps.store.get<Record<string, unknown>>(key);
    const bake = {
      state: 'baking',
      since: '2026-11-20T18:00:00.000Z',
      until: '2026-11-20T18:30:00.000Z',
      minutes: 30,
      alarms: ['web-staging-5xx'],
      inconclusive: 'hold',
    };
    await deps.store.put(key, { ...audited?.record, bake });

    const baking = await look(deps, { deploymentId: id });
    await deps.store.put(key, { ...audited?.record, bake: { ...bake, state: 'passed' } });
    const baked = await look(deps, { deploymentId: id });

    expect(baking).toMatchObject({
      verdict: 'VERIFIED',
      bake: { state: 'baking', until: '2026-11-20T18:30:00.000Z' },
      final: false,
    });
    expect(baked).toMatchObject({ verdict: 'VERIFIED', bake: { state: 'passed' }, final: true });
  });

  it('needs exactly one of a deployment or a release (with its application), and is a read', async () => {
    const deps = watchDeps();
    expect(await invokeOperator(deps, { command: 'watch' })).toMatchObject({
      ok: false,
      error: 'deploymentId: give exactly one of deploymentId or release',
    });
    expect(await invokeOperator(deps, { command: 'watch', release: 'v1' })).toMatchObject({
      ok: false,
      error: 'application: required with release',
    });
    deps.pipeline = { ...deps.pipeline, operators: [{ principal: 'console', may: ['read'] }] };
    expect(await invokeOperator(deps, { command: 'watch', deploymentId: 'd-NOSUCH000' })).toEqual({
      ok: false,
      kind: 'NotFoundError',
      error: 'CodeDeploy has no deployment d-NOSUCH000',
    });
  });
});
