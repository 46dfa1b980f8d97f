// source-pushed, through its handler's run(), with the sample events of events/codecommit (repository
// trigger: https://docs.aws.amazon.com/lambda/latest/dg/services-codecommit.html) and events/eventbridge
// (https://docs.aws.amazon.com/codecommit/latest/userguide/monitoring-events.html).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run } from '../../functions/source-pushed/handler';
import { parseWith } from '../../shared/core/rules/parse';
import { keys, releaseKeys } from '../../shared/ledger/keys';
import type { DeploymentRecord, Rejection } from '../../shared/ledger/records';
import { sourcePushedEventSchema } from '../../shared/pushes/rules/codecommit-events';
import {
  type BranchExpectation,
  type PushRecord,
  type ReleaseRecord,
  readTimeline,
} from '../../shared/releases/records';
import { COMMIT, COMMIT2, loadEvent } from '../support/fixtures';
import { ALERTS, deployed, type ReleaseDeps, releaseDeps, uploadArtifact } from '../support/releases';

const rejections = async (deps: ReleaseDeps) =>
  (
    await Promise.all((await deps.store.list(keys.rejections())).map((k) => deps.store.get<Rejection>(k)))
  ).map((r) => r?.record.reason);
const pushes = async (deps: ReleaseDeps) =>
  (
    await Promise.all(
      (await deps.store.list(releaseKeys.pushes('web'))).map((k) => deps.store.get<PushRecord>(k)),
    )
  ).map((p) => `${p?.record.ref} ${p?.record.outcome}: ${p?.record.detail}`);

describe('the two event shapes', () => {
  it('reads a repository trigger with several references, split in parts', () => {
    const changes = parseWith(sourcePushedEventSchema, loadEvent('codecommit/several-references.json'));
    expect(changes).toEqual([
      expect.objectContaining({
        repository: 'web',
        kind: 'branch',
        name: 'main',
        action: 'updated',
        commit: COMMIT2,
      }),
      expect.objectContaining({ kind: 'tag', name: 'v1.3.0', action: 'created', commit: COMMIT2 }),
      expect.objectContaining({ kind: 'branch', name: 'feature/login', action: 'created' }),
    ]);
    expect(changes[0]).toMatchObject({
      pushedAt: '2026-11-20T19:05:09.100Z',
      by: 'arn:aws:iam::123456789012:user/alice',
      event: 'fe772369-09ef-4562-93c1-064882cb6617#1/2',
    });
  });

  it('reads the EventBridge state change, with the commit the reference moved from', () => {
    const [change] = parseWith(
      sourcePushedEventSchema,
      loadEvent('eventbridge/codecommit-branch-updated.json'),
    );
    expect(change).toEqual({
      repository: 'web',
      ref: 'refs/heads/main',
      kind: 'branch',
      name: 'main',
      action: 'updated',
      commit: COMMIT,
      oldCommit: '5e493c6f3067653f3d04eca608b4901eb2270788',
      pushedAt: '2026-11-20T18:40:25.000Z',
      by: 'arn:aws:iam::123456789012:user/alice',
      event: '01234567-0123-0123-0123-012345678901',
    });
  });

  it.each(['codecommit/branch-deleted.json', 'eventbridge/codecommit-reference-deleted.json'])(
    'reads a deleted reference from %s, without a new commit',
    (sample) => {
      const [change] = parseWith(sourcePushedEventSchema, loadEvent(sample));
      expect(change).toMatchObject({
        action: 'deleted',
        name: 'feature/login',
        oldCommit: expect.any(String),
      });
      expect(change?.commit).toBeUndefined();
    },
  );
});

