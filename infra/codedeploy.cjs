// The CodeDeploy side of the stack, from pipeline.yml: per application that is not `existing`, its
// CodeDeploy application (EC2/on-premises), a service role, and one deployment group per environment.
const { load } = require('./pipeline.cjs');
const { arn, logicalIds, sub } = require('./names.cjs');

const ROLLBACK_EVENTS = {
  'deployment-failure': 'DEPLOYMENT_FAILURE',
  'stop-on-alarm': 'DEPLOYMENT_STOP_ON_ALARM',
  'stop-on-request': 'DEPLOYMENT_STOP_ON_REQUEST',
};

const created = () => Object.entries(load().applications).filter(([, app]) => !app.existing);

const tagFilter = ({ key, value }) => ({
  ...(key !== undefined ? { Key: key } : {}),
  ...(value !== undefined ? { Value: value } : {}),
  Type: key === undefined ? 'VALUE_ONLY' : value === undefined ? 'KEY_ONLY' : 'KEY_AND_VALUE',
});

const instances = ({ ec2Tags, ec2TagGroups, autoScalingGroups }) => ({
  ...(ec2Tags.length > 0 ? { Ec2TagFilters: ec2Tags.map(tagFilter) } : {}),
  ...(ec2TagGroups.length > 0
    ? { Ec2TagSet: { Ec2TagSetList: ec2TagGroups.map((g) => ({ Ec2TagGroup: g.map(tagFilter) })) } }
    : {}),
  ...(autoScalingGroups.length > 0 ? { AutoScalingGroups: autoScalingGroups } : {}),
});

const blueGreen = (bg) => ({
  GreenFleetProvisioningOption: {
    Action: bg.greenFleet === 'discover-existing' ? 'DISCOVER_EXISTING' : 'COPY_AUTO_SCALING_GROUP',
  },
  TerminateBlueInstancesOnDeploymentSuccess:
    bg.originalInstances === 'terminate'
      ? { Action: 'TERMINATE', TerminationWaitTimeInMinutes: bg.terminateAfterMinutes }
      : { Action: 'KEEP_ALIVE' },
  DeploymentReadyOption:
    bg.reroute === 'manual'
      ? { ActionOnTimeout: 'STOP_DEPLOYMENT', WaitTimeInMinutes: bg.manualRerouteMinutes }
      : { ActionOnTimeout: 'CONTINUE_DEPLOYMENT' },
});

/** A group's deployment style, blue/green settings and target group (the local stack's groups take these too). */
const groupStyle = (g) => {
  const traffic = g.style === 'blue-green' || g.targetGroup !== undefined;
  return {
    DeploymentStyle: {
      DeploymentType: g.style === 'blue-green' ? 'BLUE_GREEN' : 'IN_PLACE',
      DeploymentOption: traffic ? 'WITH_TRAFFIC_CONTROL' : 'WITHOUT_TRAFFIC_CONTROL',
    },
    ...(g.blueGreen ? { BlueGreenDeploymentConfiguration: blueGreen(g.blueGreen) } : {}),
    ...(g.targetGroup ? { LoadBalancerInfo: { TargetGroupInfoList: [{ Name: g.targetGroup }] } } : {}),
  };
};

const groupProperties = (app, env, roleId) => {
  const g = env.group;
  return {
    ApplicationName: app.codedeployApplication,
    DeploymentGroupName: env.deploymentGroup,
    ServiceRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
    DeploymentConfigName: g.deploymentConfig,
    ...instances(g.instances),
    ...groupStyle(g),
    AlarmConfiguration:
      g.alarms.length > 0
        ? { Enabled: true, Alarms: g.alarms.map((Name) => ({ Name })), IgnorePollAlarmFailure: false }
        : { Enabled: false },
    AutoRollbackConfiguration:
      g.autoRollback.length > 0
        ? { Enabled: true, Events: g.autoRollback.map((e) => ROLLBACK_EVENTS[e]) }
        : { Enabled: false },
  };
};

// A copy of an Auto Scaling group built from a launch template: CodeDeploy launches its instances
// itself, so besides AWSCodeDeployRole it needs ec2:RunInstances, ec2:CreateTags and iam:PassRole
// (CodeDeploy User Guide, "Create a service role for CodeDeploy"), PassRole on the instance roles only.
const copiesFleet = (app) =>
  app.environments.some((e) => e.group?.blueGreen && e.group.blueGreen.greenFleet !== 'discover-existing');
const launchPolicy = (app) => ({
  PolicyName: 'launch-replacement-fleet',
  PolicyDocument: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: '*',
        Condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: app.instanceRoles.map((r) =>
          sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${r}`),
        ),
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      },
    ],
  },
});

// The description names Baton's application key: IAM takes only Latin-1 there, CodeDeploy names any script.
const serviceRole = (name, app) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    Description: `CodeDeploy acts with this role on the groups of the Baton application ${name}`,
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'codedeploy.amazonaws.com' },
          Action: 'sts:AssumeRole',
          // Confused-deputy guard: only CodeDeploy acting for this application's groups, here.
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': arn('codedeploy', `deploymentgroup:${app.codedeployApplication}/*`) },
          },
        },
      ],
    },
    ManagedPolicyArns: [sub(`arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRole`)],
    ...(copiesFleet(app) ? { Policies: [launchPolicy(app)] } : {}),
  },
});

const resources = () => {
  const id = logicalIds();
  const out = {};
  for (const [name, app] of created()) {
    const appId = id('CodeDeployApplication', name);
    const roleId = id('CodeDeployServiceRole', name);
    out[appId] = {
      Type: 'AWS::CodeDeploy::Application',
      Properties: { ApplicationName: app.codedeployApplication, ComputePlatform: 'Server' },
    };
    out[roleId] = serviceRole(name, app);
    for (const env of app.environments)
      out[id('DeploymentGroup', name, env.name)] = {
        Type: 'AWS::CodeDeploy::DeploymentGroup',
        DependsOn: [appId],
        Properties: groupProperties(app, env, roleId),
      };
  }
  return out;
};

// Names, not references: operators read them, and they are known before the stack exists.
const outputs = () => {
  const id = logicalIds();
  const out = {};
  for (const [name, app] of created()) {
    out[id('CodeDeployApplicationName', name)] = {
      Description: `The CodeDeploy application of ${name}, created by this stack`,
      Value: app.codedeployApplication,
    };
    out[id('DeploymentGroupNames', name)] = {
      Description: `The deployment groups of ${name}, in promotion order`,
      Value: app.environments.map((e) => e.deploymentGroup).join(','),
    };
  }
  return out;
};

module.exports = { resources, outputs, groupStyle };
