// ECS and Lambda artifacts are AppSpec files: CreateDeployment names the S3 revision with CodeDeploy's
// YAML or JSON bundle type, and an archive under such an application is refused before any call.
import { describe, expect, it, vi } from 'vitest';
import { releaseGroup } from '../../shared/deployments/deployment-queue';
import { requestDeployment } from '../../shared/deployments/deployments';
import { keys } from '../../shared/ledger/keys';
import type { ArtifactRecord, DeploymentRequest } from '../../shared/ledger/records';
import { COMMIT, memoryDeps } from '../support/fixtures';
import {
  lambdaAppSpec,
  lambdaArtifactRef,
  platformPipeline,
  uploadLambdaArtifact,
} from '../support/platforms';

const ask = (deps: ReturnType<typeof memoryDeps>, application: string, key: string) =>
  requestDeployment(deps, {
    application,
    environment: 'dev',
    artifact: { bucket: 'pipeline', key, etag: '"etag-v1"', versionId: 'v1', commit: COMMIT },
    cause: { type: 'branch', detail: 'push to main' },
    dedupeKey: `${application}-${COMMIT}`,
  });

const lambdaDeps = async (body: string) => {
  const deps = memoryDeps(platformPipeline());
  await uploadLambdaArtifact(deps, COMMIT, 'v1', body);
  deps.lambda.aliases.versions.set('fn-api:dev', '7');
  deps.lambda.aliases.versions.set('fn-api:live', '5');
  return deps;
};

