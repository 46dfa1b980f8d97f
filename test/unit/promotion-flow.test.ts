// The release flow on the in-memory ledger: facts gathered, the state machine's step taken, the
// timeline kept; approvals are a fake, verdicts are set the way the audit sets them.
import { describe, expect, it } from 'vitest';
import { run } from '../../functions/source-pushed/handler';
import { keys } from '../../shared/ledger/keys';
import type { DeploymentRecord } from '../../shared/ledger/records';
import { advanceRelease, releaseFlow } from '../../shared/releases/promotion';
import { readTimeline } from '../../shared/releases/records';
import { forceRelease } from '../../shared/releases/release-actions';
import { COMMIT, COMMIT2 } from '../support/fixtures';
import {
  COMMIT3,
  deployed,
  finish,
  type ReleaseDeps,
  releaseDeps,
  tagEvent,
  uploadArtifact,
} from '../support/releases';

const T = '2026-11-20T18:50:02Z';

/** An artifact and its release tag: the release is in staging. */
const released = async (deps: ReleaseDeps, tag = 'v1.2.0', commit = COMMIT, at = T) => {
  await uploadArtifact(deps, commit);
  await run(tagEvent(tag, commit, at), deps);
};
const deploymentOf = (deps: ReleaseDeps, group: string) => {
  const i = deps.deployer.calls.findIndex((c) => c.deploymentGroup === group);
  return `d-FAKE${String(i + 1).padStart(5, '0')}`;
};

describe('a release through staging and production', () => {
  it('waits for each verdict and the approval, deploys the same object everywhere, and keeps a timeline', async () => {
    const deps = releaseDeps();
    const flow = releaseFlow(deps);
    await released(deps);
    const staging = deploymentOf(deps, 'web-staging');
    expect((await advanceRelease(deps, 'web', 'v1.2.0', 'early call'))?.next).toBe(
      `wait for verdict: deployment ${staging} has no audit verdict yet`,
    );

    await finish(deps, staging, 'VERIFIED');
    await flow.advance('web', 'v1.2.0', `audit VERIFIED of ${staging}`);
    expect(deps.approvals.requests).toEqual([
      expect.objectContaining({
        release: 'v1.2.0',
        environment: 'production',
        fromEnvironment: 'staging',
        fromDeploymentId: staging,
        artifact: expect.objectContaining({ commit: COMMIT, versionId: `v1-${COMMIT.slice(0, 6)}` }),
      }),
    ]);
    await flow.advance('web', 'v1.2.0', 'duplicate audit event');
    expect(deps.deployer.calls).toHaveLength(2);

    deps.approvals.decide('v1.2.0', 'production', 'approved');
    await flow.advance('web', 'v1.2.0', 'approval approved by release-manager@example.com');
    await flow.advance('web', 'v1.2.0', 'approval approved (redelivered)');
    expect(deployed(deps)).toEqual([
      `web-dev:${COMMIT}`,
      `web-staging:${COMMIT}`,
      `web-production:${COMMIT}`,
    ]);
    const [dev, , production] = deps.deployer.calls;
    expect(production).toMatchObject({
      bucket: dev?.bucket,
      key: dev?.key,
      versionId: dev?.versionId,
      etag: dev?.etag,
    });
    const record = await deps.store.get<DeploymentRecord>(
      keys.deployment(deploymentOf(deps, 'web-production')),
    );
    expect(record?.record).toMatchObject({ release: 'v1.2.0', cause: { type: 'promotion' } });

    await finish(deps, deploymentOf(deps, 'web-production'), 'VERIFIED');
    expect((await advanceRelease(deps, 'web', 'v1.2.0', 'audit of production'))?.next).toBe(
      'done: in every environment',
    );
    const timeline = await readTimeline(deps.store, 'web', 'v1.2.0');
    expect(timeline.map((e) => `${e.what}${e.environment ? ` ${e.environment}` : ''}`)).toEqual([
      'created',
      'deploy-requested staging',
      'verdict staging',
      'approval-requested production',
      'approval production',
      'deploy-requested production',
      'verdict production',
      'done',
    ]);
    expect(timeline[0]?.by).toMatch(/^push of refs\/tags\/v1.2.0 by arn:aws:iam::123456789012:user\/alice/);
    expect(timeline[4]).toMatchObject({
      detail: 'approval approved',
      by: 'approval approved by release-manager@example.com',
    });
  });

  it('is blocked by a FAILED verdict, once on the timeline however often it is told', async () => {
    const deps = releaseDeps();
    await released(deps);
    const staging = deploymentOf(deps, 'web-staging');
    await finish(deps, staging, 'FAILED');
    const first = await advanceRelease(deps, 'web', 'v1.2.0', 'audit');
    await advanceRelease(deps, 'web', 'v1.2.0', 'audit again');
    expect(first?.step).toMatchObject({ step: 'blocked', code: 'not-verified' });
    expect(first?.next).toBe(`blocked: deployment ${staging} in staging: verdict FAILED`);
    const blocked = (await readTimeline(deps.store, 'web', 'v1.2.0')).filter((e) => e.what === 'blocked');
    expect(blocked).toEqual([
      expect.objectContaining({ environment: 'staging', code: 'not-verified', by: 'audit' }),
    ]);
    expect(deps.approvals.requests).toEqual([]);
  });

  it('waits, and says so, where no approvals port is wired', async () => {
    const deps = releaseDeps();
    await released(deps);
    await finish(deps, deploymentOf(deps, 'web-staging'), 'VERIFIED');
    const advance = await advanceRelease({ ...deps, approvals: undefined }, 'web', 'v1.2.0', 'audit');
    expect(advance?.result).toEqual({ outcome: 'approval-unavailable' });
    expect(deps.log.text()).toContain('release waits for an approval request this function cannot send');
    expect(deps.approvals.requests).toEqual([]);
  });

  it('does nothing for a release that does not exist', async () => {
    const deps = releaseDeps();
    expect(await advanceRelease(deps, 'web', 'v9.9.9', 'audit')).toBeUndefined();
    expect(deps.log.text()).toContain('no such release to advance');
  });
});

