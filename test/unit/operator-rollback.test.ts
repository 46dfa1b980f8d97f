// Operator command `rollback`: the environment's last VERIFIED revision deployed again, recorded with
// who and why, never gated again and never itself rolled back.
import { describe, expect, it } from 'vitest';
import { audit } from '../../shared/audit/audit';
import { keys, releaseKeys } from '../../shared/ledger/keys';
import type { DeploymentRecord } from '../../shared/ledger/records';
import { invokeOperator } from '../../shared/operator/invoke';
import { CONSOLE_IDENTITY } from '../../shared/operator/rules/actor';
import type { TimelineEntry } from '../../shared/releases/records';
import { auditMemoryDeps, deployed, target } from '../support/audit';
import { COMMIT, COMMIT2, loadEvent } from '../support/fixtures';

type Deps = ReturnType<typeof auditMemoryDeps>;
const failing = [target('i-1'), target('i-2', 'Failed'), target('i-3', 'Failed')];
const rollbackIn = (deps: Deps, environment: string) =>
  invokeOperator(deps, { command: 'rollback', application: 'web', environment });

/** Staging: v1.0.0 VERIFIED, then v1.1.0 PARTIAL (staging blocks on failure: no rollback of its own). */
const brokenStaging = async () => {
  const deps = auditMemoryDeps();
  const good = await deployed(deps, 'staging', COMMIT, { release: 'v1.0.0' });
  await audit(deps, { deploymentId: good, trigger: 'eventbridge SUCCESS' });
  const bad = await deployed(deps, 'staging', COMMIT2, { release: 'v1.1.0', targets: failing });
  await audit(deps, { deploymentId: bad, trigger: 'eventbridge SUCCESS' });
  return { deps, good, bad };
};

describe('rollback', () => {
  it('deploys the last VERIFIED revision again, recorded in the ledger, the cause and the release timeline', async () => {
    // Prepare
    const { deps, good, bad } = await brokenStaging();
    // Act
    const response = await invokeOperator(deps, loadEvent('operator/rollback.json'));
    // Assess
    expect(response).toMatchObject({
      ok: true,
      result: {
        application: 'web',
        environment: 'staging',
        to: { deploymentId: good, commit: COMMIT, release: 'v1.0.0' },
        from: { deploymentId: bad, commit: COMMIT2, release: 'v1.1.0', verdict: 'PARTIAL' },
        result: { outcome: 'started', deploymentId: 'd-FAKE00003' },
        ledgerKey: expect.stringMatching(/^rollbacks\/web\/staging\/.+\.json$/),
      },
    });
    expect(deps.deployer.calls.at(-1)?.key).toBe(`artifacts/web/${COMMIT}.zip`);
    const record = (await deps.store.get<DeploymentRecord>(keys.deployment('d-FAKE00003')))?.record;
    expect(record?.cause).toEqual({
      type: 'rollback',
      detail: `rollback by ${CONSOLE_IDENTITY} to v1.0.0 (VERIFIED in ${good}): v1.3.0 breaks the checkout`,
    });
    expect(record?.release).toBeUndefined();
    const ledgerKey = response.ok ? (response.result as { ledgerKey: string }).ledgerKey : '';
    expect((await deps.store.get(ledgerKey))?.record).toMatchObject({
      kind: 'rollback',
      by: CONSOLE_IDENTITY,
      reason: 'v1.3.0 breaks the checkout',
      to: { deploymentId: good },
      from: { deploymentId: bad },
      deploymentId: 'd-FAKE00003',
    });
    const timeline = await deps.store.list(releaseKeys.timeline('web', 'v1.1.0'));
    const entry = timeline.find((k) => k.includes('/rolled-back/'));
    expect((await deps.store.get<TimelineEntry>(entry ?? ''))?.record).toMatchObject({
      what: 'rolled-back',
      environment: 'staging',
      by: CONSOLE_IDENTITY,
    });
  });

  it('is not rolled back in turn when it fails itself', async () => {
    const { deps } = await brokenStaging();
    await rollbackIn(deps, 'staging');
    deps.reader.add('d-FAKE00003', { deploymentGroup: 'web-staging' }, failing);
    const outcome = await audit(deps, { deploymentId: 'd-FAKE00003', trigger: 'eventbridge SUCCESS' });
    expect(outcome).toMatchObject({ verdict: 'PARTIAL' });
    expect(deps.deployer.calls).toHaveLength(3);
  });

  it('refuses when there is nothing VERIFIED, when the environment already runs it, or while a deployment is in flight', async () => {
    const deps = auditMemoryDeps();
    expect(await rollbackIn(deps, 'staging')).toEqual({
      ok: false,
      kind: 'NotFoundError',
      error: 'web staging has no VERIFIED deployment to roll back to',
    });
    const good = await deployed(deps, 'staging', COMMIT, { release: 'v1.0.0' });
    await audit(deps, { deploymentId: good, trigger: 'eventbridge SUCCESS' });
    expect(await rollbackIn(deps, 'staging')).toEqual({
      ok: false,
      kind: 'RollbackRefusedError',
      error: `staging already runs its last VERIFIED revision, v1.0.0 (deployment ${good})`,
    });
    const running = await deployed(deps, 'staging', COMMIT2, { release: 'v1.1.0', status: 'InProgress' });
    expect(await rollbackIn(deps, 'staging')).toEqual({
      ok: false,
      kind: 'RollbackRefusedError',
      error: `deployment ${running} is in flight in staging: stop it first (baton stop ${running} --reason …), then roll back`,
    });
  });

  it('needs the deploy permission', async () => {
    const { deps } = await brokenStaging();
    deps.pipeline = { ...deps.pipeline, operators: [{ principal: 'console', may: ['read'] }] };
    expect(await rollbackIn(deps, 'staging')).toMatchObject({ ok: false, kind: 'PermissionRefusedError' });
  });
});
