// Every way into an environment passes its gate: operator deploys, gated branch environments, and
// continuous delivery without tags (a commit VERIFIED on its branch, promoted).
import { describe, expect, it } from 'vitest';
import { run } from '../../functions/source-pushed/handler';
import { audit } from '../../shared/audit/audit';
import { invokeOperator } from '../../shared/operator/invoke';
import { parsePipeline } from '../../shared/pipeline/rules/config';
import { releaseFlow } from '../../shared/releases/promotion';
import { auditMemoryDeps, deployed as deployedFor } from '../support/audit';
import { COMMIT, COMMIT2 } from '../support/fixtures';
import { shippedPipeline } from '../support/pipeline-config';
import {
  ALERTS,
  branchEvent,
  deployed,
  FakeApprovals,
  finish,
  releaseDeps,
  tagEvent,
  uploadArtifact,
} from '../support/releases';

const T = '2026-11-20T18:50:02Z';
const deploy = (environment: string, extra: Record<string, unknown> = {}) => ({
  command: 'deploy',
  application: 'web',
  environment,
  commit: COMMIT,
  ...extra,
});

/** The shipped pipeline with `change` applied to its raw form. */
const pipelineWith = (
  change: (raw: { applications: { web: { environments: Record<string, unknown>[] } } }) => void,
) => {
  const raw = shippedPipeline();
  change(raw);
  return parsePipeline(raw);
};

describe('operator deploy into a gated environment', () => {
  it('refuses a commit no release brought through staging, naming the rule, and deploys nothing', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT, 'feature/x');
    expect(await invokeOperator(deps, deploy('production'))).toEqual({
      ok: false,
      kind: 'GateRefusedError',
      error: `cannot deploy commit ${COMMIT.slice(0, 12)} to production: production is entered by promotion: the commit must first be VERIFIED in staging; no release of it goes there. To skip the gate, use force with a reason.`,
    });
    expect(deployed(deps)).toEqual([]);
  });

  it('takes a released commit VERIFIED in staging through the approval, not past it', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    await run(tagEvent('v1.2.0', COMMIT, T), deps);
    await finish(deps, 'd-FAKE00002', 'VERIFIED');
    const answer = await invokeOperator(deps, deploy('production'));
    expect(answer).toMatchObject({
      ok: true,
      result: { release: 'v1.2.0', result: { outcome: 'approval-requested' } },
    });
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`, `web-staging:${COMMIT}`]);
  });

  it('goes past the gate only by force with a reason, recorded and announced on the alert topic', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT, 'feature/x');
    expect(await invokeOperator(deps, deploy('production', { force: true }))).toMatchObject({
      ok: false,
      error: 'reason: required when force is true (it is recorded and announced)',
    });
    const forced = await invokeOperator(deps, deploy('production', { force: true, reason: 'hotfix INC-42' }));
    expect(forced).toMatchObject({ ok: true, result: { forced: true, result: { outcome: 'started' } } });
    expect(deployed(deps)).toEqual([`web-production:${COMMIT}`]);
    expect(deps.notifier.sent).toEqual([
      expect.objectContaining({
        topicArn: ALERTS,
        notice: expect.objectContaining({
          subject: `Baton web production: forced past its gate: commit ${COMMIT.slice(0, 12)}`,
          message: expect.stringContaining('Reason: hotfix INC-42'),
        }),
      }),
    ]);
    expect((await deps.store.list('forced/web/')).length).toBe(1);
  });

  it('refuses a force where the alert topic is not wired: a force is never silent', async () => {
    const wired = releaseDeps();
    await uploadArtifact(wired, COMMIT, 'feature/x');
    const { alerts: _, ...deps } = wired;
    expect(await invokeOperator(deps, deploy('production', { force: true, reason: 'x' }))).toMatchObject({
      ok: false,
      kind: 'ConfigError',
    });
    expect(deps.deployer.calls).toEqual([]);
  });

  it('keeps an older release out of staging after a newer one, even with an operator deploy in between', async () => {
    // Found by the property run: the operator's deployment hid the newer release from the check.
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    await uploadArtifact(deps, COMMIT2);
    const latest = () => `d-FAKE${String(deps.deployer.calls.length).padStart(5, '0')}`;
    await run(tagEvent('v1.3.0', COMMIT2, '2026-11-20T18:55:00Z'), deps);
    await finish(deps, latest(), 'VERIFIED');
    await invokeOperator(deps, deploy('staging'));
    await finish(deps, latest(), 'VERIFIED');
    await run(tagEvent('v1.2.0', COMMIT, T), deps);
    expect(deployed(deps).filter((d) => d.startsWith('web-staging'))).toEqual([
      `web-staging:${COMMIT2}`,
      `web-staging:${COMMIT}`,
    ]);
    expect(deps.deployer.calls.at(-1)?.description).toContain('operator');
  });

  it('deploys straight into an ungated environment', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT, 'feature/x');
    expect(await invokeOperator(deps, deploy('dev'))).toMatchObject({
      ok: true,
      result: { outcome: 'started' },
    });
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`]);
  });
});

