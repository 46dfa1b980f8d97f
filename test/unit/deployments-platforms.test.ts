// ECS and Lambda artifacts are AppSpec files: CreateDeployment names the S3 revision with CodeDeploy's
// YAML or JSON bundle type, and an archive under such an application is refused before any call.
import { describe, expect, it } from 'vitest';
import { requestDeployment } from '../../shared/deployments/deployments';
import { COMMIT, memoryDeps } from '../support/fixtures';
import { platformPipeline } from '../support/platforms';

const ask = (deps: ReturnType<typeof memoryDeps>, application: string, key: string) =>
  requestDeployment(deps, {
    application,
    environment: 'dev',
    artifact: { bucket: 'pipeline', key, etag: '"etag-1"', versionId: 'v1', commit: COMMIT },
    cause: { type: 'branch', detail: 'push to main' },
    dedupeKey: `${application}-${COMMIT}`,
  });

describe('deploying ECS and Lambda applications', () => {
  it('hands CodeDeploy the AppSpec file with its bundle type: YAML for ECS, JSON for Lambda', async () => {
    const deps = memoryDeps(platformPipeline());
    await ask(deps, 'svc', `artifacts/svc/${COMMIT}.yaml`);
    await ask(deps, 'fn', `artifacts/fn/${COMMIT}.json`);
    expect(deps.deployer.calls).toMatchObject([
      { codedeployApplication: 'baton-svc', deploymentGroup: 'svc-dev', bundleType: 'YAML', versionId: 'v1' },
      { codedeployApplication: 'baton-fn', deploymentGroup: 'fn-dev', bundleType: 'JSON', versionId: 'v1' },
    ]);
  });

  it('refuses an archive for an ECS application, naming the field and the rule', async () => {
    const deps = memoryDeps(platformPipeline());
    await expect(ask(deps, 'svc', `artifacts/svc/${COMMIT}.zip`)).rejects.toMatchObject({
      issues: ['artifact.key: key must end in .yaml, .yml, .json (ECS deploys an AppSpec file)'],
    });
    expect(deps.deployer.calls).toEqual([]);
  });
});