describe('branch pushes', () => {
  it('record what dev expects and wait for the artifact, whose arrival deploys it once', async () => {
    const deps = releaseDeps();
    const result = await run(loadEvent('codecommit/push-main.json'), deps);
    expect(result).toMatchObject({
      results: [
        { outcome: 'branch', environments: { dev: { deployment: { outcome: 'waiting-for-artifact' } } } },
      ],
    });
    const expectation = await deps.store.get<BranchExpectation>(releaseKeys.expectation('web', 'dev'));
    expect(expectation?.record).toMatchObject({
      commit: COMMIT,
      branch: 'main',
      dedupeKey: `artifact:${COMMIT}`,
    });
    expect(deployed(deps)).toEqual([]);

    await uploadArtifact(deps, COMMIT);
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`]);
  });

  it('deploy at once when the artifact came first, and only once however often the push arrives', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    const trigger = await run(loadEvent('codecommit/push-main.json'), deps);
    const bridge = await run(loadEvent('eventbridge/codecommit-branch-updated.json'), deps);
    expect(trigger).toMatchObject({
      results: [{ environments: { dev: { deployment: { outcome: 'duplicate' } } } }],
    });
    expect(bridge).toMatchObject({
      results: [{ environments: { dev: { deployment: { outcome: 'duplicate' } } } }],
    });
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`]);
  });

  it("carry the commit's best-known time when its deployment is requested: the push's, else the upload's", async () => {
    const pushFirst = releaseDeps();
    await run(loadEvent('codecommit/push-main.json'), pushFirst);
    await uploadArtifact(pushFirst, COMMIT);
    // Deployed on the artifact's arrival, before any push was recorded: its upload is all that is known.
    const artifactFirst = releaseDeps();
    await uploadArtifact(artifactFirst, COMMIT);
    await run(loadEvent('codecommit/push-main.json'), artifactFirst);

    const deploymentOf = async (deps: ReleaseDeps) => {
      const [key] = await deps.store.list(keys.deployments());
      return key ? (await deps.store.get<DeploymentRecord>(key))?.record : undefined;
    };
    const artifact = { commit: COMMIT, uploadedAt: '2026-11-20T18:43:48.000Z' };
    expect(await deploymentOf(pushFirst)).toMatchObject({
      artifact,
      commitTime: { at: '2026-11-20T18:40:25.400Z', source: 'push' },
    });
    expect(await deploymentOf(artifactFirst)).toMatchObject({
      artifact,
      commitTime: { at: '2026-11-20T18:43:48.000Z', source: 'upload' },
    });
  });

  it('to a branch that deploys nowhere are recorded and ignored, with a log line', async () => {
    const deps = releaseDeps();
    const result = await run(loadEvent('codecommit/several-references.json'), deps);
    expect(result).toMatchObject({
      results: [
        { outcome: 'branch' },
        { outcome: 'release', release: 'v1.3.0', state: 'waiting-for-artifact' },
        { outcome: 'ignored', reason: 'branch feature/login deploys to no environment' },
      ],
    });
    expect(await pushes(deps)).toContain(
      'refs/heads/feature/login ignored: branch feature/login deploys to no environment',
    );
    expect(deps.log.text()).toContain('push ignored: branch feature/login deploys to no environment');
  });

  it.each(['codecommit/branch-deleted.json', 'eventbridge/codecommit-reference-deleted.json'])(
    'deleted (%s) are recorded and ignored',
    async (sample) => {
      const deps = releaseDeps();
      const result = await run(loadEvent(sample), deps);
      const reason = 'branch feature/login was deleted; nothing is undeployed';
      expect(result).toMatchObject({ results: [{ outcome: 'ignored', reason }] });
      expect(await pushes(deps)).toEqual([`refs/heads/feature/login ignored: ${reason}`]);
      expect(deps.log.text()).toContain(`push ignored: ${reason}`);
    },
  );
});

describe('release tags', () => {
  it('make an immutable release of the artifact dev got, and enter staging with the same object', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    const result = await run(loadEvent('codecommit/tag-release.json'), deps);
    expect(result).toMatchObject({
      results: [{ outcome: 'release', release: 'v1.2.0', state: 'created', next: 'deploy to staging' }],
    });
    const release = await deps.store.get<ReleaseRecord>(releaseKeys.release('web', 'v1.2.0'));
    expect(release?.record).toMatchObject({
      tag: 'v1.2.0',
      commit: COMMIT,
      artifact: {
        key: `artifacts/web/${COMMIT}.zip`,
        versionId: `v1-${COMMIT.slice(0, 6)}`,
        etag: '"etag-3f7868"',
      },
    });
    const [dev, staging] = deps.deployer.calls;
    expect(staging).toMatchObject({
      deploymentGroup: 'web-staging',
      description: expect.stringContaining('v1.2.0'),
    });
    expect({ ...staging, deploymentGroup: '', description: '' }).toEqual({
      ...dev,
      deploymentGroup: '',
      description: '',
    });
  });

  it('pushed twice (trigger and EventBridge) make one release and one staging deployment', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    await run(loadEvent('codecommit/tag-release.json'), deps);
    const again = await run(loadEvent('eventbridge/codecommit-tag-created.json'), deps);
    expect(again).toMatchObject({ results: [{ outcome: 'release', state: 'exists' }] });
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`, `web-staging:${COMMIT}`]);
  });

  it('moved to another commit are refused, recorded and alerted once; the release stays', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    await run(loadEvent('codecommit/tag-release.json'), deps);
    const moved = loadEvent('eventbridge/codecommit-tag-moved.json');
    const first = await run(moved, deps);
    await run(moved, deps);
    const reason = `tag v1.2.0 now points to commit ${COMMIT2}, but release v1.2.0 is commit ${COMMIT}; a release never changes (push a new tag)`;
    expect(first).toMatchObject({ results: [{ outcome: 'refused', reason }] });
    expect(await rejections(deps)).toEqual([`${reason} [repository web]`, `${reason} [repository web]`]);
    expect(deps.notifier.sent).toHaveLength(1);
    expect(deps.notifier.sent[0]).toMatchObject({
      topicArn: ALERTS,
      notice: {
        subject: 'Baton web: release tag v1.2.0 was moved; refused',
        message: expect.stringContaining('arn:aws:iam::123456789012:user/mallory'),
        attributes: { event: 'tag-moved', application: 'web' },
      },
    });
    const release = await deps.store.get<ReleaseRecord>(releaseKeys.release('web', 'v1.2.0'));
    expect(release?.record.commit).toBe(COMMIT);
    const timeline = await readTimeline(deps.store, 'web', 'v1.2.0');
    expect(timeline.map((e) => e.what)).toContain('tag-move-refused');
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`, `web-staging:${COMMIT}`]);
  });

  it('not matching the release pattern are recorded and ignored', async () => {
    const deps = releaseDeps();
    const event = loadEvent<{ detail: Record<string, string> }>('eventbridge/codecommit-tag-created.json');
    event.detail.referenceName = 'nightly';
    event.detail.referenceFullName = 'refs/tags/nightly';
    const result = await run(event, deps);
    expect(result).toMatchObject({
      results: [
        {
          outcome: 'ignored',
          reason: 'tag nightly does not match the release pattern ^v\\d+\\.\\d+\\.\\d+$',
        },
      ],
    });
    expect(await deps.store.list(releaseKeys.releases('web'))).toEqual([]);
  });
});

