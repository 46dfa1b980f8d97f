import { describe, expect, it } from 'vitest';
import { bundleTypeOf, readArtifactKey } from '../../shared/artifacts/rules/artifact';
import { parsePipeline } from '../../shared/pipeline/rules/config';
import { COMMIT, samplePipeline } from '../support/fixtures';
import { platformPipeline } from '../support/platforms';

describe('artifact keys', () => {
  const pipeline = samplePipeline();

  it('reads application and commit from the default layout, the branch from metadata', () => {
    const reading = readArtifactKey(pipeline, `artifacts/web/${COMMIT}.zip`, { branch: 'main' });
    expect(reading).toMatchObject({ ok: true, application: 'web', commit: COMMIT, branch: 'main' });
  });

  it('reads the branch from a layout that carries it, slashes included', () => {
    const custom = parsePipeline({
      version: 1,
      applications: {
        api: {
          codedeployApplication: 'api',
          artifactKey: '{application}/{branch}/{commit}.tgz',
          environments: [{ name: 'dev', deploymentGroup: 'api-dev', enter: { branch: 'feature/a b' } }],
        },
      },
    });
    expect(readArtifactKey(custom, `artifacts/api/feature/a b/${COMMIT}.tgz`)).toMatchObject({
      ok: true,
      branch: 'feature/a b',
      commit: COMMIT,
    });
  });

  it.each([
    ['uploads/web/x.zip', 'key is outside the artifact prefix "artifacts/"', undefined],
    [`artifacts/shop/${COMMIT}.zip`, 'unknown application "shop"', undefined],
    [`artifacts/web/${COMMIT}.tar`, 'key does not follow the layout "{application}/{commit}.zip"', 'web'],
    ['artifacts/web/not-a-commit.zip', 'commit is missing or not a hexadecimal commit id', 'web'],
  ])(
    'refuses %s with a reason, naming the application only when it is configured',
    (key, reason, application) => {
      expect(readArtifactKey(pipeline, key)).toEqual({ ok: false, reason, application });
    },
  );

  it('refuses metadata that contradicts the key', () => {
    expect(readArtifactKey(pipeline, `artifacts/web/${COMMIT}.zip`, { commit: 'abcdef1' })).toEqual({
      ok: false,
      reason: 'metadata commit disagrees with the key',
      application: 'web',
    });
  });

  it('knows the bundle types CodeDeploy accepts', () => {
    expect(['a.zip', 'a.tar', 'a.tar.gz', 'a.tgz', 'a.rar', 'a.yaml'].map((k) => bundleTypeOf(k))).toEqual([
      'zip',
      'tar',
      'tgz',
      'tgz',
      undefined,
      undefined,
    ]);
    // ECS and Lambda deploy an AppSpec file: CodeDeploy's YAML and JSON bundle types, never an archive.
    for (const platform of ['ECS', 'Lambda'] as const)
      expect(['a.yaml', 'a.yml', 'a.json', 'a.zip'].map((k) => bundleTypeOf(k, platform))).toEqual([
        'YAML',
        'YAML',
        'JSON',
        undefined,
      ]);
  });

  it('reads an ECS or Lambda application’s AppSpec key, and refuses an archive there', () => {
    const platforms = platformPipeline();
    expect(readArtifactKey(platforms, `artifacts/fn/${COMMIT}.json`)).toMatchObject({
      ok: true,
      commit: COMMIT,
    });
    expect(readArtifactKey(platforms, `artifacts/svc/${COMMIT}.zip`)).toEqual({
      ok: false,
      reason: 'key does not follow the layout "{application}/{commit}.yaml"',
      application: 'svc',
    });
  });
});