describe('a gated branch environment', () => {
  const gated = () =>
    pipelineWith((raw) => {
      const [dev] = raw.applications.web.environments;
      if (dev) dev.approval = { approvers: ['lead@example.com'] };
    });

  it('asks for approval before a push deploys, and deploys once it is given', async () => {
    const deps = releaseDeps(gated());
    await uploadArtifact(deps, COMMIT);
    await run(branchEvent(COMMIT, T), deps);
    const release = `main@${COMMIT.slice(0, 12)}`;
    expect(deps.approvals.requests).toEqual([
      expect.objectContaining({ release, environment: 'dev', commit: COMMIT }),
    ]);
    expect(deployed(deps)).toEqual([]);
    deps.approvals.decide(release, 'dev', 'approved');
    await releaseFlow(deps).advance('web', release, 'approval approved');
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`]);
  });

  it('asks once the artifact arrives when the push came first', async () => {
    const deps = releaseDeps(gated());
    await run(branchEvent(COMMIT, T), deps);
    expect(deps.approvals.requests).toEqual([]);
    await uploadArtifact(deps, COMMIT);
    expect(deps.approvals.requests).toEqual([
      expect.objectContaining({ environment: 'dev', commit: COMMIT }),
    ]);
    expect(deployed(deps)).toEqual([]);
  });
});

describe('continuous delivery without tags', () => {
  const cd = () =>
    pipelineWith((raw) => {
      raw.applications.web.environments = raw.applications.web.environments
        .filter((e) => e.name !== 'dev')
        .map((e) =>
          e.name === 'staging' ? { ...e, enter: { branch: 'main' }, audit: { minimumTargets: 1 } } : e,
        );
    });

  it('promotes the commit VERIFIED in the branch environment, through the approval', async () => {
    const base = auditMemoryDeps(cd());
    const approvals = new FakeApprovals();
    const deps = { ...base, approvals, alerts: { notifier: base.notifier, alertTopicArn: ALERTS } };
    const flow = releaseFlow(deps);
    const id = await deployedFor({ ...deps, releaseFlow: base.releaseFlow }, 'staging', COMMIT, {
      cause: 'branch',
    });
    await audit({ ...deps, releaseFlow: flow }, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
    const release = `main@${COMMIT.slice(0, 12)}`;
    expect(approvals.requests).toEqual([
      expect.objectContaining({
        release,
        environment: 'production',
        fromEnvironment: 'staging',
        fromDeploymentId: id,
      }),
    ]);
    approvals.decide(release, 'production', 'approved');
    await flow.advance('web', release, 'approval approved');
    expect(deps.deployer.calls.map((c) => [c.deploymentGroup, c.key])).toEqual([
      ['web-staging', `artifacts/web/${COMMIT}.zip`],
      ['web-production', `artifacts/web/${COMMIT}.zip`],
    ]);
  });

  it('asks for the newest VERIFIED commit too; an older one never enters after a newer one', async () => {
    const base = auditMemoryDeps(cd());
    const approvals = new FakeApprovals();
    const deps = { ...base, approvals, alerts: { notifier: base.notifier, alertTopicArn: ALERTS } };
    const flow = releaseFlow(deps);
    for (const commit of [COMMIT, COMMIT2]) {
      const id = await deployedFor({ ...deps, releaseFlow: base.releaseFlow }, 'staging', commit, {
        cause: 'branch',
      });
      await audit({ ...deps, releaseFlow: flow }, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
    }
    const [older, newer] = [COMMIT, COMMIT2].map((c) => `main@${c.slice(0, 12)}`);
    expect(approvals.requests.map((r) => r.release)).toEqual([older, newer]);
    approvals.decide(newer ?? '', 'production', 'approved');
    await flow.advance('web', newer ?? '', 'approval approved');
    approvals.decide(older ?? '', 'production', 'approved');
    await flow.advance('web', older ?? '', 'approval approved');
    expect(
      deps.deployer.calls.filter((c) => c.deploymentGroup === 'web-production').map((c) => c.key),
    ).toEqual([`artifacts/web/${COMMIT2}.zip`]);
  });
});