describe('refusals', () => {
  it('an unknown repository, with a clear reason', async () => {
    const deps = releaseDeps();
    const result = await run(loadEvent('codecommit/unknown-repository.json'), deps);
    const reason = 'unknown repository "payments": no application lists it under repositories';
    expect(result).toMatchObject({ results: [{ outcome: 'refused', reason }] });
    expect(await rejections(deps)).toEqual([`${reason} [refs/heads/main]`]);
    expect(deps.log.lines.map((l) => l.message)).toContain(
      `source-pushed refused: ${reason} [refs/heads/main]`,
    );
  });

  it('a reference that is neither a branch nor a tag', async () => {
    const deps = releaseDeps();
    const result = await run(loadEvent('codecommit/notes-ref.json'), deps);
    const reason = 'refs/notes/commits is neither a branch (refs/heads/…) nor a tag (refs/tags/…)';
    expect(result).toMatchObject({ results: [{ outcome: 'refused', reason }] });
    expect(await rejections(deps)).toEqual([`${reason} [repository web]`]);
  });

  const malformed: [string, (e: Record<string, unknown>) => unknown, string][] = [
    [
      'a non-hex commit',
      (e) => ({ ...e, detail: { ...(e.detail as object), commitId: 'HEAD' } }),
      'detail.commitId',
    ],
    [
      'no commit on an update',
      (e) => ({ ...e, detail: { ...(e.detail as object), commitId: undefined } }),
      'detail.commitId: required',
    ],
    [
      'an unknown reference type',
      (e) => ({ ...e, detail: { ...(e.detail as object), referenceType: 'note' } }),
      'detail.referenceType',
    ],
    ['not an event at all', () => 'push', '(event)'],
  ];
  it.each(malformed)(
    'a malformed event (%s) is recorded and the invocation ends normally',
    async (_, change, field) => {
      const deps = releaseDeps();
      const event = change(loadEvent('eventbridge/codecommit-branch-updated.json'));
      const result = await run(event, deps);
      expect(result).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining(field) });
      expect(await rejections(deps)).toEqual([expect.stringMatching(/^malformed event: /)]);
      expect(deployed(deps)).toEqual([]);
    },
  );

  it('a trigger record whose part number exceeds its parts, or a bad repository ARN', async () => {
    const deps = releaseDeps();
    const event = loadEvent<{ Records: Record<string, unknown>[] }>('codecommit/push-main.json');
    const record = event.Records[0] ?? {};
    const result = await run({ Records: [{ ...record, eventPartNumber: 3, eventSourceARN: 'web' }] }, deps);
    expect(result).toMatchObject({
      outcome: 'rejected',
      reason: expect.stringContaining('Records[0].eventSourceARN: a CodeCommit repository ARN'),
    });
    const parts = await run({ Records: [{ ...record, eventPartNumber: 3 }] }, deps);
    expect(parts).toMatchObject({ reason: 'Records[0].eventPartNumber: must not exceed eventTotalParts' });
  });
});

describe('under random input', () => {
  const samples = ['codecommit/several-references.json', 'eventbridge/codecommit-branch-updated.json'];
  /** A sample event with one field, anywhere in it, replaced by anything at all. */
  const damaged = fc
    .tuple(fc.constantFrom(...samples), fc.nat(), fc.anything())
    .map(([sample, pick, value]) => {
      const event = loadEvent(sample);
      const holders: Record<string, unknown>[] = [];
      const walk = (v: unknown) => {
        if (v && typeof v === 'object') {
          holders.push(v as Record<string, unknown>);
          for (const child of Object.values(v)) walk(child);
        }
      };
      walk(event);
      const holder = holders[pick % holders.length] ?? event;
      const fields = Object.keys(holder);
      holder[fields[pick % Math.max(1, fields.length)] ?? 'extra'] = value;
      return event;
    });

  it('never throws: every event is handled or refused with a recorded reason', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(damaged, fc.anything()), async (event) => {
        const deps = releaseDeps();
        const result = await run(event, deps);
        if (result.outcome === 'rejected') expect(await rejections(deps)).toHaveLength(1);
        else expect(result.outcome).toBe('done');
      }),
      { numRuns: 300 },
    );
  });
});
