// The audit use case on the in-memory ledger with recording fakes: what is recorded, and what follows.
import { describe, expect, it } from 'vitest';
import { audit } from '../../shared/audit/audit';
import { EvidenceError } from '../../shared/audit/ports';
import type { AuditRecord, VerifiedDeployment } from '../../shared/audit/records';
import { requestDeployment } from '../../shared/deployments/deployments';
import { auditKeys, keys } from '../../shared/ledger/keys';
import type { DeploymentRecord, GroupSlot } from '../../shared/ledger/records';
import { ALERTS, auditMemoryDeps, deployed, failedTarget, target } from '../support/audit';
import { COMMIT, COMMIT2 } from '../support/fixtures';

const auditRecord = async (deps: ReturnType<typeof auditMemoryDeps>, id: string) =>
  (await deps.store.get<AuditRecord>(auditKeys.audit(id)))?.record;
const deploymentRecord = async (deps: ReturnType<typeof auditMemoryDeps>, id: string) =>
  (await deps.store.get<DeploymentRecord>(keys.deployment(id)))?.record;

describe('auditing a deployment', () => {
  it('VERIFIED: records the verdict, remembers the deployment, moves the release on and frees the group', async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'staging', COMMIT, { release: 'v1.2.0' });

    const outcome = await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });

    expect(outcome).toMatchObject({ outcome: 'audited', verdict: 'VERIFIED' });
    expect(await deploymentRecord(deps, id)).toMatchObject({
      verdict: 'VERIFIED',
      finishedAt: expect.any(String),
    });
    const record = await auditRecord(deps, id);
    expect(record).toMatchObject({
      v: 1,
      kind: 'audit',
      verdict: 'VERIFIED',
      application: 'web',
      environment: 'staging',
      release: 'v1.2.0',
      followUp: { state: 'done' },
    });
    expect(await deps.store.get<VerifiedDeployment>(auditKeys.verified('web', 'staging'))).toMatchObject({
      record: { deploymentId: id, fleet: 3 },
    });
    expect(deps.releaseFlow.calls).toEqual([
      { application: 'web', release: 'v1.2.0', trigger: `audit VERIFIED of ${id}` },
    ]);
    expect(deps.notifier.sent).toEqual([]);
    expect(await deps.store.get<GroupSlot>(keys.slot('web', 'staging'))).toBeUndefined();
    expect(deps.metrics.audits).toEqual([{ verdict: 'VERIFIED', environment: 'staging', failedTargets: 0 }]);
    expect(await deps.store.list(auditKeys.openFollowUps())).toEqual([]);
  });

  it('PARTIAL: alerts with the report in plain text, blocks the release, and starts what was queued', async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'staging', COMMIT, {
      release: 'v1.2.0',
      targets: [target('i-1'), failedTarget('i-2'), failedTarget('i-3')],
    });
    const queued = await requestDeployment(deps, {
      application: 'web',
      environment: 'staging',
      artifact: { bucket: 'pipeline', key: `artifacts/web/${COMMIT2}.zip`, etag: '"e2"', commit: COMMIT2 },
      cause: { type: 'release', detail: 'release v1.3.0' },
      release: 'v1.3.0',
      dedupeKey: 'release:v1.3.0',
    });
    expect(queued.outcome).toBe('queued');

    const outcome = await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });

    expect(outcome).toMatchObject({ verdict: 'PARTIAL' });
    expect(deps.notifier.sent).toHaveLength(1);
    const [alert] = deps.notifier.sent;
    expect(alert?.topicArn).toBe(ALERTS);
    expect(alert?.notice.subject).toBe('Baton web staging: PARTIAL for release v1.2.0 (commit 3f786850e387)');
    expect(alert?.notice.attributes).toEqual({
      verdict: 'PARTIAL',
      application: 'web',
      environment: 'staging',
    });
    expect(alert?.notice.message).toContain('3 targets: 1 succeeded, 2 failed.');
    expect(alert?.notice.message).toContain(
      '- i-2: Failed at ValidateService\n    ScriptFailed in scripts/validate.sh',
    );
    expect(alert?.notice.message).toContain('- release v1.2.0 is blocked in staging');
    expect(deps.releaseFlow.calls.map((c) => c.trigger)).toEqual([`audit PARTIAL of ${id}`]);
    expect(await deps.store.get(auditKeys.verified('web', 'staging'))).toBeUndefined();
    expect(deps.metrics.audits).toEqual([{ verdict: 'PARTIAL', environment: 'staging', failedTargets: 2 }]);
    expect(deps.deployer.calls.map((c) => c.key)).toEqual([
      `artifacts/web/${COMMIT}.zip`,
      `artifacts/web/${COMMIT2}.zip`,
    ]);
    expect((await auditRecord(deps, id))?.followUp.done.release).toBe('group released; started d-FAKE00002');
  });

  it('the same finish event twice (EventBridge and SNS, or a retry) audits and alerts once', async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'dev', COMMIT, { status: 'Failed' });
    const [a, b] = await Promise.all([
      audit(deps, { deploymentId: id, trigger: 'eventbridge FAILURE' }),
      audit(deps, { deploymentId: id, trigger: 'sns FAILURE' }),
    ]);
    const third = await audit(deps, { deploymentId: id, trigger: 'eventbridge FAILURE' });
    expect([a.outcome, b.outcome].sort()).toEqual(['audited', 'recorded-earlier']);
    expect(third).toMatchObject({ outcome: 'recorded-earlier', verdict: 'FAILED' });
    expect(deps.notifier.sent).toHaveLength(1);
    expect(deps.metrics.audits).toHaveLength(1);
  });

  it('records nothing while CodeDeploy has not finished', async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'dev', COMMIT, { status: 'InProgress' });
    expect(await audit(deps, { deploymentId: id, trigger: 'sns SUCCESS' })).toEqual({
      outcome: 'unfinished',
      deploymentId: id,
      status: 'InProgress',
    });
    expect(await auditRecord(deps, id)).toBeUndefined();
    expect((await deploymentRecord(deps, id))?.verdict).toBeUndefined();
  });

  it('INCOMPLETE when the targets cannot be read; the operator audits again and it is VERIFIED', async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'staging', COMMIT, { release: 'v1.2.0' });
    deps.reader.failTargets = new EvidenceError(
      'ListDeploymentTargets: ThrottlingException: Rate exceeded (after 3 attempts)',
    );
    expect(await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' })).toMatchObject({
      verdict: 'INCOMPLETE',
    });
    expect(deps.notifier.sent[0]?.notice.message).toContain(
      'the targets could not be read: the targets: ListDeploymentTargets: ThrottlingException',
    );

    deps.reader.failTargets = undefined;
    const again = await audit(deps, { deploymentId: id, trigger: 'operator alice', again: true });

    expect(again).toMatchObject({ outcome: 'audited', verdict: 'VERIFIED' });
    expect(await deploymentRecord(deps, id)).toMatchObject({ verdict: 'VERIFIED' });
    expect((await auditRecord(deps, id))?.history).toEqual([
      { verdict: 'INCOMPLETE', trigger: 'eventbridge SUCCESS', auditedAt: expect.any(String) },
    ]);
    // The INCOMPLETE alert, then the change: the release that was blocked moves on.
    expect(deps.notifier.sent.map((s) => s.notice.subject)).toEqual([
      'Baton web staging: INCOMPLETE for release v1.2.0 (commit 3f786850e387)',
      'Baton web staging: INCOMPLETE → VERIFIED, release v1.2.0 resumed',
    ]);
    expect(deps.releaseFlow.calls.map((c) => c.trigger)).toEqual([
      `audit INCOMPLETE of ${id}`,
      `audit VERIFIED of ${id}`,
    ]);
  });

  it('calls out a fleet that shrank since the last VERIFIED deployment of the group', async () => {
    const deps = auditMemoryDeps();
    const first = await deployed(deps, 'dev', COMMIT);
    await audit(deps, { deploymentId: first, trigger: 'eventbridge SUCCESS' });
    const second = await deployed(deps, 'dev', COMMIT2, { targets: [target('i-1'), target('i-2')] });
    const outcome = await audit(deps, { deploymentId: second, trigger: 'eventbridge SUCCESS' });
    expect(outcome).toMatchObject({ verdict: 'PARTIAL' });
    if (outcome.outcome === 'unfinished') throw new Error('unfinished');
    expect(outcome.report.reasons).toContain(
      `the fleet shrank: 2 targets, the last VERIFIED deployment ${first} had 3`,
    );
  });
});
