// onFailure: rollback — the last VERIFIED revision is redeployed once, recorded as a rollback, and it
// is what starts when the group is freed.
import { describe, expect, it } from 'vitest';
import { audit } from '../../shared/audit/audit';
import type { AuditRecord } from '../../shared/audit/records';
import { requestDeployment } from '../../shared/deployments/deployments';
import { auditKeys, keys } from '../../shared/ledger/keys';
import type { DeploymentRecord, DeploymentRequest } from '../../shared/ledger/records';
import type { Pipeline } from '../../shared/pipeline/rules/config';
import { auditMemoryDeps, deployed, target } from '../support/audit';
import { COMMIT, COMMIT2, samplePipeline } from '../support/fixtures';

const COMMIT3 = 'c0ffee0000000000000000000000000000000003';
const rollingBack = (): Pipeline => {
  const pipeline = samplePipeline();
  for (const env of pipeline.applications.web?.environments ?? [])
    if (env.name === 'production') env.onFailure = 'rollback';
  return pipeline;
};
const failing = [target('i-1'), target('i-2', 'Failed'), target('i-3', 'Failed')];
const doneOf = async (deps: ReturnType<typeof auditMemoryDeps>, id: string) =>
  (await deps.store.get<AuditRecord>(auditKeys.audit(id)))?.record.followUp.done;

describe('rolling back after a failed audit', () => {
  it('redeploys the last VERIFIED revision, records it as a rollback, and starts it when the group is free', async () => {
    const deps = auditMemoryDeps(rollingBack());
    const good = await deployed(deps, 'production', COMMIT, { release: 'v1.2.0' });
    await audit(deps, { deploymentId: good, trigger: 'eventbridge SUCCESS' });
    const bad = await deployed(deps, 'production', COMMIT2, { release: 'v1.3.0', targets: failing });

    const outcome = await audit(deps, { deploymentId: bad, trigger: 'eventbridge SUCCESS' });

    expect(outcome).toMatchObject({ verdict: 'PARTIAL' });
    expect(deps.deployer.calls.map((c) => c.key)).toEqual(
      [COMMIT, COMMIT2, COMMIT].map((c) => `artifacts/web/${c}.zip`),
    );
    const rollback = (await deps.store.get<DeploymentRecord>(keys.deployment('d-FAKE00003')))?.record;
    expect(rollback).toMatchObject({
      cause: { type: 'rollback', detail: `rollback after PARTIAL of ${bad}` },
      artifact: { commit: COMMIT },
    });
    expect(rollback?.release).toBeUndefined();
    expect(await doneOf(deps, bad)).toMatchObject({
      rollback: `redeploy of v1.2.0 (VERIFIED in ${good}) requested; it starts once the group is free`,
      release: 'group released; started d-FAKE00003',
    });
    expect(deps.notifier.sent[0]?.notice.message).toContain(
      `- rollback: redeploy of v1.2.0 (VERIFIED in ${good}) requested`,
    );
  });

  it('a newer request queued behind the failed deployment waits for the rollback, then starts', async () => {
    const deps = auditMemoryDeps(rollingBack());
    const good = await deployed(deps, 'production', COMMIT, { release: 'v1.2.0' });
    await audit(deps, { deploymentId: good, trigger: 'eventbridge SUCCESS' });
    const bad = await deployed(deps, 'production', COMMIT2, { release: 'v1.3.0', targets: failing });
    const waiting = await requestDeployment(deps, {
      application: 'web',
      environment: 'production',
      artifact: { bucket: 'pipeline', key: `artifacts/web/${COMMIT3}.zip`, etag: '"e3"', commit: COMMIT3 },
      cause: { type: 'release', detail: 'release v1.4.0' },
      release: 'v1.4.0',
      dedupeKey: 'release:v1.4.0',
    });

    await audit(deps, { deploymentId: bad, trigger: 'eventbridge SUCCESS' });

    const request = await deps.store.get<DeploymentRequest>(
      keys.request('web', 'production', waiting.requestId),
    );
    expect(request?.record.state).toBe('queued');
    expect(deps.deployer.calls.at(-1)?.key).toBe(`artifacts/web/${COMMIT}.zip`);
  });

  it('never rolls back a rollback, nor twice for the same deployment', async () => {
    const deps = auditMemoryDeps(rollingBack());
    const good = await deployed(deps, 'production', COMMIT, { release: 'v1.2.0' });
    await audit(deps, { deploymentId: good, trigger: 'eventbridge SUCCESS' });
    const bad = await deployed(deps, 'production', COMMIT2, { targets: failing });
    await audit(deps, { deploymentId: bad, trigger: 'eventbridge SUCCESS' });
    deps.reader.add('d-FAKE00003', { deploymentGroup: 'web-production', status: 'Failed' }, failing);

    await audit(deps, { deploymentId: 'd-FAKE00003', trigger: 'eventbridge FAILURE' });
    await audit(deps, { deploymentId: bad, trigger: 'operator alice', again: true });

    expect(await doneOf(deps, 'd-FAKE00003')).toMatchObject({
      rollback: 'none: this deployment was itself a rollback',
    });
    expect(deps.deployer.calls).toHaveLength(3);
  });

  it('says why there is nothing to roll back to', async () => {
    const deps = auditMemoryDeps(rollingBack());
    const bad = await deployed(deps, 'production', COMMIT2, { targets: failing });
    await audit(deps, { deploymentId: bad, trigger: 'eventbridge SUCCESS' });
    expect(await doneOf(deps, bad)).toMatchObject({
      rollback: 'none: no earlier VERIFIED deployment in this environment',
    });
    expect(deps.deployer.calls).toHaveLength(1);
  });

  it('blocks without rolling back where the environment says block (the default)', async () => {
    const deps = auditMemoryDeps();
    const good = await deployed(deps, 'production', COMMIT);
    await audit(deps, { deploymentId: good, trigger: 'eventbridge SUCCESS' });
    const bad = await deployed(deps, 'production', COMMIT2, { targets: failing });
    await audit(deps, { deploymentId: bad, trigger: 'eventbridge SUCCESS' });
    expect(await doneOf(deps, bad)).toMatchObject({
      rollback: 'none: the environment blocks on failure (onFailure: block)',
    });
    expect(deps.deployer.calls).toHaveLength(2);
  });
});
