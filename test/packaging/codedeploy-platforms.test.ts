// The CodeDeploy application, service role and groups the packaged stack creates for ECS and Lambda
// applications (AWS::CodeDeploy::DeploymentGroup's ECSServices, BlueGreenDeploymentConfiguration and
// TargetGroupPairInfoList; a traffic-shifting config for Lambda), beside the shipped EC2 application.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Template } from '../support/packaged';
import { ofType, packageWith, shippedPipeline } from '../support/packaged-config';
import { LISTENER, platformApplications } from '../support/platforms';

let template: Template;

beforeAll(() => {
  const raw = shippedPipeline();
  Object.assign(raw.applications, platformApplications());
  raw.applications.svc.environments[1].group.ecs.testListener = LISTENER.replace(
    'fedcba9876543210',
    'aaaabbbbccccdddd',
  );
  template = packageWith(raw);
}, 180_000);

const resource = (type: string, id: string) => ofType(template, type)[id]?.Properties;
const TRAFFIC_SHIFT = { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' };

describe('ECS and Lambda applications in the stack', () => {
  it('creates each application on its compute platform', () => {
    expect(resource('AWS::CodeDeploy::Application', 'CodeDeployApplicationSvc')).toEqual({
      ApplicationName: 'baton-svc',
      ComputePlatform: 'ECS',
    });
    expect(resource('AWS::CodeDeploy::Application', 'CodeDeployApplicationFn')).toEqual({
      ApplicationName: 'baton-fn',
      ComputePlatform: 'Lambda',
    });
    expect(resource('AWS::CodeDeploy::Application', 'CodeDeployApplicationWeb')?.ComputePlatform).toBe(
      'Server',
    );
  });

  it('deploys the ECS service blue/green behind its two target groups and listeners', () => {
    const production = resource('AWS::CodeDeploy::DeploymentGroup', 'DeploymentGroupSvcProduction');
    expect(production).toEqual({
      ApplicationName: 'baton-svc',
      DeploymentGroupName: 'svc-production',
      ServiceRoleArn: { 'Fn::GetAtt': ['CodeDeployServiceRoleSvc', 'Arn'] },
      DeploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      DeploymentStyle: TRAFFIC_SHIFT,
      ECSServices: [{ ClusterName: 'baton', ServiceName: 'svc-production' }],
      BlueGreenDeploymentConfiguration: {
        DeploymentReadyOption: { ActionOnTimeout: 'CONTINUE_DEPLOYMENT' },
        TerminateBlueInstancesOnDeploymentSuccess: { Action: 'TERMINATE', TerminationWaitTimeInMinutes: 60 },
      },
      LoadBalancerInfo: {
        TargetGroupPairInfoList: [
          {
            TargetGroups: [{ Name: 'svc-production-blue' }, { Name: 'svc-production-green' }],
            ProdTrafficRoute: { ListenerArns: [LISTENER] },
            TestTrafficRoute: { ListenerArns: [LISTENER.replace('fedcba9876543210', 'aaaabbbbccccdddd')] },
          },
        ],
      },
      AlarmConfiguration: { Enabled: false },
      AutoRollbackConfiguration: { Enabled: false },
    });
    const dev = resource('AWS::CodeDeploy::DeploymentGroup', 'DeploymentGroupSvcDev');
    expect(dev?.LoadBalancerInfo).not.toHaveProperty('TargetGroupPairInfoList.0.TestTrafficRoute');
  });

  it('shifts the Lambda alias by the canary config, with no instances or load balancer', () => {
    expect(resource('AWS::CodeDeploy::DeploymentGroup', 'DeploymentGroupFnDev')).toEqual({
      ApplicationName: 'baton-fn',
      DeploymentGroupName: 'fn-dev',
      ServiceRoleArn: { 'Fn::GetAtt': ['CodeDeployServiceRoleFn', 'Arn'] },
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      DeploymentStyle: TRAFFIC_SHIFT,
      AlarmConfiguration: { Enabled: false },
      AutoRollbackConfiguration: { Enabled: false },
    });
  });

  it('gives each service role its platform’s managed policy and a read of its own AppSpec files only', () => {
    const role = (id: string) => resource('AWS::IAM::Role', id);
    const managed = (name: string) => [{ 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/${name}` }];
    expect(role('CodeDeployServiceRoleSvc')?.ManagedPolicyArns).toEqual(managed('AWSCodeDeployRoleForECS'));
    expect(role('CodeDeployServiceRoleFn')?.ManagedPolicyArns).toEqual(
      managed('service-role/AWSCodeDeployRoleForLambda'),
    );
    expect(role('CodeDeployServiceRoleWeb')?.ManagedPolicyArns).toEqual(
      managed('service-role/AWSCodeDeployRole'),
    );
    const [policy, ...more] = (role('CodeDeployServiceRoleFn')?.Policies ?? []) as {
      PolicyName: string;
      PolicyDocument: { Statement: unknown[] };
    }[];
    expect(more).toEqual([]);
    expect(policy?.PolicyName).toBe('read-appspec-files');
    expect(policy?.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: { 'Fn::Sub': `\${PipelineBucket.Arn}/artifacts/fn/*` },
      }),
    ]);
  });
});
