// The local CodeDeploy plays ECS and Lambda deployments at the API level, through the real CodeDeploy
// client: task sets or alias versions, traffic in the configuration's steps, hook functions invoked with
// CodeDeploy's event and answering through PutLifecycleEventHookExecutionStatus, and every answer in the
// shapes of the CodeDeploy API model.
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  type DeploymentTarget,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  InvalidLifecycleEventHookExecutionIdException,
  InvalidLifecycleEventHookExecutionStatusException,
  InvalidRevisionException,
  LifecycleEventAlreadyCompletedException,
  PutLifecycleEventHookExecutionStatusCommand,
  UnsupportedActionForDeploymentTypeException,
} from '@aws-sdk/client-codedeploy';
import { strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HookEvent, LocalHookFunction } from '../../local/codedeploy';
import { checkOperation } from '../support/aws-model';
import { awsModel } from '../support/aws-models';
import {
  allTargets,
  appspec,
  createDeployment,
  provision,
  ROLE,
  type Stack,
  startStack,
  upload,
  zipBundle,
} from '../support/local-codedeploy-fixtures';
import { startWireRecorder } from '../support/wire-recorder';

const model = awsModel('codedeploy');
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
let stack: Stack;
let wire: Awaited<ReturnType<typeof startWireRecorder>>;
let client: CodeDeployClient;
/** The hook function invocations, by function name, in order. */
const invoked: { name: string; event: HookEvent }[] = [];
/** Hook function names whose next invocation reports Failed. */
const failing = new Set<string>();

/** What a hook function sends CodeDeploy at the end of its check. */
const report = (event: Partial<HookEvent>, status: string) =>
  client.send(
    new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId: event.DeploymentId,
      lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
      status: status as 'Succeeded' | 'Failed',
    }),
  );

/** A hook function as one is written for AWS: it answers CodeDeploy with the status of its check. */
const reporter =
  (name: string): LocalHookFunction =>
  async (event) => {
    invoked.push({ name, event });
    await report(event, failing.delete(name) ? 'Failed' : 'Succeeded');
  };
// The AWS managed policies of the CodeDeploy service role (AWSCodeDeployRoleForECS, …ForLambda) let it
// invoke only functions named CodeDeployHook_*; 'svc-unprefixed' exists but is not one of them.
const HOOKS = [
  'CodeDeployHook_ecs-before-install',
  'CodeDeployHook_ecs-after-test',
  'CodeDeployHook_ecs-after-allow',
  'CodeDeployHook_fn-before',
  'CodeDeployHook_fn-after',
  'svc-unprefixed',
];

const ecsAppSpec = (hooks: Record<string, string>) =>
  [
    'version: 0.0',
    'Resources:',
    '  - TargetService:',
    '      Type: AWS::ECS::Service',
    '      Properties:',
    '        TaskDefinition: arn:aws:ecs:us-east-1:123456789012:task-definition/svc:7',
    '        LoadBalancerInfo:',
    '          ContainerName: web',
    '          ContainerPort: 8080',
    'Hooks:',
    ...Object.entries(hooks).map(([event, fn]) => `  - ${event}: ${fn}`),
  ].join('\n');

/** An alias's move from the version it serves (`live` starts on 7; each success moves it). */
const lambdaAppSpec = (hooks: Record<string, string>, current = '7', target = '8') =>
  JSON.stringify({
    version: 0.0,
    Resources: [
      {
        api: {
          Type: 'AWS::Lambda::Function',
          Properties: { Name: 'fn-api', Alias: 'live', CurrentVersion: current, TargetVersion: target },
        },
      },
    ],
    Hooks: Object.entries(hooks).map(([event, fn]) => ({ [event]: fn })),
  });

