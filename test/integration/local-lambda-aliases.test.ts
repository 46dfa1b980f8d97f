// The local CodeDeploy keeps the Lambda aliases its deployments move, and serves Lambda's GetAlias on
// them through the real Lambda client, in the shapes of Lambda's API model: an alias invokes what the
// last deployment left it on, a rolled-back one what it invoked before; Baton's adapter reads it for the
// audit.
import {
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  GetDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHookFunction } from '../../local/codedeploy';
import { withAliasNow } from '../../shared/audit/audit-evidence';
import type { Evidence } from '../../shared/audit/rules/evidence';
import { lambdaAliases } from '../../shared/aws/lambda-aliases';
import { facts } from '../support/audit';
import { checkOperation } from '../support/aws-model';
import { awsModel } from '../support/aws-models';
import { ROLE, type Stack, startStack, upload } from '../support/local-codedeploy-fixtures';

const model = awsModel('lambda');
let stack: Stack;
let lambda: LambdaClient;
const failing = new Set<string>();

const hook: LocalHookFunction = async (event, context) => {
  const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = await import(
    '@aws-sdk/client-codedeploy'
  );
  const client = new CodeDeployClient({ endpoint: context.codedeployEndpoint, region: context.region });
  await client.send(
    new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId: event.DeploymentId,
      lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
      status: failing.delete(context.functionName) ? 'Failed' : 'Succeeded',
    }),
  );
  client.destroy();
};

const appSpec = (alias: string, current: string, target: string) =>
  JSON.stringify({
    version: 0.0,
    Resources: [
      {
        api: {
          Type: 'AWS::Lambda::Function',
          Properties: { Name: 'fn-api', Alias: alias, CurrentVersion: current, TargetVersion: target },
        },
      },
    ],
    Hooks: [{ AfterAllowTraffic: 'CodeDeployHook_fn-after' }],
  });

const deploy = async (group: string, body: string) => {
  const key = `revisions/fn/${Date.now()}-${group}.json`;
  const object = await upload(stack, key, strToU8(body));
  const created = await stack.codedeploy.send(
    new CreateDeploymentCommand({
      applicationName: 'fn',
      deploymentGroupName: group,
      revision: {
        revisionType: 'S3',
        s3Location: {
          bucket: stack.bucket,
          key,
          bundleType: 'JSON',
          eTag: object.eTag,
          version: object.version,
        },
      },
    }),
  );
  lastDeployment = created.deploymentId ?? '';
  return stack.standIn.waitForDeployment(lastDeployment);
};
let lastDeployment = '';

const aliasVersion = async (name: string) =>
  (await lambda.send(new GetAliasCommand({ FunctionName: 'fn-api', Name: name }))).FunctionVersion;

beforeAll(async () => {
  stack = await startStack({
    minuteMs: 1,
    hookFunctions: { 'CodeDeployHook_fn-after': hook },
    aliases: [
      { functionName: 'fn-api', name: 'dev', functionVersion: '7' },
      { functionName: 'fn-api', name: 'live', functionVersion: '7' },
    ],
  });
  lambda = new LambdaClient({
    endpoint: stack.standIn.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  });
  await stack.codedeploy.send(
    new CreateApplicationCommand({ applicationName: 'fn', computePlatform: 'Lambda' }),
  );
  for (const [group, rollback] of [
    ['fn-dev', false],
    ['fn-production', true],
  ] as const)
    await stack.codedeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'fn',
        deploymentGroupName: group,
        serviceRoleArn: ROLE,
        deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        autoRollbackConfiguration: rollback
          ? { enabled: true, events: ['DEPLOYMENT_FAILURE'] }
          : { enabled: false },
      }),
    );
}, 30_000);

afterAll(async () => {
  lambda?.destroy();
  await stack?.stop();
});

