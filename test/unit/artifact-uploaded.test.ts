import { describe, expect, it } from 'vitest';
import { artifactUploaded } from '../../shared/artifacts/artifact-uploaded';
import { keys } from '../../shared/ledger/keys';
import type { ArtifactRecord, Rejection } from '../../shared/ledger/records';
import { COMMIT, memoryDeps } from '../support/fixtures';

const KEY = `artifacts/web/${COMMIT}.zip`;
const notice = { bucket: 'pipeline', key: KEY, versionId: 'v1', eventTime: '2026-11-20T18:43:48Z' };

const rejections = async (deps: ReturnType<typeof memoryDeps>) => {
  const found = await Promise.all(
    (await deps.store.list(keys.rejections())).map((k) => deps.store.get<Rejection>(k)),
  );
  return found.map((r) => r?.record.reason);
};

describe('an uploaded artifact', () => {
  it('is recorded with its facts and deployed where its branch auto-deploys', async () => {
    const deps = memoryDeps();
    deps.artifacts.add({
      bucket: 'pipeline',
      key: KEY,
      versionId: 'v1',
      etag: '"e1"',
      metadata: { branch: 'main' },
      checksum: { algorithm: 'SHA256', value: 'abc=' },
    });
    const outcome = await artifactUploaded(deps, notice);
    expect(outcome).toMatchObject({ outcome: 'recorded', deployments: { dev: { outcome: 'started' } } });
    const record = await deps.store.get<ArtifactRecord>(keys.artifact('web', COMMIT));
    expect(record?.record).toMatchObject({
      v: 1,
      application: 'web',
      commit: COMMIT,
      branch: 'main',
      versionId: 'v1',
      etag: '"e1"',
      size: 5,
      checksum: { algorithm: 'SHA256', value: 'abc=' },
    });
    expect(deps.deployer.calls.map((c) => c.deploymentGroup)).toEqual(['web-dev']);
  });

  it('is recorded but not deployed from a branch that deploys nowhere', async () => {
    const deps = memoryDeps();
    deps.artifacts.add({
      bucket: 'pipeline',
      key: KEY,
      versionId: 'v1',
      etag: '"e1"',
      metadata: { branch: 'feature/x' },
    });
    expect(await artifactUploaded(deps, notice)).toMatchObject({ outcome: 'recorded', deployments: {} });
    expect(deps.deployer.calls).toEqual([]);
  });

  it('delivered three times starts one deployment', async () => {
    const deps = memoryDeps();
    deps.artifacts.add({
      bucket: 'pipeline',
      key: KEY,
      versionId: 'v1',
      etag: '"e1"',
      metadata: { branch: 'main' },
    });
    const outcomes = await Promise.all([1, 2, 3].map(() => artifactUploaded(deps, notice)));
    expect(outcomes.every((o) => o.outcome === 'recorded')).toBe(true);
    expect(deps.deployer.calls).toHaveLength(1);
  });

  it('rebuilt for the same commit is refused: artifacts are built once', async () => {
    const deps = memoryDeps();
    deps.artifacts.add({
      bucket: 'pipeline',
      key: KEY,
      versionId: 'v1',
      etag: '"e1"',
      metadata: { branch: 'main' },
    });
    await artifactUploaded(deps, notice);
    deps.artifacts.add({
      bucket: 'pipeline',
      key: KEY,
      versionId: 'v2',
      etag: '"e2"',
      metadata: { branch: 'main' },
    });
    const again = await artifactUploaded(deps, { ...notice, versionId: 'v2' });
    expect(again).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('built once') });
    expect(deps.deployer.calls).toHaveLength(1);
  });

  it.each([
    ['uploads/x.zip', 'key is outside the artifact prefix "artifacts/"'],
    [`artifacts/shop/${COMMIT}.zip`, 'unknown application "shop"'],
    ['artifacts/web/latest.zip', 'commit is missing or not a hexadecimal commit id'],
  ])('%s is refused and recorded, without a deployment', async (key, reason) => {
    const deps = memoryDeps();
    deps.artifacts.add({
      bucket: 'pipeline',
      key,
      versionId: 'v1',
      etag: '"e1"',
      metadata: { branch: 'main' },
    });
    expect(await artifactUploaded(deps, { ...notice, key })).toEqual({ outcome: 'rejected', key, reason });
    expect(await rejections(deps)).toEqual([reason]);
    expect(deps.deployer.calls).toEqual([]);
  });

  it('spends no AWS call on a key outside the prefix', async () => {
    const deps = memoryDeps();
    await artifactUploaded(deps, { ...notice, key: 'elsewhere/a.zip' });
    expect(deps.artifacts.calls).toBe(0);
  });

  it('that vanished before it was read is refused', async () => {
    const deps = memoryDeps();
    expect(await artifactUploaded(deps, notice)).toMatchObject({
      outcome: 'rejected',
      reason: 'the object no longer exists',
    });
  });
});
