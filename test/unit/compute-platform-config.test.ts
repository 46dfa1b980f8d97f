// pipeline.yml's `computePlatform`: ECS and Lambda applications, their defaults, and the fields that
// apply only to EC2/on-premises instances refused with their path and rule.
import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../shared/pipeline/rules/config';
import { configIssues } from '../support/pipeline-config';

const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/0123456789abcdef/fedcba9876543210';
const ecsGroup = () => ({
  ecs: { cluster: 'baton', service: 'web', targetGroups: ['web-blue', 'web-green'], prodListener: LISTENER },
});

/** One application on `platform`, one environment whose fields `env` adds to. */
const pipelineOf = (platform: string | undefined, env: Record<string, unknown> = {}, app = {}) => ({
  version: 1,
  applications: {
    api: {
      codedeployApplication: 'baton-api',
      ...(platform ? { computePlatform: platform } : {}),
      environments: [{ name: 'dev', deploymentGroup: 'api-dev', enter: { branch: 'main' }, ...env }],
      ...app,
    },
  },
});
const at = 'applications.api.environments[0]';

describe('computePlatform in pipeline.yml', () => {
  it('is Server unless said otherwise, with the archive layout of today', () => {
    const api = parsePipeline(pipelineOf(undefined)).applications.api;
    expect(api).toMatchObject({ computePlatform: 'Server', artifactKey: '{application}/{commit}.zip' });
  });

  it('an ECS application: an AppSpec file for artifact, its group filled with ECS defaults', () => {
    const api = parsePipeline(pipelineOf('ECS', { group: ecsGroup() })).applications.api;
    expect(api?.artifactKey).toBe('{application}/{commit}.yaml');
    expect(api?.environments[0]?.group).toEqual({
      ...ecsGroup(),
      ecs: { ...ecsGroup().ecs, terminateAfterMinutes: 60 },
      deploymentConfig: 'CodeDeployDefault.ECSAllAtOnce',
      alarms: [],
      autoRollback: [],
      blueGreen: undefined,
    });
  });

  it('a Lambda application: LambdaAllAtOnce unless a canary or linear config is named; parses again unchanged', () => {
    const raw = pipelineOf('Lambda', { group: {} });
    const once = parsePipeline(raw);
    expect(once.applications.api?.environments[0]?.group?.deploymentConfig).toBe(
      'CodeDeployDefault.LambdaAllAtOnce',
    );
    expect(parsePipeline(JSON.parse(JSON.stringify(once)))).toEqual(once);
    const canary = pipelineOf('Lambda', {
      group: { deploymentConfig: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' },
    });
    expect(configIssues(canary)).toEqual([]);
  });

  it('refuses secrets on ECS and Lambda environments: the broker serves instances only', () => {
    const secrets = { secrets: { env: 'baton/api/dev/env' } };
    expect(configIssues(pipelineOf('ECS', secrets))).toEqual([
      `${at}.secrets: the secrets broker serves EC2/on-premises instances only: an ECS application takes its secrets from its task definition (Secrets Manager references there)`,
    ]);
    expect(
      configIssues(pipelineOf('Lambda', { secrets: { files: [{ secretId: 'k', path: 'k.pem' }] } })),
    ).toEqual([
      `${at}.secrets: the secrets broker serves EC2/on-premises instances only: a Lambda application takes its secrets from its function’s environment (Secrets Manager references there)`,
    ]);
  });

  it('refuses instance roles, instances, styles and EC2 configs where there are no instances', () => {
    const env = {
      group: {
        ...ecsGroup(),
        instances: { ec2Tags: [{ key: 'a' }] },
        style: 'in-place',
        targetGroup: 'web',
        deploymentConfig: 'CodeDeployDefault.OneAtATime',
      },
    };
    expect(configIssues(pipelineOf('ECS', env, { instanceRoles: ['r'], createInstanceRoles: true }))).toEqual(
      [
        'applications.api.instanceRoles: the secrets broker serves EC2/on-premises instances only: an ECS application takes its secrets from its task definition (Secrets Manager references there)',
        'applications.api.createInstanceRoles: only for computePlatform: Server (ECS has no instances)',
        `${at}.group.instances: only for computePlatform: Server (ECS deploys blue/green by traffic shifting)`,
        `${at}.group.style: only for computePlatform: Server (ECS deploys blue/green by traffic shifting)`,
        `${at}.group.targetGroup: only for computePlatform: Server (ECS deploys blue/green by traffic shifting)`,
        `${at}.group.deploymentConfig: not an ECS configuration: CodeDeploy's own are CodeDeployDefault.ECSAllAtOnce, CodeDeployDefault.ECSLinear10PercentEvery1Minutes, CodeDeployDefault.ECSLinear10PercentEvery3Minutes, CodeDeployDefault.ECSCanary10Percent5Minutes, CodeDeployDefault.ECSCanary10Percent15Minutes`,
      ],
    );
  });

  it('refuses an ECS group without its service, a Lambda group with one, and malformed ECS settings', () => {
    expect(configIssues(pipelineOf('ECS', { group: {} }))).toEqual([
      `${at}.group.ecs: required with computePlatform: ECS: cluster, service, targetGroups, prodListener`,
    ]);
    expect(configIssues(pipelineOf('Lambda', { group: ecsGroup() }))).toEqual([
      `${at}.group.ecs: only with computePlatform: ECS`,
    ]);
    const bad = { ecs: { ...ecsGroup().ecs, targetGroups: ['a', 'a'], testListener: LISTENER } };
    expect(configIssues(pipelineOf('ECS', { group: bad }))).toEqual([
      `${at}.group.ecs.targetGroups[1]: the replacement needs a target group of its own`,
      `${at}.group.ecs.testListener: must differ from prodListener`,
    ]);
    const listener = { ecs: { ...ecsGroup().ecs, prodListener: 'web' } };
    expect(configIssues(pipelineOf('ECS', { group: listener }))).toEqual([
      `${at}.group.ecs.prodListener: an ELB listener ARN`,
    ]);
  });

  it('refuses an ECS or Lambda artifact layout that is not an AppSpec file, and an unknown platform', () => {
    expect(configIssues(pipelineOf('Lambda', {}, { artifactKey: '{application}/{commit}.zip' }))).toEqual([
      'applications.api.artifactKey: a Lambda artifact is an AppSpec file: end the layout in .yaml, .yml, .json',
    ]);
    expect(configIssues(pipelineOf('Lambda', {}, { artifactKey: '{application}/{commit}.json' }))).toEqual(
      [],
    );
    expect(configIssues(pipelineOf('Fargate'))[0]).toMatch(/^applications\.api\.computePlatform: /);
  });

  it.each(['ECS', 'Lambda'])(
    'refuses on %s a minimumTargets other than 1 and any tolerate: its one target must deliver',
    (platform) => {
      const group = platform === 'ECS' ? { group: ecsGroup() } : {};
      const audit = { audit: { minimumTargets: 0, tolerate: ['Skipped'] } };
      const rule = `${platform} deploys to exactly one target (a service or an alias), which must succeed`;
      expect(configIssues(pipelineOf(platform, { ...group, ...audit }))).toEqual([
        `${at}.audit.minimumTargets: must be 1: ${rule}`,
        `${at}.audit.tolerate: must be empty: ${rule}`,
      ]);
      expect(configIssues(pipelineOf(platform, { ...group, audit: { minimumTargets: 1 } }))).toEqual([]);
      expect(configIssues(pipelineOf('Server', { audit: audit.audit }))).toEqual([]);
    },
  );

  it('refuses a Lambda application with more than one environment: each would move the same alias', () => {
    const two = pipelineOf(
      'Lambda',
      {},
      {
        environments: [
          { name: 'dev', deploymentGroup: 'api-dev', enter: { branch: 'main' } },
          { name: 'production', deploymentGroup: 'api-production', enter: 'promotion' },
        ],
      },
    );
    expect(configIssues(two)).toEqual([
      'applications.api.environments: a Lambda application has exactly one environment (this one has 2: dev, production): its AppSpec file names the function and the alias, and a Lambda deployment group names no target, so every environment would move the same alias: a deployment to dev would move the alias production serves, before any audit or approval; give each alias an application of its own',
    ]);
    expect(configIssues(pipelineOf('Lambda'))).toEqual([]);
  });

  it('a Server group still needs its instances', () => {
    expect(configIssues(pipelineOf('Server', { group: {} }))).toEqual([
      `${at}.group.instances: required: choose the instances: ec2Tags, ec2TagGroups or autoScalingGroups`,
    ]);
  });
});
