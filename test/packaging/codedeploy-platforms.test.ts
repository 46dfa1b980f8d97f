// The CodeDeploy application, service role and groups the packaged stack creates for ECS and Lambda
// applications (AWS::CodeDeploy::DeploymentGroup's ECSServices, BlueGreenDeploymentConfiguration and
// TargetGroupPairInfoList; a traffic-shifting config for Lambda), beside the shipped EC2 application.
import { beforeAll, describe, expect, it } from 'vitest';
import { resolve } from '../support/cfn-values';
import { actionsOf, asList, functionsOf, LAUNCHING_FOLDERS, type Template } from '../support/packaged';
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
    // CodeDeploy reads the revisions Baton writes per environment, not the artifact.
    expect(policy?.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: { 'Fn::Sub': `\${PipelineBucket.Arn}/ledger/revisions/fn/*` },
      }),
    ]);
    const [ecs] = (role('CodeDeployServiceRoleSvc')?.Policies ?? []) as {
      PolicyDocument: { Statement: { Resource: unknown }[] };
    }[];
    expect(ecs?.PolicyDocument.Statement[0]?.Resource).toEqual({
      'Fn::Sub': `\${PipelineBucket.Arn}/artifacts/svc/*`,
    });
  });

  it("lets exactly the functions that launch deployments (the auditing ones among them) read the declared function's aliases; only artifact-uploaded reads the artifacts", () => {
    const grants = (action: string) =>
      functionsOf(template)
        .map((f) => ({
          folder: f.folder,
          resources: f.statements
            .filter((s) => s.Effect === 'Allow' && actionsOf(s).includes(action))
            .flatMap((s) => asList(s.Resource).map((r) => resolve(template, r))),
        }))
        .filter((g) => g.resources.length > 0)
        .sort((a, b) => a.folder.localeCompare(b.folder));
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:fn-api';
    expect(grants('lambda:GetAlias')).toEqual(
      LAUNCHING_FOLDERS.map((folder) => ({ folder, resources: [fn] })),
    );
    // The audit of a Lambda deployment reads the alias again (GetAlias) wherever it runs.
    const reading = grants('lambda:GetAlias').map((g) => g.folder);
    expect(['deployment-finished', 'operator', 'reconcile'].filter((f) => !reading.includes(f))).toEqual([]);
    // Only artifact-uploaded reads artifacts (it reads a Lambda AppSpec once, at upload); the launches
    // read the AppSpec its artifact record keeps, under the ledger.
    const bucket = resolve(template, { 'Fn::GetAtt': ['PipelineBucket', 'Arn'] });
    const artifactReads = grants('s3:GetObjectVersion')
      .map((g) => ({ ...g, resources: g.resources.filter((r) => String(r).includes('/artifacts/')) }))
      .filter((g) => g.resources.length > 0);
    expect(artifactReads).toEqual([{ folder: 'artifact-uploaded', resources: [`${bucket}/artifacts/*`] }]);
  });
});
