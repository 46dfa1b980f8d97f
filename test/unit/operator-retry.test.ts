// Operator command `retry`: the same artifact again into the same environment after PARTIAL, FAILED or
// INCOMPLETE; a release's approval stays valid, nothing is skipped.
import { describe, expect, it } from 'vitest';
import { run } from '../../functions/source-pushed/handler';
import { releaseKeys } from '../../shared/ledger/keys';
import { invokeOperator } from '../../shared/operator/invoke';
import { CONSOLE_IDENTITY } from '../../shared/operator/rules/actor';
import type { TimelineEntry } from '../../shared/releases/records';
import { COMMIT, loadEvent, samplePipeline } from '../support/fixtures';
import * as releases from '../support/releases';

const { deployed, finish, releaseDeps, tagEvent, uploadArtifact } = releases;
type ReleaseDeps = releases.ReleaseDeps;

const retryEvent = loadEvent<Record<string, unknown>>('operator/retry.json');
const retryIn = (deps: ReleaseDeps, environment: string) =>
  invokeOperator(deps, { command: 'retry', application: 'web', environment });

/** v1.2.0 pushed: dev and staging deployed (d-FAKE00001, d-FAKE00002). */
const released = async (deps: ReleaseDeps) => {
  await uploadArtifact(deps, COMMIT);
  await run(tagEvent('v1.2.0', COMMIT, '2026-11-20T18:50:02Z'), deps);
};

/** v1.2.0 VERIFIED in staging, approved for production, deployed there (d-FAKE00003) with `verdict`. */
const approvedInProduction = async (verdict: 'PARTIAL' | 'FAILED') => {
  const deps = releaseDeps();
  await released(deps);
  await finish(deps, 'd-FAKE00002', 'VERIFIED');
  await invokeOperator(deps, loadEvent('operator/promote.json'));
  deps.approvals.decide('v1.2.0', 'production', 'approved');
  await invokeOperator(deps, loadEvent('operator/promote.json'));
  await finish(deps, 'd-FAKE00003', verdict);
  return deps;
};

