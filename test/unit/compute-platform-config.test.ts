// pipeline.yml's `computePlatform`: ECS and Lambda applications, their defaults, and the fields that
// apply only to EC2/on-premises instances refused with their path and rule.
import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../shared/pipeline/rules/config';
import { awsModel } from '../support/aws-models';
import { configIssues } from '../support/pipeline-config';

const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/0123456789abcdef/fedcba9876543210';
const ecsGroup = () => ({
  ecs: { cluster: 'baton', service: 'web', targetGroups: ['web-blue', 'web-green'], prodListener: LISTENER },
});

const LAMBDA = { function: 'api-fn', alias: 'live' };
/** A Lambda environment names its function and alias unless `env` says otherwise. */
const withAlias = (platform: string | undefined, env: Record<string, unknown>) =>
  platform === 'Lambda' && !('group' in env && env.group === undefined)
    ? { ...env, group: { lambda: LAMBDA, ...(env.group as object | undefined) } }
    : env;
/** One application on `platform`, one environment whose fields `env` adds to. */
const pipelineOf = (platform: string | undefined, env: Record<string, unknown> = {}, app = {}) => ({
  version: 1,
  applications: {
    api: {
      codedeployApplication: 'baton-api',
      ...(platform ? { computePlatform: platform } : {}),
      environments: [
        { name: 'dev', deploymentGroup: 'api-dev', enter: { branch: 'main' }, ...withAlias(platform, env) },
      ],
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
    const raw = pipelineOf('Lambda', { group: {} }, { existing: false });
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

  it('a Lambda environment names its function and the alias it moves, each environment its own alias', () => {
    const stage = (name: string, alias: string, fn = 'api-fn') => ({
      name,
      deploymentGroup: `api-${name}`,
      enter: name === 'dev' ? { branch: 'main' } : 'promotion',
      group: { lambda: { function: fn, alias } },
    });
    const three = (aliases: string[], fns = ['api-fn', 'api-fn', 'api-fn']) =>
      pipelineOf(
        'Lambda',
        {},
        { environments: ['dev', 'staging', 'production'].map((n, i) => stage(n, aliases[i] ?? '', fns[i])) },
      );
    expect(configIssues(three(['dev', 'staging', 'live']))).toEqual([]);
    expect(
      parsePipeline(three(['dev', 'staging', 'live'])).applications.api?.environments[2]?.group?.lambda,
    ).toEqual({
      function: 'api-fn',
      alias: 'live',
    });
    expect(configIssues(three(['dev', 'live', 'live']))).toEqual([
      'applications.api.environments[2].group.lambda.alias: production and staging both name the alias live: each environment moves an alias of its own, or a deployment to one would move what the other serves before its audit or approval',
    ]);
    expect(configIssues(three(['dev', 'staging', 'live'], ['api-fn', 'api-fn', 'other-fn']))).toEqual([
      "applications.api.environments[2].group.lambda.function: must be api-fn: the artifact's AppSpec names one function, which every environment of a Lambda application deploys",
    ]);
  });

  it('refuses a Lambda environment without its alias, and a lambda block elsewhere', () => {
    expect(configIssues(pipelineOf('Lambda', { group: undefined }))).toEqual([
      `${at}.group.lambda: required with computePlatform: Lambda: { function, alias }`,
    ]);
    expect(configIssues(pipelineOf('Lambda', { group: { lambda: undefined } }))).toEqual([
      `${at}.group.lambda: required with computePlatform: Lambda: the function and the alias this environment moves ({ function, alias })`,
    ]);
    expect(
      configIssues(pipelineOf('ECS', { group: { ...ecsGroup(), lambda: { function: 'f', alias: 'a' } } })),
    ).toEqual([`${at}.group.lambda: only with computePlatform: Lambda`]);
  });

  it('an adopted Lambda group (existing: true) keeps only its lambda block', () => {
    const adopted = (group: Record<string, unknown>) => pipelineOf('Lambda', { group }, { existing: true });
    expect(configIssues(adopted({}))).toEqual([]);
    expect(configIssues(adopted({ alarms: ['a'] }))).toEqual([
      `${at}.group: existing: true adopts the group as it is: remove group, or set existing: false`,
    ]);
    expect(configIssues(adopted({ deploymentConfig: 'CodeDeployDefault.LambdaAllAtOnce' }))).toEqual([
      `${at}.group.deploymentConfig: existing: true adopts the group with its own deploymentConfig: remove deploymentConfig, or set existing: false`,
    ]);
    expect(configIssues(adopted({ style: 'blue-green' }))).toContain(
      `${at}.group.style: only for computePlatform: Server (Lambda deploys blue/green by traffic shifting)`,
    );
  });

  it('adopts a Lambda application whose groups name only their alias, unless existing says otherwise', () => {
    const existing = (env: Record<string, unknown>) =>
      parsePipeline(pipelineOf('Lambda', env)).applications.api?.existing;
    expect(existing({})).toBe(true);
    expect(existing({ group: { deploymentConfig: 'CodeDeployDefault.LambdaAllAtOnce' } })).toBe(false);
  });

  it("takes the alias names Lambda's API model allows (CreateAlias Name), and only those", () => {
    const shape = awsModel('lambda').shapes.Alias as { min: number; max: number; pattern: string };
    const model = new RegExp(`^(?:${shape.pattern.replace('(?!^[0-9]+$)', '(?![0-9]+$)')})$`);
    const names = [
      'live',
      'PROD_2',
      'a-b',
      'v1',
      '1a',
      'x'.repeat(shape.max),
      '123',
      '',
      'x'.repeat(shape.max + 1),
      'a.b',
      'a b',
      '$LATEST',
    ];
    for (const alias of names) {
      const allowed = model.test(alias) && alias.length >= shape.min && alias.length <= shape.max;
      const issues = configIssues(pipelineOf('Lambda', { group: { lambda: { ...LAMBDA, alias } } }));
      expect(issues.length === 0, `${alias}: ${issues.join('; ')}`).toBe(allowed);
      if (!allowed)
        expect(issues).toEqual([
          `${at}.group.lambda.alias: an alias name (1-128 letters, digits, - and _, not only digits)`,
        ]);
    }
  });

  it('a Server group still needs its instances', () => {
    expect(configIssues(pipelineOf('Server', { group: {} }))).toEqual([
      `${at}.group.instances: required: choose the instances: ec2Tags, ec2TagGroups or autoScalingGroups`,
    ]);
  });
});