const deploy = async (application: string, group: string, body: string, bundleType: 'YAML' | 'JSON') => {
  const key = `artifacts/${application}/${Date.now()}.${bundleType.toLowerCase()}`;
  const object = await upload(stack, key, strToU8(body));
  const created = await client.send(
    new CreateDeploymentCommand({
      applicationName: application,
      deploymentGroupName: group,
      revision: {
        revisionType: 'S3',
        s3Location: { bucket: stack.bucket, key, bundleType, eTag: object.eTag, version: object.version },
      },
    }),
  );
  const deploymentId = created.deploymentId ?? '';
  const status = await stack.standIn.waitForDeployment(deploymentId);
  const info = (await client.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
  const [target] = await allTargets({ ...stack, codedeploy: client }, deploymentId);
  return { deploymentId, status, info, target: target as DeploymentTarget };
};

const events = (t: { lifecycleEvents?: { lifecycleEventName?: string; status?: string }[] } | undefined) =>
  (t?.lifecycleEvents ?? []).map((e) => `${e.lifecycleEventName}:${e.status}`);

const modelProblems = (from: number) =>
  wire.calls
    .slice(from)
    .flatMap((call) => [
      ...checkOperation(model, call.operation, 'input', call.request).map(
        (p) => `${call.operation} request ${p}`,
      ),
      ...(call.status === 200
        ? checkOperation(model, call.operation, 'output', call.response).map(
            (p) => `${call.operation} answer ${p}`,
          )
        : []),
    ]);

beforeAll(async () => {
  stack = await startStack({
    minuteMs: 5,
    hookFunctions: Object.fromEntries(HOOKS.map((n) => [n, reporter(n)])),
    aliases: [{ functionName: 'fn-api', name: 'live', functionVersion: '7' }],
  });
  wire = await startWireRecorder(stack.standIn.endpoint);
  client = new CodeDeployClient({
    endpoint: wire.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  await client.send(new CreateApplicationCommand({ applicationName: 'svc', computePlatform: 'ECS' }));
  for (const [group, rollback] of [
    ['svc-dev', false],
    ['svc-prod', true],
  ] as const)
    await client.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'svc',
        deploymentGroupName: group,
        serviceRoleArn: ROLE,
        deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        ecsServices: [{ clusterName: 'baton', serviceName: group }],
        loadBalancerInfo: {
          targetGroupPairInfoList: [
            {
              targetGroups: [{ name: `${group}-blue` }, { name: `${group}-green` }],
              prodTrafficRoute: {
                listenerArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/svc/1/2'],
              },
            },
          ],
        },
        blueGreenDeploymentConfiguration: {
          deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' },
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 2 },
        },
        autoRollbackConfiguration: rollback
          ? { enabled: true, events: ['DEPLOYMENT_FAILURE'] }
          : { enabled: false },
      }),
    );
  await client.send(new CreateApplicationCommand({ applicationName: 'fn', computePlatform: 'Lambda' }));
  await client.send(
    new CreateDeploymentGroupCommand({
      applicationName: 'fn',
      deploymentGroupName: 'fn-dev',
      serviceRoleArn: ROLE,
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    }),
  );
}, 30_000);
afterAll(async () => {
  client?.destroy();
  await wire?.stop();
  await stack?.stop();
});

