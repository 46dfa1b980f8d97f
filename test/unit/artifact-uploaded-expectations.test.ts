// Pushes and artifacts in every order: whichever comes second starts exactly one deployment, and a push
// overtaken by a newer one before its artifact arrived never deploys the older commit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run } from '../../functions/source-pushed/handler';
import { artifactUploaded } from '../../shared/artifacts/artifact-uploaded';
import { keys, releaseKeys } from '../../shared/ledger/keys';
import type { DeploymentRequest } from '../../shared/ledger/records';
import type { BranchExpectation } from '../../shared/releases/records';
import { COMMIT, COMMIT2 } from '../support/fixtures';
import {
  branchEvent,
  COMMIT3,
  type ReleaseDeps,
  releaseDeps,
  tagEvent,
  uploadArtifact,
} from '../support/releases';

const T1 = '2026-11-20T18:00:00Z';
const T2 = '2026-11-20T18:05:00Z';
const T3 = '2026-11-20T18:10:00Z';

/** Every deployment request made in dev, by commit (started, queued or superseded alike). */
const requestedInDev = async (deps: ReleaseDeps) => {
  const found = await Promise.all(
    (await deps.store.list(keys.requests('web', 'dev'))).map((k) => deps.store.get<DeploymentRequest>(k)),
  );
  return found.map((r) => r?.record.artifact.commit).sort();
};
const expects = async (deps: ReleaseDeps) =>
  (await deps.store.get<BranchExpectation>(releaseKeys.expectation('web', 'dev')))?.record.commit;

describe('an artifact arriving after the push', () => {
  it('deploys the commit dev expects', async () => {
    const deps = releaseDeps();
    await run(branchEvent(COMMIT, T1), deps);
    const outcome = await uploadArtifact(deps, COMMIT);
    expect(outcome).toMatchObject({ deployments: { dev: { outcome: 'started' } }, skipped: {} });
    expect(await requestedInDev(deps)).toEqual([COMMIT]);
  });

  it('does not deploy an older commit that a newer push overtook before its artifact arrived', async () => {
    const deps = releaseDeps();
    await run(branchEvent(COMMIT, T1), deps);
    await run(branchEvent(COMMIT2, T2, COMMIT), deps);
    const older = await uploadArtifact(deps, COMMIT);
    expect(older).toMatchObject({
      deployments: {},
      skipped: {
        dev: `dev expects commit ${COMMIT2} (pushed 2026-11-20T18:05:00.000Z); only the expected commit deploys`,
      },
    });
    await uploadArtifact(deps, COMMIT2);
    expect(await requestedInDev(deps)).toEqual([COMMIT2]);
  });

  it('waits for the push of a commit dev does not expect yet, which then deploys it (push second)', async () => {
    const deps = releaseDeps();
    await run(branchEvent(COMMIT, T1), deps);
    await uploadArtifact(deps, COMMIT2);
    expect(await requestedInDev(deps)).toEqual([]);
    await run(branchEvent(COMMIT2, T2, COMMIT), deps);
    expect(await requestedInDev(deps)).toEqual([COMMIT2]);
  });

  it('deploys as before where no push was ever recorded', async () => {
    const deps = releaseDeps();
    expect(await uploadArtifact(deps, COMMIT)).toMatchObject({
      deployments: { dev: { outcome: 'started' } },
    });
  });

  it('deploys an artifact without branch metadata when a push expects its commit', async () => {
    const deps = releaseDeps();
    await run(branchEvent(COMMIT, T1), deps);
    deps.artifacts.add({
      bucket: 'pipeline',
      key: `artifacts/web/${COMMIT}.zip`,
      versionId: 'v1',
      etag: '"e"',
      metadata: {},
    });
    const outcome = await artifactUploaded(deps, {
      bucket: 'pipeline',
      key: `artifacts/web/${COMMIT}.zip`,
      eventTime: T1,
    });
    expect(outcome).toMatchObject({ deployments: { dev: { outcome: 'started' } } });
  });
});

