// The CodeDeploy application, service role and deployment groups the packaged stack creates from
// pipeline.yml: the shipped file, a variant with tag groups, alarms and a discovered green fleet,
// and one that adopts existing groups.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Template } from '../support/packaged';
import { ofType, packageWith, shippedPipeline } from '../support/packaged-config';
import { manualBlueGreenGroup } from '../support/pipeline-config';

let shipped: Template;
let variant: Template;
let adopted: Template;

const variantPipeline = () => {
  const raw = shippedPipeline();
  const [dev, staging, production] = raw.applications.web.environments;
  dev.group = {
    instances: { ec2TagGroups: [[{ key: 'app', value: 'web' }], [{ key: 'env' }, { value: 'dev' }]] },
  };
  staging.group = { instances: { ec2Tags: [{ key: 'env', value: 'staging' }] } };
  production.group = {
    ...manualBlueGreenGroup(),
    deploymentConfig: 'web-ten-percent',
    alarms: ['web-5xx', 'web-latency'],
    autoRollback: ['deployment-failure', 'stop-on-alarm'],
  };
  return raw;
};

const adoptingPipeline = () => {
  const raw = shippedPipeline();
  raw.applications.web.existing = true;
  for (const env of raw.applications.web.environments) delete env.group;
  return raw;
};

beforeAll(() => {
  shipped = packageWith(shippedPipeline());
  variant = packageWith(variantPipeline());
  adopted = packageWith(adoptingPipeline());
}, 180_000);

const groups = (t: Template) => ofType(t, 'AWS::CodeDeploy::DeploymentGroup');

describe('CodeDeploy resources from the shipped pipeline.yml', () => {
  it('creates the application on the EC2/on-premises platform, and one group per environment', () => {
    expect(ofType(shipped, 'AWS::CodeDeploy::Application')).toEqual({
      CodeDeployApplicationWeb: {
        Type: 'AWS::CodeDeploy::Application',
        Properties: { ApplicationName: 'baton-web', ComputePlatform: 'Server' },
      },
    });
    expect(Object.keys(groups(shipped))).toEqual([
      'DeploymentGroupWebDev',
      'DeploymentGroupWebStaging',
      'DeploymentGroupWebProduction',
    ]);
  });

  it('chooses dev by tag, in place, without a load balancer', () => {
    const dev = groups(shipped).DeploymentGroupWebDev;
    expect(dev?.DependsOn).toEqual(['CodeDeployApplicationWeb']);
    expect(dev?.Properties).toEqual({
      ApplicationName: 'baton-web',
      DeploymentGroupName: 'web-dev',
      ServiceRoleArn: { 'Fn::GetAtt': ['CodeDeployServiceRoleWeb', 'Arn'] },
      DeploymentConfigName: 'CodeDeployDefault.AllAtOnce',
      Ec2TagFilters: [{ Key: 'baton:group', Value: 'web-dev', Type: 'KEY_AND_VALUE' }],
      DeploymentStyle: { DeploymentType: 'IN_PLACE', DeploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      AlarmConfiguration: { Enabled: false },
      AutoRollbackConfiguration: { Enabled: false },
    });
  });

  it('chooses staging by Auto Scaling group, in place behind its target group', () => {
    const p = groups(shipped).DeploymentGroupWebStaging?.Properties;
    expect(p?.AutoScalingGroups).toEqual(['web-staging']);
    expect(p?.Ec2TagFilters).toBeUndefined();
    expect(p?.DeploymentConfigName).toBe('CodeDeployDefault.HalfAtATime');
    expect(p?.DeploymentStyle).toEqual({
      DeploymentType: 'IN_PLACE',
      DeploymentOption: 'WITH_TRAFFIC_CONTROL',
    });
    expect(p?.LoadBalancerInfo).toEqual({ TargetGroupInfoList: [{ Name: 'web-staging' }] });
  });

  it('deploys production blue/green: a copy of its Auto Scaling group, the original terminated after 60 minutes', () => {
    const p = groups(shipped).DeploymentGroupWebProduction?.Properties;
    expect(p?.DeploymentStyle).toEqual({
      DeploymentType: 'BLUE_GREEN',
      DeploymentOption: 'WITH_TRAFFIC_CONTROL',
    });
    expect(p?.BlueGreenDeploymentConfiguration).toEqual({
      GreenFleetProvisioningOption: { Action: 'COPY_AUTO_SCALING_GROUP' },
      TerminateBlueInstancesOnDeploymentSuccess: { Action: 'TERMINATE', TerminationWaitTimeInMinutes: 60 },
      DeploymentReadyOption: { ActionOnTimeout: 'CONTINUE_DEPLOYMENT' },
    });
    expect(p?.LoadBalancerInfo).toEqual({ TargetGroupInfoList: [{ Name: 'web-production' }] });
    expect(p?.AutoScalingGroups).toEqual(['web-production']);
  });

  it('names the application and its groups in the outputs', () => {
    expect(shipped.Outputs?.CodeDeployApplicationNameWeb?.Value).toBe('baton-web');
    expect(shipped.Outputs?.DeploymentGroupNamesWeb?.Value).toBe('web-dev,web-staging,web-production');
  });
});

describe('CodeDeploy resources from variants of pipeline.yml', () => {
  it('turns tag groups into an EC2 tag set, with key-only and value-only filters', () => {
    expect(groups(variant).DeploymentGroupWebDev?.Properties.Ec2TagSet).toEqual({
      Ec2TagSetList: [
        { Ec2TagGroup: [{ Key: 'app', Value: 'web', Type: 'KEY_AND_VALUE' }] },
        {
          Ec2TagGroup: [
            { Key: 'env', Type: 'KEY_ONLY' },
            { Value: 'dev', Type: 'VALUE_ONLY' },
          ],
        },
      ],
    });
  });

  it('configures a discovered green fleet, kept originals, a manual reroute, alarms and auto-rollback', () => {
    const p = groups(variant).DeploymentGroupWebProduction?.Properties;
    expect(p?.DeploymentConfigName).toBe('web-ten-percent');
    expect(p?.BlueGreenDeploymentConfiguration).toEqual({
      GreenFleetProvisioningOption: { Action: 'DISCOVER_EXISTING' },
      TerminateBlueInstancesOnDeploymentSuccess: { Action: 'KEEP_ALIVE' },
      DeploymentReadyOption: { ActionOnTimeout: 'STOP_DEPLOYMENT', WaitTimeInMinutes: 30 },
    });
    expect(p?.AlarmConfiguration).toEqual({
      Enabled: true,
      Alarms: [{ Name: 'web-5xx' }, { Name: 'web-latency' }],
      IgnorePollAlarmFailure: false,
    });
    expect(p?.AutoRollbackConfiguration).toEqual({
      Enabled: true,
      Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
    });
  });

  it('with existing: true creates no application, no group and no service role', () => {
    expect(ofType(adopted, 'AWS::CodeDeploy::Application')).toEqual({});
    expect(groups(adopted)).toEqual({});
    expect(adopted.Resources.CodeDeployServiceRoleWeb).toBeUndefined();
    expect(adopted.Outputs?.DeploymentGroupNamesWeb).toBeUndefined();
  });
});