describe('an ECS deployment', () => {
  it('starts a Green task set, moves traffic in the linear steps, runs the hook functions in order', async () => {
    const from = wire.calls.length;
    invoked.length = 0;
    const { deploymentId, status, info, target } = await deploy(
      'svc',
      'svc-dev',
      ecsAppSpec({
        BeforeInstall: 'CodeDeployHook_ecs-before-install',
        AfterAllowTestTraffic: 'CodeDeployHook_ecs-after-test',
        AfterAllowTraffic: 'CodeDeployHook_ecs-after-allow',
      }),
      'YAML',
    );

    expect(status).toBe('Succeeded');
    expect(info?.computePlatform).toBe('ECS');
    expect(info?.instanceTerminationWaitTimeStarted).toBe(true);
    expect(target.deploymentTargetType).toBe('ECSTarget');
    expect(target.ecsTarget?.targetId).toBe('baton:svc-dev');
    expect(target.ecsTarget?.status).toBe('Succeeded');
    expect(events(target.ecsTarget)).toEqual([
      'BeforeInstall:Succeeded',
      'Install:Succeeded',
      'AfterInstall:Skipped',
      'AllowTestTraffic:Succeeded',
      'AfterAllowTestTraffic:Succeeded',
      'BeforeAllowTraffic:Skipped',
      'AllowTraffic:Succeeded',
      'AfterAllowTraffic:Succeeded',
    ]);
    const sets = target.ecsTarget?.taskSetsInfo ?? [];
    expect(sets.map((s) => [s.taskSetLabel, s.trafficWeight, s.status, s.targetGroup?.name])).toEqual([
      ['Blue', 0, 'DRAINING', 'svc-dev-blue'],
      ['Green', 100, 'PRIMARY', 'svc-dev-green'],
    ]);
    expect(invoked.map((i) => i.name)).toEqual([
      'CodeDeployHook_ecs-before-install',
      'CodeDeployHook_ecs-after-test',
      'CodeDeployHook_ecs-after-allow',
    ]);
    expect(invoked.every((i) => i.event.DeploymentId === deploymentId)).toBe(true);
    expect(new Set(invoked.map((i) => i.event.LifecycleEventHookExecutionId)).size).toBe(3);
    const steps = stack.standIn.fleetEvents(deploymentId).filter((e) => e.kind === 'traffic-shifted');
    expect(steps.map((e) => e.detail)).toEqual(
      [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((w) => `${w}% of production traffic`),
    );
    expect(steps.every((e) => e.instanceIds[0] === sets[1]?.identifer)).toBe(true);
    expect(modelProblems(from)).toEqual([]);
  });

  it('the next deployment replaces the task set the last one left serving, in the other target group', async () => {
    const first = await deploy('svc', 'svc-dev', ecsAppSpec({}), 'YAML');
    const second = await deploy('svc', 'svc-dev', ecsAppSpec({}), 'YAML');
    const served = first.target.ecsTarget?.taskSetsInfo?.find((s) => s.taskSetLabel === 'Green');
    const blue = second.target.ecsTarget?.taskSetsInfo?.find((s) => s.taskSetLabel === 'Blue');
    const green = second.target.ecsTarget?.taskSetsInfo?.find((s) => s.taskSetLabel === 'Green');

    expect(blue?.identifer).toBe(served?.identifer);
    expect(blue?.targetGroup?.name).toBe(served?.targetGroup?.name);
    expect([blue?.targetGroup?.name, green?.targetGroup?.name].sort()).toEqual([
      'svc-dev-blue',
      'svc-dev-green',
    ]);
  });

  it('a hook function that reports Failed fails the deployment; automatic rollback moves traffic back', async () => {
    const from = wire.calls.length;
    failing.add('CodeDeployHook_ecs-after-allow');
    const { status, info, target } = await deploy(
      'svc',
      'svc-prod',
      ecsAppSpec({ AfterAllowTraffic: 'CodeDeployHook_ecs-after-allow' }),
      'YAML',
    );

    expect(status).toBe('Failed');
    expect(info?.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
    expect(info?.rollbackInfo?.rollbackMessage).toMatch(/shifted back/);
    expect(target.ecsTarget?.status).toBe('Failed');
    expect(events(target.ecsTarget).slice(-2)).toEqual([
      'AllowTraffic:Succeeded',
      'AfterAllowTraffic:Failed',
    ]);
    const failed = target.ecsTarget?.lifecycleEvents?.at(-1);
    expect(failed?.diagnostics?.scriptName).toBe('CodeDeployHook_ecs-after-allow');
    expect(failed?.diagnostics?.message).toBe(
      'The AfterAllowTraffic hook function CodeDeployHook_ecs-after-allow reported Failed',
    );
    const sets = target.ecsTarget?.taskSetsInfo ?? [];
    expect(sets.map((s) => [s.taskSetLabel, s.trafficWeight, s.status])).toEqual([
      ['Blue', 100, 'PRIMARY'],
      ['Green', 0, 'ACTIVE'],
    ]);
    expect(modelProblems(from)).toEqual([]);
  });

  it.each([
    [
      'is not there',
      'CodeDeployHook_nobody-home',
      /^The hook function CodeDeployHook_nobody-home does not exist/,
    ],
    [
      'is not named CodeDeployHook_* (the managed service role may not invoke it)',
      'svc-unprefixed',
      /^The hook function svc-unprefixed was not invoked: the CodeDeploy service role may invoke only functions named CodeDeployHook_\* \(AWSCodeDeployRoleForECS, AWSCodeDeployRoleForLambda\)$/,
    ],
  ])('a hook function that %s fails its event unrun, naming it', async (_, name, message) => {
    invoked.length = 0;
    const { status, target } = await deploy('svc', 'svc-dev', ecsAppSpec({ BeforeInstall: name }), 'YAML');

    expect(status).toBe('Failed');
    expect(events(target.ecsTarget).slice(0, 2)).toEqual(['BeforeInstall:Failed', 'Install:Skipped']);
    expect(target.ecsTarget?.lifecycleEvents?.[0]?.diagnostics?.message).toMatch(message);
    expect(invoked).toEqual([]);
  });

  it('an AppSpec without its container port fails the deployment as INVALID_REVISION', async () => {
    const { status, info } = await deploy(
      'svc',
      'svc-dev',
      ecsAppSpec({}).replace('          ContainerPort: 8080\n', ''),
      'YAML',
    );

    expect(status).toBe('Failed');
    expect(info?.errorInformation?.code).toBe('INVALID_REVISION');
    expect(info?.errorInformation?.message).toMatch(/ContainerPort/);
  });
});

describe('a Lambda deployment', () => {
  it('moves the alias to the target version by the canary step, between its hook functions', async () => {
    const from = wire.calls.length;
    invoked.length = 0;
    const { deploymentId, status, info, target } = await deploy(
      'fn',
      'fn-dev',
      lambdaAppSpec({
        BeforeAllowTraffic: 'CodeDeployHook_fn-before',
        AfterAllowTraffic: 'CodeDeployHook_fn-after',
      }),
      'JSON',
    );

    expect(status).toBe('Succeeded');
    expect(info?.computePlatform).toBe('Lambda');
    expect(target.deploymentTargetType).toBe('LambdaTarget');
    expect(target.lambdaTarget?.targetId).toBe('fn-api:live');
    expect(events(target.lambdaTarget)).toEqual([
      'BeforeAllowTraffic:Succeeded',
      'AllowTraffic:Succeeded',
      'AfterAllowTraffic:Succeeded',
    ]);
    expect(target.lambdaTarget?.lambdaFunctionInfo).toEqual({
      functionName: 'fn-api',
      functionAlias: 'live',
      currentVersion: '7',
      targetVersion: '8',
      targetVersionWeight: 100,
    });
    expect(invoked.map((i) => i.name)).toEqual(['CodeDeployHook_fn-before', 'CodeDeployHook_fn-after']);
    const steps = stack.standIn.fleetEvents(deploymentId).filter((e) => e.kind === 'traffic-shifted');
    expect(steps.map((e) => e.detail)).toEqual(['10% of production traffic', '100% of production traffic']);
    // The canary's five minutes passed (5 ms each here) between the two steps.
    expect((steps[1]?.at ?? 0) - (steps[0]?.at ?? 0)).toBeGreaterThanOrEqual(24);
    expect(modelProblems(from)).toEqual([]);
  });

  it('a failed AfterAllowTraffic hook without automatic rollback fails the deployment where traffic is', async () => {
    failing.add('CodeDeployHook_fn-after');
    const { status, target } = await deploy(
      'fn',
      'fn-dev',
      lambdaAppSpec({ AfterAllowTraffic: 'CodeDeployHook_fn-after' }, '8', '9'),
      'JSON',
    );

    expect(status).toBe('Failed');
    expect(target.lambdaTarget?.status).toBe('Failed');
    expect(events(target.lambdaTarget)).toEqual([
      'BeforeAllowTraffic:Skipped',
      'AllowTraffic:Succeeded',
      'AfterAllowTraffic:Failed',
    ]);
    expect(target.lambdaTarget?.lambdaFunctionInfo?.targetVersionWeight).toBe(100);
  });
});

describe('the platform rules of the API', () => {
  it('reports the groups and configurations of ECS and Lambda in the model shapes', async () => {
    const from = wire.calls.length;
    const group = await client.send(
      new GetDeploymentGroupCommand({ applicationName: 'svc', deploymentGroupName: 'svc-prod' }),
    );
    const config = await client.send(
      new GetDeploymentConfigCommand({
        deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      }),
    );

    expect(group.deploymentGroupInfo?.computePlatform).toBe('ECS');
    expect(group.deploymentGroupInfo?.ecsServices).toEqual([
      { clusterName: 'baton', serviceName: 'svc-prod' },
    ]);
    expect(group.deploymentGroupInfo?.autoRollbackConfiguration).toEqual({
      enabled: true,
      events: ['DEPLOYMENT_FAILURE'],
    });
    expect(config.deploymentConfigInfo?.trafficRoutingConfig).toEqual({
      type: 'TimeBasedCanary',
      timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 },
    });
    expect(modelProblems(from)).toEqual([]);
  });

  it('a Lambda group needs no deployment style: it is blue/green with traffic control', async () => {
    const from = wire.calls.length;
    await client.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'fn',
        deploymentGroupName: 'fn-styleless',
        serviceRoleArn: ROLE,
        deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
      }),
    );
    const group = await client.send(
      new GetDeploymentGroupCommand({ applicationName: 'fn', deploymentGroupName: 'fn-styleless' }),
    );

    expect(group.deploymentGroupInfo?.deploymentStyle).toEqual({
      deploymentType: 'BLUE_GREEN',
      deploymentOption: 'WITH_TRAFFIC_CONTROL',
    });
    expect(modelProblems(from)).toEqual([]);
  });

  it('refuses an archive for ECS, an AppSpec file for Server, and a configuration of another platform', async () => {
    await provision(stack, 'web', 'web-dev', 1);
    await expect(
      createDeployment({ ...stack, codedeploy: client }, 'svc', 'svc-dev', zipBundle({})),
    ).rejects.toThrow(InvalidRevisionException);
    const key = 'artifacts/web/a.yaml';
    await upload(stack, key, strToU8(ecsAppSpec({})));
    const yamlOnServer = client.send(
      new CreateDeploymentCommand({
        applicationName: 'web',
        deploymentGroupName: 'web-dev',
        revision: { revisionType: 'S3', s3Location: { bucket: stack.bucket, key, bundleType: 'YAML' } },
      }),
    );
    await expect(yamlOnServer).rejects.toThrow(/Server revision must be one of zip, tar, tgz/);
    const serverConfig = client.send(
      new CreateDeploymentCommand({
        applicationName: 'svc',
        deploymentGroupName: 'svc-dev',
        deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
        revision: { revisionType: 'S3', s3Location: { bucket: stack.bucket, key, bundleType: 'YAML' } },
      }),
    );
    await expect(serverConfig).rejects.toThrow(/not a deployment configuration of the ECS platform/);
  });

  it('PutLifecycleEventHookExecutionStatus answers its documented exceptions', async () => {
    let execution: HookEvent | undefined;
    stack.standIn.addHookFunctions({
      // Reports twice: the second answer comes after the event completed.
      CodeDeployHook_twice: async (event) => {
        execution = event;
        const put = (status: string) => report(event, status);
        await expect(put('InProgress')).rejects.toThrow(InvalidLifecycleEventHookExecutionStatusException);
        const answer = await put('Succeeded');
        expect(answer.lifecycleEventHookExecutionId).toBe(event.LifecycleEventHookExecutionId);
        await expect(put('Succeeded')).rejects.toThrow(LifecycleEventAlreadyCompletedException);
      },
    });
    const { deploymentId, status } = await deploy(
      'fn',
      'fn-dev',
      lambdaAppSpec({ BeforeAllowTraffic: 'CodeDeployHook_twice' }, '8', '9'),
      'JSON',
    );
    await new Promise((r) => setTimeout(r, 50));

    expect(status).toBe('Succeeded');
    expect(execution?.DeploymentId).toBe(deploymentId);
    const unknown = report(
      { DeploymentId: deploymentId, LifecycleEventHookExecutionId: '00000000-0000-0000-0000-000000000000' },
      'Succeeded',
    );
    await expect(unknown).rejects.toThrow(InvalidLifecycleEventHookExecutionIdException);
    const web = await createDeployment(stack, 'web', 'web-dev', zipBundle({ 'appspec.yml': appspec({}) }));
    await stack.standIn.waitForDeployment(web);
    const onServer = report({ ...execution, DeploymentId: web }, 'Succeeded');
    await expect(onServer).rejects.toThrow(UnsupportedActionForDeploymentTypeException);
  });
});