describe("the stand-in's Lambda aliases", () => {
  it('answers GetAlias in the shape of the Lambda API model', async () => {
    const res = await fetch(`${stack.standIn.endpoint}/2015-03-31/functions/fn-api/aliases/live`);
    const body = (await res.json()) as Record<string, unknown>;

    expect(res.status).toBe(200);
    expect(checkOperation(model, 'GetAlias', 'output', body)).toEqual([]);
    expect(body).toMatchObject({
      AliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn-api:live',
      Name: 'live',
      FunctionVersion: '7',
    });
    const out = await lambda.send(
      new GetAliasCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:fn-api',
        Name: 'live',
      }),
    );
    expect(out.FunctionVersion).toBe('7');
    expect(out.RevisionId).toBe(body.RevisionId);
  });

  it('answers an alias that does not exist with ResourceNotFoundException (404)', async () => {
    const error = await lambda
      .send(new GetAliasCommand({ FunctionName: 'fn-api', Name: 'staging' }))
      .catch((e) => e);

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toContain('fn-api:staging');
  });

  it('moves only the alias a deployment names, and keeps it there for the next one', async () => {
    expect(await deploy('fn-dev', appSpec('dev', '7', '8'))).toBe('Succeeded');
    expect([await aliasVersion('dev'), await aliasVersion('live')]).toEqual(['8', '7']);

    expect(await deploy('fn-dev', appSpec('dev', '8', '9'))).toBe('Succeeded');
    expect([await aliasVersion('dev'), await aliasVersion('live')]).toEqual(['9', '7']);
  });

  it('a failed deployment rolled back leaves the alias on the version it invoked before', async () => {
    const before = await lambda.send(new GetAliasCommand({ FunctionName: 'fn-api', Name: 'live' }));
    failing.add('CodeDeployHook_fn-after');

    expect(await deploy('fn-production', appSpec('live', '7', '9'))).toBe('Failed');
    const after = await lambda.send(new GetAliasCommand({ FunctionName: 'fn-api', Name: 'live' }));
    expect(after.FunctionVersion).toBe('7');
    expect(after.RevisionId).toBe(before.RevisionId);
    expect(stack.standIn.aliasVersion('fn-api', 'live')).toBe('7');
  });

  it("gives the audit where the environment's alias points, through Baton's adapter; a failed read is named, not thrown", async () => {
    const aliases = lambdaAliases(lambda);
    const succeeded: Evidence = { deployment: facts({ status: 'Succeeded' }), unreadable: [] };

    const latest = async () => undefined;
    const read = await withAliasNow(aliases, { function: 'fn-api', alias: 'live' }, succeeded, latest);
    expect(read).toMatchObject({
      aliasNow: { functionName: 'fn-api', alias: 'live', functionVersion: '7', additionalVersionWeights: {} },
      unreadable: [],
    });
    const missing = await withAliasNow(aliases, { function: 'fn-api', alias: 'staging' }, succeeded, latest);
    expect(missing.aliasNow).toBeUndefined();
    expect(missing.unreadable).toEqual([
      expect.stringMatching(
        /^GetAlias fn-api:staging: ResourceNotFoundException: Alias not found: .*fn-api:staging$/,
      ),
    ]);
  });

  it.each([
    ['its CurrentVersion is its TargetVersion', appSpec('dev', '9', '9')],
    ['its CurrentVersion is not the version the alias serves', appSpec('dev', '4', '10')],
    [
      'its versions are numbers, not strings',
      appSpec('dev', '9', '10').replace('"9"', '9').replace('"10"', '10'),
    ],
  ])('fails a deployment whose AppSpec cannot move the alias (%s): INVALID_REVISION', async (_, body) => {
    const before = await aliasVersion('dev');
    expect(await deploy('fn-dev', body)).toBe('Failed');
    const { deploymentInfo } = await stack.codedeploy.send(
      new GetDeploymentCommand({ deploymentId: lastDeployment }),
    );
    expect(deploymentInfo?.errorInformation?.code).toBe('INVALID_REVISION');
    expect(await aliasVersion('dev')).toBe(before);
  });
});
