// Operator commands as an operator pastes them into the console: validated, typed, clear errors.
import { describe, expect, it } from 'vitest';
import { artifactUploaded } from '../../shared/artifacts/artifact-uploaded';
import { keys } from '../../shared/ledger/keys';
import type { ArtifactRecord } from '../../shared/ledger/records';
import { invokeOperator } from '../../shared/operator/invoke';
import { COMMIT, COMMIT2, loadEvent, memoryDeps } from '../support/fixtures';

const withArtifact = async () => {
  const deps = memoryDeps();
  deps.artifacts.add({
    bucket: 'pipeline',
    key: `artifacts/web/${COMMIT}.zip`,
    versionId: 'v1',
    etag: '"e1"',
    metadata: {},
  });
  await artifactUploaded(deps, {
    bucket: 'pipeline',
    key: `artifacts/web/${COMMIT}.zip`,
    versionId: 'v1',
    eventTime: 'now',
  });
  return deps;
};

describe('operator commands', () => {
  it('deploy (the sample event) puts a recorded artifact into an environment', async () => {
    const deps = await withArtifact();
    const response = await invokeOperator(deps, loadEvent('operator/deploy.json'));
    expect(response).toMatchObject({ ok: true, result: { outcome: 'started', deploymentId: 'd-FAKE00001' } });
    expect(deps.deployer.calls[0]).toMatchObject({ deploymentGroup: 'web-staging', versionId: 'v1' });
    expect(deps.deployer.calls[0]?.description).toContain('operator console; identity in CloudTrail');
  });

  it('deploy by artifact key finds the same artifact', async () => {
    const deps = await withArtifact();
    const response = await invokeOperator(deps, {
      command: 'deploy',
      application: 'web',
      environment: 'dev',
      artifactKey: `artifacts/web/${COMMIT}.zip`,
    });
    expect(response).toMatchObject({ ok: true, result: { outcome: 'started' } });
    const record = await deps.store.get<ArtifactRecord>(keys.artifact('web', COMMIT));
    expect(deps.deployer.calls[0]?.key).toBe(record?.record.key);
  });

  it.each([COMMIT.slice(0, 12), COMMIT.slice(0, 4), COMMIT.slice(0, 12).toUpperCase()])(
    'deploy takes a short commit id (%s) that only one artifact starts with',
    async (short) => {
      const deps = await withArtifact();
      const response = await invokeOperator(deps, {
        command: 'deploy',
        application: 'web',
        environment: 'dev',
        commit: short,
      });
      expect(response).toMatchObject({ ok: true, result: { outcome: 'started' } });
      expect(deps.deployer.calls[0]?.key).toBe(`artifacts/web/${COMMIT}.zip`);
    },
  );

  it('refuses a short commit id two artifacts start with, naming both', async () => {
    const deps = await withArtifact();
    const twin = `${COMMIT.slice(0, 6)}${'0'.repeat(34)}`;
    deps.artifacts.add({ bucket: 'pipeline', key: `artifacts/web/${twin}.zip`, etag: '"e3"', metadata: {} });
    await artifactUploaded(deps, { bucket: 'pipeline', key: `artifacts/web/${twin}.zip`, eventTime: 'now' });
    const response = await invokeOperator(deps, {
      command: 'deploy',
      application: 'web',
      environment: 'dev',
      commit: COMMIT.slice(0, 5),
    });
    expect(response).toEqual({
      ok: false,
      kind: 'ValidationError',
      error: `commit: ${COMMIT.slice(0, 5)} is the start of 2 recorded commits (${twin.slice(0, 12)}, ${COMMIT.slice(0, 12)}); give more digits`,
    });
    expect(deps.deployer.calls).toEqual([]);
  });

  it('says what to do when the artifact was never uploaded', async () => {
    const deps = memoryDeps();
    const response = await invokeOperator(deps, {
      command: 'deploy',
      application: 'web',
      environment: 'dev',
      commit: COMMIT2,
    });
    expect(response).toEqual({
      ok: false,
      kind: 'NotFoundError',
      error: `no artifact recorded for web commit ${COMMIT2}; upload it to the artifact prefix first`,
    });
  });

  it.each([
    [
      { command: 'deploy', application: 'web', environment: 'dev' },
      'commit: give exactly one of commit or artifactKey',
    ],
    [
      { command: 'deploy', application: 'web', environment: 'dev', commit: 'XYZ' },
      'commit: a hexadecimal commit id (4 to 64 digits)',
    ],
    [
      { command: 'deploy', application: 'web', environment: 'dev', commit: 'abc' },
      'commit: a hexadecimal commit id (4 to 64 digits)',
    ],
    [{ command: 'deploy', environment: 'dev', commit: COMMIT }, 'application: required'],
    [{ command: 'status', application: 'web', extra: 1 }, '(event): unknown field(s) extra'],
    [{ command: 'launch' }, 'command: unknown value (commands: deploy, status'],
    [{ application: 'web' }, 'command: unknown value (commands: deploy, status'],
  ])('refuses %j naming the field and the rule', async (event, message) => {
    const response = await invokeOperator(memoryDeps(), event);
    expect(response).toMatchObject({ ok: false, kind: 'ValidationError' });
    expect(response.ok ? '' : response.error).toContain(message);
  });

  it('names an unknown application or environment', async () => {
    const response = await invokeOperator(memoryDeps(), {
      command: 'deploy',
      application: 'web',
      environment: 'qa',
      commit: COMMIT,
    });
    expect(response).toEqual({
      ok: false,
      kind: 'NotFoundError',
      error: 'application "web" has no environment "qa"',
    });
  });

  it('status shows each environment: latest, in flight and queued', async () => {
    const deps = await withArtifact();
    deps.artifacts.add({
      bucket: 'pipeline',
      key: `artifacts/web/${COMMIT2}.zip`,
      versionId: 'v2',
      etag: '"e2"',
      metadata: {},
    });
    await artifactUploaded(deps, {
      bucket: 'pipeline',
      key: `artifacts/web/${COMMIT2}.zip`,
      eventTime: 'now',
    });
    await invokeOperator(deps, { command: 'deploy', application: 'web', environment: 'dev', commit: COMMIT });
    await invokeOperator(deps, {
      command: 'deploy',
      application: 'web',
      environment: 'dev',
      commit: COMMIT2,
    });
    const response = await invokeOperator(deps, loadEvent('operator/status.json'));
    if (!response.ok) throw new Error(response.error);
    const result = response.result as {
      environments: { environment: string; inFlight?: unknown; queued: unknown[] }[];
    };
    const dev = result.environments.find((e) => e.environment === 'dev');
    expect(dev?.inFlight).toMatchObject({
      deploymentId: 'd-FAKE00001',
      commit: COMMIT,
      cause: 'operator console; identity in CloudTrail',
    });
    expect(dev?.queued).toEqual([
      expect.objectContaining({ commit: COMMIT2, note: 'the deployment group is busy' }),
    ]);
    expect(result.environments.map((e) => e.environment)).toEqual(['dev', 'staging', 'production']);
  });
});