describe('releases racing for an environment', () => {
  it('an older release never goes where a newer one already started', async () => {
    const deps = releaseDeps();
    await run(tagEvent('v1.2.0', COMMIT, '2026-11-20T18:00:00Z'), deps);
    await released(deps, 'v1.3.0', COMMIT2, '2026-11-20T18:30:00Z');
    const late = await uploadArtifact(deps, COMMIT);
    expect(late).toMatchObject({
      releases: { 'v1.2.0': 'blocked: a newer release (v1.3.0) already entered staging' },
    });
    expect(deployed(deps).filter((d) => d.startsWith('web-staging'))).toEqual([`web-staging:${COMMIT2}`]);
  });

  it('a release queued behind another is superseded by a newer one, and blocked', async () => {
    const deps = releaseDeps();
    await released(deps, 'v1.1.0', COMMIT3, '2026-11-20T17:00:00Z');
    await released(deps, 'v1.2.0', COMMIT, '2026-11-20T18:00:00Z');
    await released(deps, 'v1.3.0', COMMIT2, '2026-11-20T18:30:00Z');
    await finish(deps, deploymentOf(deps, 'web-staging'), 'VERIFIED');
    const advance = await advanceRelease(deps, 'web', 'v1.2.0', 'group free');
    expect(advance?.step).toMatchObject({ step: 'blocked', code: 'superseded-request' });
    expect(advance?.next).toMatch(
      /^blocked: its deployment request in staging was superseded by a newer one/,
    );
    expect(deployed(deps).filter((d) => d.startsWith('web-staging'))).toEqual([
      `web-staging:${COMMIT3}`,
      `web-staging:${COMMIT2}`,
    ]);
  });
});

describe('forcing', () => {
  it('takes a release past a FAILED environment and a missing approval, with the reason recorded', async () => {
    const deps = releaseDeps();
    await released(deps);
    await finish(deps, deploymentOf(deps, 'web-staging'), 'FAILED');
    const advance = await forceRelease(deps, {
      application: 'web',
      release: 'v1.2.0',
      environment: 'production',
      by: 'alice',
      reason: 'staging fleet broken; hotfix verified by hand',
    });
    expect(advance?.result).toMatchObject({ outcome: 'started' });
    const record = await deps.store.get<DeploymentRecord>(
      keys.deployment(deploymentOf(deps, 'web-production')),
    );
    expect(record?.record.cause).toEqual({
      type: 'operator',
      detail: 'release v1.2.0 forced by alice: staging fleet broken; hotfix verified by hand',
    });
    const forced = (await readTimeline(deps.store, 'web', 'v1.2.0')).find((e) => e.what === 'forced');
    expect(forced).toMatchObject({
      environment: 'production',
      attempt: 1,
      by: 'alice',
      reason: 'staging fleet broken; hotfix verified by hand',
    });
    expect(deps.approvals.requests).toEqual([]);
  });

  it('retries a failed environment as a new attempt, after which the release goes on normally', async () => {
    const deps = releaseDeps();
    await released(deps);
    await finish(deps, deploymentOf(deps, 'web-staging'), 'FAILED');
    await forceRelease(deps, {
      application: 'web',
      release: 'v1.2.0',
      environment: 'staging',
      by: 'bob',
      reason: 'retry',
    });
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`, `web-staging:${COMMIT}`, `web-staging:${COMMIT}`]);
    await finish(deps, 'd-FAKE00003', 'VERIFIED');
    expect((await advanceRelease(deps, 'web', 'v1.2.0', 'audit'))?.next).toBe(
      'request approval for production',
    );
  });
});
