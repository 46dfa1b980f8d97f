// ECS and Lambda applications as pipeline.yml describes them: one of each, dev then production (the
// Lambda environments each moving an alias of their own).
import { type Pipeline, parsePipeline } from '../../shared/pipeline/rules/config';

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