describe('deploying ECS and Lambda applications', () => {
  it('hands CodeDeploy the AppSpec file for ECS (YAML), and for Lambda the revision written for the environment', async () => {
    const deps = await lambdaDeps(lambdaAppSpec());
    await ask(deps, 'svc', `artifacts/svc/${COMMIT}.yaml`);
    await ask(deps, 'fn', `artifacts/fn/${COMMIT}.json`);
    const revision = `revisions/fn/${COMMIT}/dev/v1.json`;
    expect(deps.deployer.calls).toMatchObject([
      { codedeployApplication: 'baton-svc', deploymentGroup: 'svc-dev', bundleType: 'YAML', versionId: 'v1' },
      {
        codedeployApplication: 'baton-fn',
        deploymentGroup: 'fn-dev',
        bundleType: 'JSON',
        key: `ledger/${revision}`,
        versionId: 'rv1',
        etag: '"rev-1"',
      },
    ]);
    const written = deps.lambda.revisions.written.get(revision);
    expect(written?.metadata).toEqual({
      'artifact-key': `artifacts/fn/${COMMIT}.json`,
      'artifact-version': 'v1',
      'artifact-etag': 'etag-v1',
    });
    expect(JSON.parse(written?.body ?? '{}').version).toBe('0.0');
    expect(JSON.parse(written?.body ?? '{}').Resources[0].api.Properties).toEqual({
      Name: 'fn-api',
      TargetVersion: '8',
      Alias: 'dev',
      CurrentVersion: '7',
    });
  });

  it.each([
    ['not: [valid', 'artifact: the AppSpec file is neither YAML nor JSON'],
    [
      lambdaAppSpec('other-fn'),
      'artifact: the AppSpec names the function other-fn, but pipeline.yml deploys fn-api',
    ],
    [
      lambdaAppSpec('fn-api', "''"),
      'artifact: the AppSpec resource names no published version to promote (TargetVersion: a number)',
    ],
    [
      'version: 0.0\nResources: []\n',
      'artifact: the AppSpec file must list exactly one resource under Resources',
    ],
  ])(
    'refuses a Lambda AppSpec that breaks a rule at upload: not recorded, never deployed (%#)',
    async (body, rule) => {
      const deps = memoryDeps(platformPipeline());
      await expect(uploadLambdaArtifact(deps, COMMIT, 'v1', body)).resolves.toMatchObject({
        results: [{ outcome: 'rejected', reason: rule }],
      });
      expect(await deps.store.get(keys.artifact('fn', COMMIT))).toBeUndefined();
      await expect(ask(deps, 'fn', `artifacts/fn/${COMMIT}.json`)).rejects.toMatchObject({
        name: 'ConfiguredRefusalError',
        issues: [`artifact: no AppSpec is recorded for commit ${COMMIT} at this object version`],
      });
      expect(deps.deployer.calls).toEqual([]);
      expect(deps.lambda.revisions.written.size).toBe(0);
    },
  );

  it('records the AppSpec with the artifact, and launches from the record without reading the object again', async () => {
    const deps = await lambdaDeps(lambdaAppSpec());
    const record = await deps.store.get<ArtifactRecord>(keys.artifact('fn', COMMIT));
    expect(record?.record.appSpec).toEqual({
      version: 0,
      Resources: [
        { api: { Type: 'AWS::Lambda::Function', Properties: { Name: 'fn-api', TargetVersion: 8 } } },
      ],
    });
    deps.artifacts.bodies.clear();
    await ask(deps, 'fn', `artifacts/fn/${COMMIT}.json`);
    expect(deps.deployer.calls).toHaveLength(1);
  });

  it('reads the artifact record once for a request that launches at once: checked, then rendered', async () => {
    const deps = await lambdaDeps(lambdaAppSpec());
    const read = vi.spyOn(deps.store, 'get');
    await ask(deps, 'fn', `artifacts/fn/${COMMIT}.json`);
    expect(deps.deployer.calls).toHaveLength(1);
    expect(read.mock.calls.filter(([key]) => key === keys.artifact('fn', COMMIT))).toHaveLength(1);
  });

  it('holds the recorded AppSpec to pipeline.yml as it is when the deployment is asked for', async () => {
    const deps = await lambdaDeps(lambdaAppSpec());
    const renamed = platformPipeline();
    for (const env of renamed.applications.fn?.environments ?? [])
      if (env.group?.lambda) env.group.lambda.function = 'fn-renamed';
    await expect(
      ask({ ...deps, pipeline: renamed }, 'fn', `artifacts/fn/${COMMIT}.json`),
    ).rejects.toMatchObject({
      name: 'ConfiguredRefusalError',
      issues: ['artifact: the AppSpec names the function fn-api, but pipeline.yml deploys fn-renamed'],
    });
    expect(deps.deployer.calls).toEqual([]);
  });

  it('tells a person, once, when an uploaded Lambda AppSpec cannot be deployed: refused, not retried', async () => {
    const deps = memoryDeps(platformPipeline());
    const first = await uploadLambdaArtifact(deps, COMMIT, 'v1', lambdaAppSpec('other-fn'));
    const again = await uploadLambdaArtifact(deps, COMMIT, 'v1', lambdaAppSpec('other-fn'));

    const refusal = 'artifact: the AppSpec names the function other-fn, but pipeline.yml deploys fn-api';
    expect(first).toMatchObject({ results: [{ outcome: 'rejected', reason: refusal }] });
    expect(again).toMatchObject({ results: [{ outcome: 'rejected', reason: refusal }] });
    expect(deps.notifier.notices).toHaveLength(1);
    expect(deps.notifier.notices[0]?.subject).toBe(
      'Baton fn: artifact-uploaded refused an event (lambda-appspec)',
    );
    expect(deps.notifier.notices[0]?.message).toContain(refusal);
    expect(deps.deployer.calls).toEqual([]);
  });

  it('deploys nothing when the alias already serves the target version: the request is done, with why', async () => {
    const deps = await lambdaDeps(lambdaAppSpec('fn-api', 7));

    const outcome = await ask(deps, 'fn', `artifacts/fn/${COMMIT}.json`);

    expect(outcome).toMatchObject({ outcome: 'unchanged', note: 'alias dev already serves version 7' });
    expect(deps.deployer.calls).toEqual([]);
    expect(deps.lambda.revisions.written.size).toBe(0);
    const [key = ''] = await deps.store.list(keys.requests('fn', 'dev'));
    expect((await deps.store.get<DeploymentRequest>(key))?.record).toMatchObject({
      state: 'done',
      note: 'alias dev already serves version 7',
    });
    expect(await deps.store.get(keys.slot('fn', 'dev'))).toBeUndefined();
  });

  it('a rollback after a failed deployment, the alias left on the last VERIFIED version, deploys nothing; what is queued behind it starts', async () => {
    const deps = await lambdaDeps(lambdaAppSpec('fn-api', 9));
    await uploadLambdaArtifact(deps, 'a'.repeat(40), 'v0', lambdaAppSpec('fn-api', 7));
    // The failed deployment of version 9 holds the group; CodeDeploy left dev's alias on 7.
    const failed = await ask(deps, 'fn', `artifacts/fn/${COMMIT}.json`);
    const rollback = await requestDeployment(deps, {
      application: 'fn',
      environment: 'dev',
      artifact: lambdaArtifactRef('a'.repeat(40), 'v0'),
      cause: { type: 'rollback', detail: 'rollback after FAILED' },
      dedupeKey: 'rollback-1',
    });
    const newer = await requestDeployment(deps, {
      application: 'fn',
      environment: 'dev',
      artifact: lambdaArtifactRef(COMMIT),
      cause: { type: 'operator', detail: 'retry' },
      dedupeKey: 'retry-1',
    });
    expect([rollback.outcome, newer.outcome]).toEqual(['queued', 'queued']);

    await releaseGroup(deps, 'fn', 'dev', 'deploymentId' in failed ? failed.deploymentId : '');

    const request = await deps.store.get<DeploymentRequest>(keys.request('fn', 'dev', rollback.requestId));
    expect(request?.record).toMatchObject({ state: 'done', note: 'alias dev already serves version 7' });
    expect(deps.deployer.calls).toHaveLength(2);
    const retried = JSON.parse(
      deps.lambda.revisions.written.get(`revisions/fn/${COMMIT}/dev/v1.json`)?.body ?? '{}',
    );
    expect(retried.Resources[0].api.Properties).toMatchObject({ CurrentVersion: '7', TargetVersion: '9' });
  });

  it.each([
    [
      'on $LATEST',
      (d: Awaited<ReturnType<typeof lambdaDeps>>) => d.lambda.aliases.versions.set('fn-api:dev', '$LATEST'),
      'applications.fn.environments.dev.group.lambda.alias: the alias dev points to $LATEST, not a published version',
    ],
    [
      'with weighted routing',
      (d: Awaited<ReturnType<typeof lambdaDeps>>) => d.lambda.aliases.weights.set('fn-api:dev', { '6': 0.1 }),
      'applications.fn.environments.dev.group.lambda.alias: the alias dev routes traffic to version 6 as well (weighted routing): CodeDeploy shifts only an alias on one version',
    ],
  ])(
    'refuses an alias %s, naming group.lambda.alias, before any CreateDeployment',
    async (_, arrange, rule) => {
      const deps = await lambdaDeps(lambdaAppSpec());
      arrange(deps);
      await expect(ask(deps, 'fn', `artifacts/fn/${COMMIT}.json`)).rejects.toMatchObject({
        name: 'ConfiguredRefusalError',
        issues: [rule],
      });
      expect(deps.deployer.calls).toEqual([]);
    },
  );

  it('refuses an archive for an ECS application, naming the field and the rule', async () => {
    const deps = memoryDeps(platformPipeline());
    await expect(ask(deps, 'svc', `artifacts/svc/${COMMIT}.zip`)).rejects.toMatchObject({
      issues: ['artifact.key: key must end in .yaml, .yml, .json (ECS deploys an AppSpec file)'],
    });
    expect(deps.deployer.calls).toEqual([]);
  });
});
