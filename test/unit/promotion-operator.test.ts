// Operator commands `promote` and `releases`, through invokeOperator with the sample events.
import { describe, expect, it } from 'vitest';
import { run } from '../../functions/source-pushed/handler';
import { invokeOperator } from '../../shared/operator/invoke';
import { advanceRelease } from '../../shared/releases/promotion';
import { COMMIT, COMMIT2, loadEvent } from '../support/fixtures';
import {
  deployed,
  finish,
  type ReleaseDeps,
  releaseDeps,
  tagEvent,
  uploadArtifact,
} from '../support/releases';

const promoteEvent = loadEvent('operator/promote.json');

/** v1.2.0 in staging, its deployment verified. */
const verifiedInStaging = async (deps: ReleaseDeps) => {
  await uploadArtifact(deps, COMMIT);
  await run(tagEvent('v1.2.0', COMMIT, '2026-11-20T18:50:02Z'), deps);
  await finish(deps, 'd-FAKE00002', 'VERIFIED');
};

describe('promote', () => {
  it('is refused while the previous environment has no verdict, saying what the release waits for', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    await run(tagEvent('v1.2.0', COMMIT, '2026-11-20T18:50:02Z'), deps);
    expect(await invokeOperator(deps, promoteEvent)).toEqual({
      ok: false,
      kind: 'PromotionRefusedError',
      error:
        'cannot promote v1.2.0 to production now; its next step is: wait for verdict: deployment d-FAKE00002 has no audit verdict yet. To skip a gate, use force with a reason.',
    });
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`, `web-staging:${COMMIT}`]);
  });

  it('asks for the approval once staging is VERIFIED, then deploys once it is given', async () => {
    const deps = releaseDeps();
    await verifiedInStaging(deps);
    expect(await invokeOperator(deps, promoteEvent)).toMatchObject({
      ok: true,
      result: {
        release: 'v1.2.0',
        next: 'request approval for production',
        result: { outcome: 'approval-requested' },
      },
    });
    deps.approvals.decide('v1.2.0', 'production', 'approved');
    expect(
      await invokeOperator(deps, { ...promoteEvent, release: undefined, commit: COMMIT.slice(0, 8) }),
    ).toMatchObject({
      ok: true,
      result: {
        release: 'v1.2.0',
        commit: COMMIT,
        next: 'deploy to production',
        result: { outcome: 'started' },
      },
    });
    expect(await invokeOperator(deps, promoteEvent)).toMatchObject({
      ok: true,
      result: { already: { environment: 'production', state: 'deploying' } },
    });
    expect(deployed(deps)).toEqual([
      `web-dev:${COMMIT}`,
      `web-staging:${COMMIT}`,
      `web-production:${COMMIT}`,
    ]);
  });

  it('with force needs a reason, and records it', async () => {
    const deps = releaseDeps();
    await verifiedInStaging(deps);
    expect(await invokeOperator(deps, { ...promoteEvent, force: true })).toEqual({
      ok: false,
      kind: 'ValidationError',
      error: 'reason: required when force is true (it is kept on the release timeline)',
    });
    const forced = await invokeOperator(deps, { ...promoteEvent, force: true, reason: 'approver on leave' });
    expect(forced).toMatchObject({ ok: true, result: { forced: true, result: { outcome: 'started' } } });
    const shown = await invokeOperator(deps, { command: 'releases', application: 'web', release: 'v1.2.0' });
    expect(shown).toMatchObject({
      ok: true,
      result: {
        releases: [
          {
            timeline: expect.arrayContaining([
              expect.objectContaining({
                what: 'forced',
                environment: 'production',
                by: 'console; identity in CloudTrail',
                detail: 'forced into production by console; identity in CloudTrail: approver on leave',
              }),
            ]),
          },
        ],
      },
    });
  });

  it.each([
    [
      { environment: 'dev' },
      'ValidationError',
      'environment: release v1.2.0 does not go through dev (a branch environment is entered by pushes: use deploy)',
    ],
    [{ release: 'v9.9.9' }, 'NotFoundError', 'web has no release v9.9.9'],
    [
      { release: undefined, commit: COMMIT2 },
      'NotFoundError',
      `no release of web is commit ${COMMIT2}; push a release tag first`,
    ],
    [{ commit: COMMIT }, 'ValidationError', 'release: give exactly one of release or commit'],
    [{ environment: 'qa' }, 'NotFoundError', 'application "web" has no environment "qa"'],
  ])('refuses %o', async (change, kind, error) => {
    const deps = releaseDeps();
    await verifiedInStaging(deps);
    expect(await invokeOperator(deps, { ...promoteEvent, ...change })).toEqual({ ok: false, kind, error });
  });
});

describe('releases', () => {
  it('lists each release, newest first, with where it stands in every environment', async () => {
    const deps = releaseDeps();
    await verifiedInStaging(deps);
    await run(tagEvent('v1.3.0', COMMIT2, '2026-11-20T19:30:00Z'), deps);
    expect(await invokeOperator(deps, loadEvent('operator/releases.json'))).toEqual({
      ok: true,
      result: {
        application: 'web',
        total: 2,
        releases: [
          {
            release: 'v1.3.0',
            commit: COMMIT2,
            pushedAt: '2026-11-20T19:30:00.000Z',
            artifact: 'waiting for the artifact of its commit',
            environments: [
              { environment: 'staging', state: 'not entered' },
              { environment: 'production', state: 'not entered' },
            ],
            next: `wait for artifact: the artifact of commit ${COMMIT2} has not arrived`,
          },
          {
            release: 'v1.2.0',
            commit: COMMIT,
            pushedAt: '2026-11-20T18:50:02.000Z',
            artifact: { key: `artifacts/web/${COMMIT}.zip`, versionId: 'v1-3f7868', etag: '"etag-3f7868"' },
            environments: [
              { environment: 'staging', state: 'VERIFIED', deploymentId: 'd-FAKE00002' },
              { environment: 'production', state: 'not entered' },
            ],
            next: 'request approval for production',
          },
        ],
      },
    });
  });

  it("names a blocked release's rule by its code, in the answer and on its timeline", async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    await run(tagEvent('v1.2.0', COMMIT, '2026-11-20T18:50:02Z'), deps);
    await finish(deps, 'd-FAKE00002', 'PARTIAL');
    await advanceRelease(deps, 'web', 'v1.2.0', 'audit PARTIAL of d-FAKE00002');

    const answer = await invokeOperator(deps, { command: 'releases', application: 'web', release: 'v1.2.0' });

    expect(answer).toMatchObject({
      ok: true,
      result: {
        releases: [
          {
            next: 'blocked: deployment d-FAKE00002 in staging: verdict PARTIAL',
            blocked: 'not-verified',
            timeline: expect.arrayContaining([
              expect.objectContaining({ what: 'blocked', environment: 'staging', code: 'not-verified' }),
            ]),
          },
        ],
      },
    });
  });
});
