// ECS and Lambda applications as pipeline.yml describes them: one of each, dev then production (the
// Lambda environments each moving an alias of their own).
import { run as artifactUploaded } from '../../functions/artifact-uploaded/handler';
import type { ArtifactDeps } from '../../shared/artifacts/artifact-uploaded';
import { type Pipeline, parsePipeline } from '../../shared/pipeline/rules/config';
import type { FakeArtifacts } from './fixtures';
import { objectCreatedEvent } from './s3-events';

export const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/svc/0123456789abcdef/fedcba9876543210';

const environments = (app: string, group: (env: string) => Record<string, unknown>) => [
  { name: 'dev', deploymentGroup: `${app}-dev`, enter: { branch: 'main' }, group: group('dev') },
  {
    name: 'production',
    deploymentGroup: `${app}-production`,
    enter: 'promotion',
    group: group('production'),
  },
];

/** `svc` on ECS (AppSpec in YAML) and `fn` on Lambda (AppSpec in JSON), groups created by the stack. */
export const platformApplications = () => ({
  svc: {
    codedeployApplication: 'baton-svc',
    computePlatform: 'ECS',
    existing: false,
    environments: environments('svc', (env) => ({
      deploymentConfig: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      ecs: {
        cluster: 'baton',
        service: `svc-${env}`,
        targetGroups: [`svc-${env}-blue`, `svc-${env}-green`],
        prodListener: LISTENER,
      },
    })),
  },
  fn: {
    codedeployApplication: 'baton-fn',
    computePlatform: 'Lambda',
    artifactKey: '{application}/{commit}.json',
    existing: false,
    environments: environments('fn', (env) => ({
      deploymentConfig: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      lambda: { function: 'fn-api', alias: env === 'dev' ? 'dev' : 'live' },
    })),
  },
});

export const platformPipeline = (): Pipeline =>
  parsePipeline({ version: 1, applications: platformApplications() });

/** A Lambda AppSpec file (YAML) naming the function and the version it promotes. */
export const lambdaAppSpec = (name = 'fn-api', target: unknown = 8) =>
  `version: 0.0\nResources:\n  - api:\n      Type: AWS::Lambda::Function\n      Properties:\n        Name: ${name}\n        TargetVersion: ${target}\n`;

/** `fn`'s artifact as uploadLambdaArtifact records it, for a deployment request. */
export const lambdaArtifactRef = (commit: string, versionId = 'v1') => ({
  bucket: 'pipeline',
  key: `artifacts/fn/${commit}.json`,
  etag: `"etag-${versionId}"`,
  versionId,
  commit,
});

/** `fn`'s artifact uploaded and announced as S3 announces it: artifact-uploaded reads its AppSpec and records it. */
export const uploadLambdaArtifact = (
  deps: ArtifactDeps & { artifacts: FakeArtifacts },
  commit: string,
  versionId: string,
  body: string,
) => {
  const key = `artifacts/fn/${commit}.json`;
  deps.artifacts.add({ bucket: 'pipeline', key, versionId, etag: `"etag-${versionId}"`, metadata: {} });
  deps.artifacts.write('pipeline', key, versionId, body);
  return artifactUploaded(
    objectCreatedEvent('pipeline', { key, etag: `etag-${versionId}`, 'version-id': versionId }),
    deps,
  );
};
