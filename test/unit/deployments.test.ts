import { describe, expect, it } from 'vitest';
import { releaseGroup, startNext } from '../../shared/deployments/deployment-queue';
import { requestDeployment } from '../../shared/deployments/deployments';
import { keys } from '../../shared/ledger/keys';
import type { DeploymentRequest, GroupSlot } from '../../shared/ledger/records';
import { COMMIT, COMMIT2, memoryDeps } from '../support/fixtures';

const artifact = (commit: string) => ({
  bucket: 'pipeline',
  key: `artifacts/web/${commit}.zip`,
  etag: '"etag-1"',
  versionId: 'v1',
  commit,
});

const ask = (deps: ReturnType<typeof memoryDeps>, commit: string, dedupeKey = commit) =>
  requestDeployment(deps, {
    application: 'web',
    environment: 'dev',
    artifact: artifact(commit),
    cause: { type: 'branch', detail: 'push to main' },
    dedupeKey,
  });

describe('starting deployments', () => {
  it('starts at once when the group is free, with the exact S3 revision', async () => {
    const deps = memoryDeps();
    const outcome = await ask(deps, COMMIT);
    expect(outcome).toMatchObject({ outcome: 'started', deploymentId: 'd-FAKE00001' });
    expect(deps.deployer.calls).toEqual([
      {
        codedeployApplication: 'baton-web',
        deploymentGroup: 'web-dev',
        bucket: 'pipeline',
        key: `artifacts/web/${COMMIT}.zip`,
        bundleType: 'zip',
        etag: '"etag-1"',
        versionId: 'v1',
        description: expect.stringContaining(`commit ${COMMIT.slice(0, 12)} to dev`),
      },
    ]);
    const slot = await deps.store.get<GroupSlot>(keys.slot('web', 'dev'));
    expect(slot?.record.deploymentId).toBe('d-FAKE00001');
  });

  it('treats the same request three times as one', async () => {
    const deps = memoryDeps();
    const outcomes = [await ask(deps, COMMIT), await ask(deps, COMMIT), await ask(deps, COMMIT)];
    expect(outcomes.map((o) => o.outcome)).toEqual(['started', 'duplicate', 'duplicate']);
    expect(deps.deployer.calls).toHaveLength(1);
  });

  it('queues while the group is busy, then starts the newest and supersedes the older', async () => {
    const deps = memoryDeps();
    const first = await ask(deps, COMMIT);
    const second = await ask(deps, COMMIT2);
    const third = await ask(deps, 'b'.repeat(40));
    expect([first.outcome, second.outcome, third.outcome]).toEqual(['started', 'queued', 'queued']);
    if (first.outcome !== 'started') throw new Error('first did not start');

    const next = await releaseGroup(deps, 'web', 'dev', first.deploymentId);
    expect(next).toMatchObject({ outcome: 'started', requestId: third.requestId });
    expect(deps.deployer.calls.map((c) => c.key)).toEqual([
      `artifacts/web/${COMMIT}.zip`,
      `artifacts/web/${'b'.repeat(40)}.zip`,
    ]);
    const older = await deps.store.get<DeploymentRequest>(keys.request('web', 'dev', second.requestId));
    expect(older?.record).toMatchObject({ state: 'superseded', supersededBy: third.requestId });
    expect(await deps.store.list(keys.queue('web', 'dev'))).toEqual([]);
  });

  it('keeps the request queued when CodeDeploy says the group is busy outside Baton', async () => {
    const deps = memoryDeps();
    deps.deployer.busyGroups.add('web-dev');
    const outcome = await ask(deps, COMMIT);
    expect(outcome).toMatchObject({
      outcome: 'queued',
      reason: expect.stringContaining('not started by Baton'),
    });
    expect(await deps.store.get(keys.slot('web', 'dev'))).toBeUndefined();
    expect(await deps.store.list(keys.queue('web', 'dev'))).toHaveLength(1);

    deps.deployer.busyGroups.clear();
    expect(await startNext(deps, 'web', 'dev')).toMatchObject({
      outcome: 'started',
      requestId: outcome.requestId,
    });
  });

  it('keeps a request queued, not lost, when CreateDeployment fails', async () => {
    const deps = memoryDeps();
    deps.deployer.createDeployment = async () => {
      throw new Error('ThrottlingException');
    };
    await expect(ask(deps, COMMIT)).rejects.toThrow('ThrottlingException');
    const queued = await deps.store.list(keys.queue('web', 'dev'));
    expect(queued).toHaveLength(1);
    expect(await deps.store.get(keys.slot('web', 'dev'))).toBeUndefined();
  });

  it('never starts a queued request older than the one already started', async () => {
    const deps = memoryDeps();
    const a = await ask(deps, COMMIT);
    const b = await ask(deps, COMMIT2);
    if (a.outcome !== 'started') throw new Error('a did not start');
    // b starts when a finishes; a stray older queue entry must then be superseded, not deployed.
    await releaseGroup(deps, 'web', 'dev', a.deploymentId);
    const stale = await deps.store.get<DeploymentRequest>(keys.request('web', 'dev', a.requestId));
    if (!stale) throw new Error('no request a');
    await deps.store.put(keys.queueEntry('web', 'dev', stale.record.requestedAt, a.requestId), {
      v: 1,
      requestId: a.requestId,
    });
    const slot = await deps.store.get<GroupSlot>(keys.slot('web', 'dev'));
    await releaseGroup(deps, 'web', 'dev', slot?.record.deploymentId ?? '');
    expect(deps.deployer.calls).toHaveLength(2);
    expect(b.outcome).toBe('queued');
    expect(
      (await deps.store.get<DeploymentRequest>(keys.request('web', 'dev', a.requestId)))?.record.state,
    ).toBe('started');
    expect(await deps.store.list(keys.queue('web', 'dev'))).toEqual([]);
  });
});

