// baton doctor's rules over plain facts: no AWS, no mocks.
import { GetAliasCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { alarmRow, roleRow } from '../../cli/doctor/checks-access';
import { applicationRow, groupRows } from '../../cli/doctor/checks-codedeploy';
import { aliasRow } from '../../cli/doctor/checks-lambda';
import { checkStage, failed, queueRow, stackRow, topicRow } from '../../cli/doctor/checks-stage';
import { type AliasFacts, got, type StackFacts, type StageFacts } from '../../cli/doctor/facts';
import { readAliases } from '../../cli/doctor/gather-lambda';
import { planOf } from '../../cli/doctor/plan';
import { allows, statementsOf } from '../../cli/doctor/policy';
import { run } from '../../cli/main';
import { parsePipeline } from '../../shared/pipeline/rules/config';
import { platformPipeline } from '../support/platforms';

const stack: StackFacts = {
  name: 'baton-prod',
  status: 'UPDATE_COMPLETE',
  region: 'eu-west-1',
  account: '111122223333',
  partition: 'aws',
  resources: {},
  outputs: {},
};
const planned = {
  app: 'web',
  environment: 'prod',
  application: 'baton-web',
  group: 'web-prod',
  platform: 'Server' as const,
};
const webApp = {
  codedeployApplication: 'baton-web',
  environments: [{ name: 'prod', deploymentGroup: 'web-prod', enter: 'release' }],
};
const groupInfo = { ec2Tags: [], onPremisesTags: [], autoScalingGroups: ['web-asg'] };
const topicArn = 'arn:aws:sns:eu-west-1:111122223333:approvals';

describe('doctor checks', () => {
  it('names every pending subscription, and every configured endpoint not subscribed', () => {
    const subscriptions = got([
      { protocol: 'email', endpoint: 'ann@example.com', subscriptionArn: 'PendingConfirmation' },
      { protocol: 'email', endpoint: 'bob@example.com', subscriptionArn: `${topicArn}:1` },
      { protocol: 'email', endpoint: 'eve@example.com', subscriptionArn: 'PendingConfirmation' },
    ]);
    const row = topicRow({ topic: 'approvals', arn: topicArn, subscriptions }, 'approvals', [
      'ann@example.com',
      'Bob@example.com',
      'cy@example.com',
    ]);
    expect(row).toEqual({
      check: 'subscriptions',
      subject: 'approvals',
      status: 'FAIL',
      detail: 'pending confirmation: ann@example.com, eve@example.com; not subscribed: cy@example.com',
    });
  });

  it('warns when nobody is to hear alerts, and passes confirmed subscriptions', () => {
    const none = topicRow({ topic: 'alerts', arn: topicArn, subscriptions: got([]) }, 'alerts', []);
    expect(none.status).toBe('warn');
    const confirmed = got([
      { protocol: 'email', endpoint: 'a@example.com', subscriptionArn: `${topicArn}:1` },
    ]);
    expect(
      topicRow({ topic: 'alerts', arn: topicArn, subscriptions: confirmed }, 'alerts', ['a@example.com']),
    ).toEqual({
      check: 'subscriptions',
      subject: 'alerts',
      status: 'ok',
      detail: '1 confirmed (every alert email of pipeline.yml)',
    });
  });

  it('fails an application or group on another compute platform, and a group without a service role', () => {
    expect(
      applicationRow(
        { application: 'baton-web', info: got({ computePlatform: 'Lambda' }) },
        'eu-west-1',
        planOf(parsePipeline({ version: 1, applications: { web: webApp } })),
      ),
    ).toEqual({
      check: 'application',
      subject: 'baton-web',
      status: 'FAIL',
      detail: 'compute platform Lambda, expected Server',
    });
    const rows = groupRows(planned, { application: 'baton-web', group: 'web-prod', info: got(groupInfo) });
    expect(rows).toEqual([
      { check: 'deployment group', subject: 'baton-web/web-prod', status: 'FAIL', detail: 'no service role' },
      {
        check: 'instances',
        subject: 'baton-web/web-prod',
        status: 'ok',
        detail: 'Auto Scaling groups web-asg',
      },
    ]);
  });

  it("expects an ECS or Lambda application's own platform: the service and its target groups, no instances", () => {
    const plan = planOf(platformPipeline());
    const svc = plan.groups.find((g) => g.group === 'svc-dev');
    const fn = plan.groups.find((g) => g.group === 'fn-dev');
    const role = 'arn:aws:iam::111122223333:role/cd';
    const ecs = {
      ...groupInfo,
      autoScalingGroups: [],
      computePlatform: 'ECS',
      serviceRoleArn: role,
      ecsServices: ['baton:svc-dev'],
      targetGroups: ['svc-dev-blue', 'svc-dev-green'],
    };
    const lambda = { ...groupInfo, autoScalingGroups: [], computePlatform: 'Lambda', serviceRoleArn: role };

    expect(
      applicationRow({ application: 'baton-svc', info: got({ computePlatform: 'ECS' }) }, 'eu-west-1', plan),
    ).toMatchObject({ status: 'ok', detail: 'ECS' });
    expect(
      applicationRow(
        { application: 'baton-fn', info: got({ computePlatform: 'Server' }) },
        'eu-west-1',
        plan,
      ),
    ).toMatchObject({ status: 'FAIL', detail: 'compute platform Server, expected Lambda' });
    expect(groupRows(svc ?? planned, { application: 'baton-svc', group: 'svc-dev', info: got(ecs) })).toEqual(
      [
        {
          check: 'deployment group',
          subject: 'baton-svc/svc-dev',
          status: 'ok',
          detail: `ECS, service role ${role}`,
        },
        {
          check: 'ECS service',
          subject: 'baton-svc/svc-dev',
          status: 'ok',
          detail: 'baton:svc-dev, target groups svc-dev-blue, svc-dev-green',
        },
      ],
    );
    const bare = { ...ecs, ecsServices: [], targetGroups: ['svc-dev-blue'] };
    expect(
      groupRows(svc ?? planned, { application: 'baton-svc', group: 'svc-dev', info: got(bare) })[1],
    ).toEqual({
      check: 'ECS service',
      subject: 'baton-svc/svc-dev',
      status: 'FAIL',
      detail: 'no ECS service; 1 target group, a blue/green pair needs 2: a deployment would have no target',
    });
    expect(groupRows(fn ?? planned, { application: 'baton-fn', group: 'fn-dev', info: got(lambda) })).toEqual(
      [
        {
          check: 'deployment group',
          subject: 'baton-fn/fn-dev',
          status: 'ok',
          detail: `Lambda, service role ${role}`,
        },
      ],
    );
    expect(plan.appsWithoutRoles).toEqual([]);
  });

  it('reports a read it could not make as a failure naming the error', () => {
    const info = { ok: false as const, error: 'AccessDeniedException: not authorized' };
    expect(groupRows(planned, { application: 'baton-web', group: 'web-prod', info })).toEqual([
      {
        check: 'deployment group',
        subject: 'baton-web/web-prod',
        status: 'FAIL',
        detail: 'could not check: AccessDeniedException: not authorized',
      },
    ]);
  });

  it("checks an instance role's statements: wildcards allow, an unconditional Deny wins", () => {
    const resources = {
      PipelineBucket: { type: 'AWS::S3::Bucket', physicalId: 'bkt' },
      SecretsLambdaFunction: { type: 'AWS::Lambda::Function', physicalId: 'baton-prod-secrets' },
    };
    const needs = {
      artifact: 'arn:aws:s3:::bkt/artifacts/web/1.zip',
      secretsFunction: 'arn:aws:lambda:eu-west-1:111122223333:function:baton-prod-secrets',
    };
    const statements = [
      { Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::bkt/artifacts/*' },
      { Effect: 'Allow', Action: 'lambda:InvokeFunction*', Resource: needs.secretsFunction, Condition: {} },
      { Effect: 'Deny', Action: 'lambda:invokefunctionurl', Resource: '*' },
    ];
    const role = { app: 'web', role: 'web-instance' };
    const row = roleRow(role, { role: 'web-instance', statements: got(statements) }, needs);
    expect(row).toEqual({
      check: 'instance role',
      subject: 'web-instance',
      status: 'FAIL',
      detail: `not allowed: lambda:InvokeFunctionUrl on ${needs.secretsFunction}`,
    });
    expect({ ...stack, resources }.resources.PipelineBucket.physicalId).toBe('bkt');
    expect(roleRow(role, { role: 'web-instance', statements: got(undefined) }, needs).detail).toBe(
      'no such IAM role (pipeline.yml web.instanceRoles)',
    );
  });

  it('reads policy documents as IAM returns them, URL-encoded', () => {
    const doc = { Version: '2012-10-17', Statement: { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' } };
    const statements = statementsOf(encodeURIComponent(JSON.stringify(doc)));
    expect(allows(statements, 's3:GetObject', 'arn:aws:s3:::b/k')).toBe(true);
    expect(allows(statements, 'iam:PassRole', 'arn:aws:iam::1:role/r')).toBe(false);
  });

  it('judges the stack by its status', () => {
    expect(stackRow(stack).status).toBe('ok');
    expect(stackRow({ ...stack, status: 'UPDATE_ROLLBACK_COMPLETE' }).status).toBe('warn');
    expect(stackRow({ ...stack, status: 'ROLLBACK_COMPLETE' })).toEqual({
      check: 'stack',
      subject: 'baton-prod',
      status: 'FAIL',
      detail: 'ROLLBACK_COMPLETE in eu-west-1, account 111122223333',
    });
  });

  it('passes an empty failed-invocations queue', () => {
    const url = 'https://sqs.eu-west-1.amazonaws.com/111122223333/baton-prod-FailedInvocations-X';
    expect(queueRow({ url, messages: got(0) })).toEqual({
      check: 'failed invocations',
      subject: 'baton-prod-FailedInvocations-X',
      status: 'ok',
      detail: 'empty',
    });
  });
});

describe('baton doctor on the command line', () => {
  const cli = async (argv: string[]) => {
    const said = { out: '', err: '' };
    const io = {
      out: (t: string) => {
        said.out += t;
      },
      err: (t: string) => {
        said.err += t;
      },
      env: {},
      now: () => new Date(),
    };
    return { code: await run(argv, io), ...said };
  };

  it('needs --stage (exit 2) and refuses unknown flags, naming the nearest (doctor, upload)', async () => {
    expect(await cli(['doctor'])).toEqual({
      code: 2,
      out: '',
      err: 'baton doctor: --stage <stage> is required: the deployed stage to check\nSee: baton doctor --help\n',
    });
    expect((await cli(['doctor', '--stage', 'dev', '--app', 'web'])).code).toBe(2);
    expect((await cli(['doctor', '--stag', 'dev'])).err).toContain(
      'baton doctor: unexpected "--stag": did you mean --stage? (doctor\'s flags:',
    );
    expect((await cli(['upload', 'a.zip', '--bucekt', 'b'])).err).toContain(
      'baton upload: unknown flag "--bucekt"',
    );
    expect((await cli(['upload', 'a.zip', '--buckt', 'b'])).err).toContain(
      'unknown flag "--buckt": did you mean --bucket? (upload\'s flags:',
    );
  });

  it('has its own help, listed in the general help', async () => {
    const help = await cli(['doctor', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: baton doctor --stage <stage>');
    expect((await cli(['help', 'doctor'])).out).toBe(help.out);
    expect((await cli(['--help'])).out).toContain('doctor --stage <stage>');
  });
});

describe("doctor on the bakes' alarms", () => {
  const listed = { alarm: 'web-staging-5xx', listedBy: ['web staging'] };

  it('plans every alarm a bake lists once, with the environments that list it', () => {
    const pipeline = parsePipeline({
      version: 1,
      applications: {
        web: {
          codedeployApplication: 'baton-web',
          environments: [
            {
              name: 'staging',
              deploymentGroup: 's',
              enter: 'release',
              verify: { bakeMinutes: 30, alarms: ['a', 'b'] },
            },
            {
              name: 'production',
              deploymentGroup: 'p',
              enter: 'promotion',
              verify: { bakeMinutes: 5, alarms: ['a'] },
            },
          ],
        },
      },
    });
    expect(planOf(pipeline).alarms).toEqual([
      { alarm: 'a', listedBy: ['web staging', 'web production'] },
      { alarm: 'b', listedBy: ['web staging'] },
    ]);
  });

  it('fails an alarm CloudWatch does not have, warns of one in ALARM, passes one that exists', () => {
    expect(alarmRow(listed, { alarm: listed.alarm, state: got(undefined) })).toEqual({
      check: 'bake alarm',
      subject: 'web-staging-5xx',
      status: 'FAIL',
      detail: 'no such CloudWatch alarm (verify.alarms of web staging)',
    });
    expect(alarmRow(listed, { alarm: listed.alarm, state: got('ALARM') }).status).toBe('warn');
    expect(alarmRow(listed, { alarm: listed.alarm, state: got('OK') })).toMatchObject({
      status: 'ok',
      detail: 'exists, OK (verify.alarms of web staging)',
    });
    expect(
      alarmRow(listed, { alarm: listed.alarm, state: { ok: false, error: 'AccessDenied: no' } }),
    ).toMatchObject({ status: 'FAIL', detail: 'could not check: AccessDenied: no' });
  });
});

describe("doctor on the Lambda environments' aliases", () => {
  const plan = planOf(platformPipeline());
  const [dev, production] = plan.aliases;
  const facts = (alias: string, routing: AliasFacts['routing']): AliasFacts => ({
    function: 'fn-api',
    alias,
    routing,
  });
  const on = (functionVersion: string, additionalVersionWeights: Record<string, number> = {}) =>
    got({ functionVersion, additionalVersionWeights });

  it('plans one alias per Lambda environment, naming its application and environment', () => {
    expect(plan.aliases).toEqual([
      { app: 'fn', environment: 'dev', function: 'fn-api', alias: 'dev' },
      { app: 'fn', environment: 'production', function: 'fn-api', alias: 'live' },
    ]);
  });

  it('fails a missing alias, before the first deployment would be refused for it', () => {
    const stage: StageFacts = {
      stack,
      applications: [],
      groups: [],
      aliases: [facts('dev', on('7')), facts('live', got(undefined))],
      roles: [],
      secrets: [],
      alarms: [],
      topics: [],
      rules: [],
      queue: { messages: got(0) },
    };

    const rows = checkStage(plan, stage).filter((r) => r.check === 'Lambda alias');

    expect(rows.map((r) => `${r.subject} ${r.status}: ${r.detail}`)).toEqual([
      'fn-api:dev ok: on version 7',
      "fn-api:live FAIL: missing: create it before the first deployment (the function's own stack)",
    ]);
    expect(failed(rows)).toBe(true);
  });

  it('fails an alias CodeDeploy cannot shift, with the rule the launch refuses it by', () => {
    expect(dev && aliasRow(dev, facts('dev', on('$LATEST')))).toEqual({
      check: 'Lambda alias',
      subject: 'fn-api:dev',
      status: 'FAIL',
      detail: 'the alias dev points to $LATEST, not a published version',
    });
    expect(production && aliasRow(production, facts('live', on('5', { '6': 0.1 })))).toEqual({
      check: 'Lambda alias',
      subject: 'fn-api:live',
      status: 'FAIL',
      detail:
        'the alias live routes traffic to version 6 as well (weighted routing): CodeDeploy shifts only an alias on one version',
    });
  });

  it('fails an alias it could not read, naming the error', () => {
    const denied = { ok: false as const, error: 'AccessDeniedException: not authorized to GetAlias' };
    expect(dev && aliasRow(dev, facts('dev', denied))).toEqual({
      check: 'Lambda alias',
      subject: 'fn-api:dev',
      status: 'FAIL',
      detail: 'could not check: AccessDeniedException: not authorized to GetAlias',
    });
  });

  it('reads each alias once through GetAlias: Lambda saying ResourceNotFoundException is a missing alias', async () => {
    const lambda = mockClient(LambdaClient);
    lambda
      .on(GetAliasCommand, { FunctionName: 'fn-api', Name: 'dev' })
      .resolves({ FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: { '8': 0.25 } } })
      .on(GetAliasCommand, { FunctionName: 'fn-api', Name: 'live' })
      .rejects(new ResourceNotFoundException({ message: 'Alias not found', $metadata: {} }))
      .on(GetAliasCommand, { FunctionName: 'fn-jobs', Name: 'live' })
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const client = new LambdaClient({ region: 'eu-west-1' });
    const jobs = { app: 'jobs', environment: 'production', function: 'fn-jobs', alias: 'live' };

    const read = await readAliases(client, [...plan.aliases, jobs, { ...jobs, environment: 'staging' }]);

    expect(read).toEqual([
      facts('dev', on('7', { '8': 0.25 })),
      facts('live', got(undefined)),
      {
        function: 'fn-jobs',
        alias: 'live',
        routing: { ok: false, error: 'AccessDeniedException: not authorized' },
      },
    ]);
    expect(lambda).toHaveReceivedCommandTimes(GetAliasCommand, 3);
    lambda.restore();
  });
});