describe('pushes out of order', () => {
  it('an older push delivered late changes nothing', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    await run(branchEvent(COMMIT2, T2, COMMIT), deps);
    const late = await run(branchEvent(COMMIT, T1), deps);
    expect(late).toMatchObject({
      results: [{ environments: { dev: { expectation: 'stale', expects: COMMIT2 } } }],
    });
    expect(await expects(deps)).toBe(COMMIT2);
  });

  it('at the same instant, the push that moved the branch from the other commit is the newer', async () => {
    const forward = releaseDeps();
    await run(branchEvent(COMMIT, T1), forward);
    await run(branchEvent(COMMIT2, T1, COMMIT), forward);
    expect(await expects(forward)).toBe(COMMIT2);

    const backward = releaseDeps();
    await run(branchEvent(COMMIT2, T1, COMMIT), backward);
    await run(branchEvent(COMMIT, T1), backward);
    expect(await expects(backward)).toBe(COMMIT2);
  });

  it('the same commit pushed again later keeps a late intermediate push from taking over', async () => {
    const deps = releaseDeps();
    await run(branchEvent(COMMIT, T1), deps);
    await run(branchEvent(COMMIT, T3), deps);
    await run(branchEvent(COMMIT2, T2, COMMIT), deps);
    expect(await expects(deps)).toBe(COMMIT);
  });

  it('a branch moved back to a commit dev had before deploys it again, once', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    await run(branchEvent(COMMIT, T1), deps);
    await uploadArtifact(deps, COMMIT2);
    await run(branchEvent(COMMIT2, T2, COMMIT), deps);
    await run(branchEvent(COMMIT, T3, COMMIT2), deps);
    await run(branchEvent(COMMIT, T3, COMMIT2), deps);
    expect(await requestedInDev(deps)).toEqual([COMMIT, COMMIT, COMMIT2].sort());
  });
});

describe('releases waiting for their artifact', () => {
  it('are completed by its arrival, which enters staging with the same object dev gets', async () => {
    const deps = releaseDeps();
    await run(tagEvent('v1.2.0', COMMIT, T1), deps);
    const outcome = await uploadArtifact(deps, COMMIT);
    expect(outcome).toMatchObject({ releases: { 'v1.2.0': 'deploy to staging' } });
    const [dev, staging] = deps.deployer.calls;
    expect(staging).toMatchObject({
      deploymentGroup: 'web-staging',
      versionId: dev?.versionId,
      etag: dev?.etag,
    });
    expect(await deps.store.list(releaseKeys.waitingFor('web', COMMIT))).toEqual([]);
  });
});

describe('any order, any duplicates', () => {
  type Step = 'push1' | 'push2' | 'art1' | 'art2';
  const apply = (deps: ReleaseDeps, step: Step) =>
    step === 'push1'
      ? run(branchEvent(COMMIT, T1), deps)
      : step === 'push2'
        ? run(branchEvent(COMMIT2, T2, COMMIT), deps)
        : uploadArtifact(deps, step === 'art1' ? COMMIT : COMMIT2);
  const schedule = fc
    .shuffledSubarray(['push1', 'push2', 'art1', 'art2', 'push1', 'push2', 'art1', 'art2'] as Step[], {
      minLength: 8,
    })
    .filter((s) => s.length === 8);

  it('one after another: as a model predicts, and never the overtaken commit', async () => {
    await fc.assert(
      fc.asyncProperty(schedule, async (steps) => {
        const deps = releaseDeps();
        // The model: the newest push seen so far, and which commits were deployed.
        let expected: string | undefined;
        const model = new Set<string>();
        const seen = new Set<Step>();
        for (const step of steps) {
          await apply(deps, step);
          seen.add(step);
          if (step === 'push1' && !expected) expected = COMMIT;
          if (step === 'push2') expected = COMMIT2;
          for (const [push, art, commit] of [
            ['push1', 'art1', COMMIT],
            ['push2', 'art2', COMMIT2],
          ] as const) {
            if (!seen.has(art)) continue;
            if (step === art && (!expected || expected === commit)) model.add(commit);
            if (step === push && expected === commit) model.add(commit);
          }
        }
        expect(await requestedInDev(deps)).toEqual([...model].sort());
        if (steps.indexOf('art1') > Math.max(steps.indexOf('push1'), steps.indexOf('push2')))
          expect(await requestedInDev(deps)).not.toContain(COMMIT);
      }),
      { numRuns: 150 },
    );
  });

  it('all at once: each commit requested at most once, and the newest exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(schedule, async (steps) => {
        const deps = releaseDeps();
        await Promise.all(steps.map((s) => apply(deps, s)));
        const requested = await requestedInDev(deps);
        expect(requested.filter((c) => c === COMMIT2)).toEqual([COMMIT2]);
        expect(requested.filter((c) => c === COMMIT).length).toBeLessThanOrEqual(1);
        expect(await expects(deps)).toBe(COMMIT2);
      }),
      { numRuns: 150 },
    );
  });

  it('leaves a third, unrelated commit alone', async () => {
    const deps = releaseDeps();
    await run(branchEvent(COMMIT, T1), deps);
    await uploadArtifact(deps, COMMIT3, 'feature/x');
    expect(await requestedInDev(deps)).toEqual([]);
  });
});