describe('a rollback in a busy group', () => {
  it('goes first, supersedes nothing, and the newest queued request starts after it', async () => {
    const deps = memoryDeps();
    const broken = await ask(deps, COMMIT);
    const queued = await ask(deps, COMMIT2);
    if (broken.outcome !== 'started') throw new Error('first did not start');
    const rollback = await requestDeployment(deps, {
      application: 'web',
      environment: 'dev',
      artifact: artifact('c'.repeat(40)),
      cause: { type: 'rollback', detail: `rollback of ${broken.deploymentId}` },
      dedupeKey: `rollback:${broken.deploymentId}`,
    });
    expect(rollback.outcome).toBe('queued');

    const first = await releaseGroup(deps, 'web', 'dev', broken.deploymentId);
    expect(first).toMatchObject({ outcome: 'started', requestId: rollback.requestId });
    const waiting = await deps.store.get<DeploymentRequest>(keys.request('web', 'dev', queued.requestId));
    expect(waiting?.record.state).toBe('queued');

    if (first === 'busy' || first === 'idle' || first.outcome !== 'started')
      throw new Error('rollback did not start');
    const second = await releaseGroup(deps, 'web', 'dev', first.deploymentId);
    expect(second).toMatchObject({ outcome: 'started', requestId: queued.requestId });
    expect(deps.deployer.calls.map((c) => c.key.slice(14, 18))).toEqual([
      COMMIT.slice(0, 4),
      'cccc',
      COMMIT2.slice(0, 4),
    ]);
  });
});

describe('a queue entry left behind', () => {
  it('for a rollback that already started is dropped, never launched again', async () => {
    const deps = memoryDeps();
    const broken = await ask(deps, COMMIT);
    if (broken.outcome !== 'started') throw new Error('first did not start');
    const rollbackInput = {
      application: 'web',
      environment: 'dev',
      artifact: artifact('c'.repeat(40)),
      cause: { type: 'rollback' as const, detail: `rollback of ${broken.deploymentId}` },
      dedupeKey: `rollback:${broken.deploymentId}`,
    };
    const rollback = await requestDeployment(deps, rollbackInput);
    const started = await releaseGroup(deps, 'web', 'dev', broken.deploymentId);
    if (started === 'busy' || started === 'idle' || started.outcome !== 'started')
      throw new Error('no rollback');
    // A late duplicate's enqueue wrote its entry after the rollback had started.
    const request = await deps.store.get<DeploymentRequest>(keys.request('web', 'dev', rollback.requestId));
    await deps.store.put(
      keys.queueEntry('web', 'dev', request?.record.requestedAt ?? '', rollback.requestId),
      {
        v: 1,
        requestId: rollback.requestId,
      },
    );

    expect(await releaseGroup(deps, 'web', 'dev', started.deploymentId)).toBe('idle');
    expect(deps.deployer.calls).toHaveLength(2);
    expect(await deps.store.list(keys.queue('web', 'dev'))).toEqual([]);
    const after = await deps.store.get<DeploymentRequest>(keys.request('web', 'dev', rollback.requestId));
    expect(after?.record.state).toBe('started');
  });
});
