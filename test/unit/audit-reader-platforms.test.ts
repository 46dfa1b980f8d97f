// ECS, Lambda and CloudFormation targets as BatchGetDeploymentTargets returns them (API reference
// shapes: ecsTarget, lambdaTarget, cloudFormationTarget), through to the verdict.
import type { DeploymentTarget } from '@aws-sdk/client-codedeploy';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { DEPLOYMENT, strict } from '../support/audit';
import { auditOf } from '../support/codedeploy-api';
import { aliasOn } from '../support/platform-targets';

describe('reading targets of every compute platform', () => {
  it('an ECS deployment: its service target must succeed', async () => {
    const ecs: DeploymentTarget = {
      deploymentTargetType: 'ECSTarget',
      ecsTarget: {
        deploymentId: DEPLOYMENT,
        targetId: 'baton-cluster:web',
        targetArn: 'arn:aws:ecs:us-east-1:123456789012:service/baton-cluster/web',
        status: 'Failed',
        lifecycleEvents: [
          { lifecycleEventName: 'BeforeInstall', status: 'Succeeded' },
          { lifecycleEventName: 'Install', status: 'Succeeded' },
          {
            lifecycleEventName: 'AfterAllowTestTraffic',
            status: 'Failed',
            diagnostics: { errorCode: 'UnknownError', message: 'hook returned Failed' },
          },
        ],
        taskSetsInfo: [
          {
            identifer: 'ecs-svc/1',
            desiredCount: 2,
            runningCount: 2,
            status: 'ACTIVE',
            trafficWeight: 0,
            taskSetLabel: 'Green',
          },
        ],
      },
    };
    const { report } = await auditOf([ecs], {
      computePlatform: 'ECS',
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    });
    expect(report).toMatchObject({
      verdict: 'PARTIAL',
      failing: [
        {
          id: 'baton-cluster:web',
          kind: 'ecs',
          event: { name: 'AfterAllowTestTraffic', errorCode: 'UnknownError' },
        },
      ],
    });
  });

  it('a Lambda deployment: its function alias target succeeded, and GetAlias finds it on the target version → VERIFIED', async () => {
    const lambda: DeploymentTarget = {
      deploymentTargetType: 'LambdaTarget',
      lambdaTarget: {
        deploymentId: DEPLOYMENT,
        targetId: 'web-api:live',
        targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:web-api:live',
        status: 'Succeeded',
        lifecycleEvents: ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'].map((n) => ({
          lifecycleEventName: n,
          status: 'Succeeded',
        })),
        lambdaFunctionInfo: {
          functionName: 'web-api',
          functionAlias: 'live',
          currentVersion: '7',
          targetVersion: '8',
          // A percentage (the API model's TrafficWeight): all of the alias's traffic.
          targetVersionWeight: 100,
        },
      },
    };
    const live = { ...aliasOn('8'), functionName: 'web-api' };
    const info = { computePlatform: 'Lambda', deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce' };
    const { report } = await auditOf([lambda], info, strict, 100, live);
    expect(report).toMatchObject({ verdict: 'VERIFIED', counts: { expected: 1, succeeded: 1 } });
  });

  it('a CloudFormation target maps like the others', async () => {
    const cfn: DeploymentTarget = {
      deploymentTargetType: 'CloudFormationTarget',
      cloudFormationTarget: {
        deploymentId: DEPLOYMENT,
        targetId: 'ServiceBlueGreen',
        status: 'Succeeded',
        lifecycleEvents: [],
        resourceType: 'AWS::ECS::Service',
        targetVersionWeight: 100,
      },
    };
    const { evidence } = await auditOf([cfn]);
    expect(evidence.targets).toEqual([
      { id: 'ServiceBlueGreen', kind: 'cloudformation', status: 'Succeeded', events: [] },
    ]);
  });
});