describe('retry', () => {
  it('deploys a release again where it FAILED, as a new attempt on its timeline, and the release goes on', async () => {
    // Prepare
    const deps = releaseDeps();
    await released(deps);
    await finish(deps, 'd-FAKE00002', 'FAILED');
    // Act
    const response = await invokeOperator(deps, retryEvent);
    await finish(deps, 'd-FAKE00003', 'VERIFIED');
    const promoted = await invokeOperator(deps, {
      command: 'promote',
      application: 'web',
      release: 'v1.2.0',
      environment: 'production',
    });
    // Assess
    expect(response).toEqual({
      ok: true,
      result: {
        application: 'web',
        environment: 'staging',
        retried: { deploymentId: 'd-FAKE00002', verdict: 'FAILED', commit: COMMIT },
        release: 'v1.2.0',
        next: 'deploy to staging',
        result: expect.objectContaining({ outcome: 'started', deploymentId: 'd-FAKE00003' }),
      },
    });
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`, `web-staging:${COMMIT}`, `web-staging:${COMMIT}`]);
    const entry = await deps.store.get<TimelineEntry>(
      releaseKeys.timelineEntry('web', 'v1.2.0', 'retried/staging/0001'),
    );
    expect(entry?.record).toMatchObject({
      what: 'retried',
      attempt: 1,
      by: CONSOLE_IDENTITY,
      reason: 'flaky health check, fixed on the load balancer',
      detail: `retry in staging after FAILED of d-FAKE00002, by ${CONSOLE_IDENTITY}: flaky health check, fixed on the load balancer`,
    });
    expect(promoted).toMatchObject({ ok: true, result: { result: { outcome: 'approval-requested' } } });
  });

  it('keeps the approval given for the release: production is retried without a new one', async () => {
    const deps = await approvedInProduction('PARTIAL');

    const response = await retryIn(deps, 'production');

    expect(response).toMatchObject({
      ok: true,
      result: { release: 'v1.2.0', next: 'deploy to production', result: { outcome: 'started' } },
    });
    expect(deps.approvals.requests).toHaveLength(1);
    expect(deployed(deps).at(-1)).toBe(`web-production:${COMMIT}`);
  });

  it('skips nothing: a rejected approval still holds the retried release', async () => {
    const deps = await approvedInProduction('FAILED');
    deps.approvals.decide('v1.2.0', 'production', 'rejected');

    const response = await retryIn(deps, 'production');

    expect(response).toMatchObject({ ok: true, result: { next: expect.stringContaining('rejected') } });
    expect(deployed(deps)).toHaveLength(3);
  });

  it('keeps a force that let the release in: retried in production without the approval it skipped', async () => {
    const deps = releaseDeps();
    await released(deps);
    await finish(deps, 'd-FAKE00002', 'FAILED');
    await invokeOperator(deps, {
      ...loadEvent<Record<string, unknown>>('operator/promote.json'),
      force: true,
      reason: 'hotfix',
    });
    await finish(deps, 'd-FAKE00003', 'FAILED');

    const response = await retryIn(deps, 'production');

    expect(response).toMatchObject({
      ok: true,
      result: {
        next: 'deploy to production (forced)',
        result: { outcome: 'started', deploymentId: 'd-FAKE00004' },
      },
    });
    expect(deps.deployer.calls[3]?.description).toContain(
      `release v1.2.0 forced by ${CONSOLE_IDENTITY}: hotfix`,
    );
    expect(deps.approvals.requests).toEqual([]);
  });

  it('requests a branch deployment again in its ungated environment', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    await finish(deps, 'd-FAKE00001', 'INCOMPLETE');

    const response = await retryIn(deps, 'dev');

    expect(response).toMatchObject({
      ok: true,
      result: {
        retried: { deploymentId: 'd-FAKE00001', verdict: 'INCOMPLETE' },
        result: { outcome: 'started', deploymentId: 'd-FAKE00002' },
      },
    });
    expect(deps.deployer.calls[1]?.description).toContain(
      `retry by ${CONSOLE_IDENTITY} after INCOMPLETE of d-FAKE00001`,
    );
  });

  it('refuses a commit forced into a gated environment: no release brought it there, so its gate stands', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    await invokeOperator(deps, {
      command: 'deploy',
      application: 'web',
      environment: 'production',
      commit: COMMIT,
      force: true,
      reason: 'hotfix',
    });
    await finish(deps, 'd-FAKE00002', 'FAILED');

    const response = await retryIn(deps, 'production');

    expect(response).toMatchObject({ ok: false, kind: 'GateRefusedError' });
    expect((response as { error: string }).error).toMatch(
      /^cannot retry commit [0-9a-f]{12} in production: no release brought it there, and .+ To skip the gate, use deploy with force and a reason\.$/,
    );
    expect(deps.deployer.calls).toHaveLength(2);
  });

  it('asked twice at once (a double run), makes one request: one deployment', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    await finish(deps, 'd-FAKE00001', 'FAILED');

    const answers = await Promise.all([retryIn(deps, 'dev'), retryIn(deps, 'dev')]);

    const outcomes = answers.map(
      (a) => (a as { result?: { result?: { outcome?: string } } }).result?.result?.outcome,
    );
    expect(outcomes.sort()).toEqual(['duplicate', 'started']);
    expect(deps.deployer.calls).toHaveLength(2);
  });

  it('retries the failed deployment, not the rollback that followed it', async () => {
    const pipeline = samplePipeline();
    for (const env of pipeline.applications.web?.environments ?? []) env.onFailure = 'rollback';
    const deps = releaseDeps(pipeline);
    await uploadArtifact(deps, COMMIT);
    await finish(deps, 'd-FAKE00001', 'FAILED');
    await invokeOperator(deps, {
      command: 'deploy',
      application: 'web',
      environment: 'dev',
      commit: COMMIT,
    });
    // A rollback's deployment, newer than the failure: recorded as such.
    const rollback = await deps.store.get<{ cause: { type: string } }>('deployments/d-FAKE00002.json');
    if (rollback)
      await deps.store.put('deployments/d-FAKE00002.json', {
        ...rollback.record,
        cause: { type: 'rollback', detail: 'rollback' },
        verdict: 'VERIFIED',
      });

    const response = await retryIn(deps, 'dev');

    expect(response).toMatchObject({ ok: true, result: { retried: { deploymentId: 'd-FAKE00001' } } });
  });

  it.each([
    ['VERIFIED', 'deployment d-FAKE00002 in staging is VERIFIED: nothing to retry'],
    [undefined, 'deployment d-FAKE00002 in staging has no verdict yet: wait for it, or stop it first'],
  ] as const)('refuses a deployment that is %s', async (verdict, error) => {
    const deps = releaseDeps();
    await released(deps);
    if (verdict) await finish(deps, 'd-FAKE00002', verdict);
    expect(await retryIn(deps, 'staging')).toEqual({ ok: false, kind: 'RetryRefusedError', error });
  });

  it('refuses a VERIFIED deployment whose bake is held, saying how its verification is retried', async () => {
    const deps = releaseDeps();
    await released(deps);
    await finish(deps, 'd-FAKE00002', 'VERIFIED');
    const key = 'deployments/d-FAKE00002.json';
    const record = await deps.store.get<Record<string, unknown>>(key);
    await deps.store.put(key, {
      ...record?.record,
      bake: { state: 'held', until: '2026-11-20T19:30:00.000Z' },
    });

    expect(await retryIn(deps, 'staging')).toEqual({
      ok: false,
      kind: 'RetryRefusedError',
      error:
        'deployment d-FAKE00002 in staging is VERIFIED and its bake is held: nothing to deploy again; audit it again (audit with its deploymentId) to read the alarms and bake again, or force on with a reason',
    });
  });

  it('refuses an environment nothing was deployed to, and needs the deploy permission', async () => {
    const deps = releaseDeps();
    expect(await retryIn(deps, 'production')).toEqual({
      ok: false,
      kind: 'NotFoundError',
      error: 'nothing was deployed to web production yet',
    });
    deps.pipeline = { ...deps.pipeline, operators: [{ principal: 'console', may: ['read'] }] };
    expect(await retryIn(deps, 'production')).toMatchObject({ ok: false, kind: 'PermissionRefusedError' });
  });
});
