// The CodeDeploy side of the stack, from pipeline.yml: per application that is not `existing`, its
// CodeDeploy application (on its compute platform), a service role, and one deployment group per environment.
const { load } = require('./pipeline.cjs');
const { arn, artifactKeyPrefix, logicalIds, sub } = require('./names.cjs');

// The AWS managed policy CodeDeploy's service role takes per compute platform (CodeDeploy User Guide,
// "Create a service role for CodeDeploy").
const MANAGED_POLICY = {
  Server: 'service-role/AWSCodeDeployRole',
  ECS: 'AWSCodeDeployRoleForECS',
  Lambda: 'service-role/AWSCodeDeployRoleForLambda',
};

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

// ECS and Lambda deployments always shift traffic from the original to the replacement.
const TRAFFIC_SHIFT = { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' };

// An ECS service's task sets behind two target groups; the original task set stops after the wait.
const ecsService = (ecs) => ({
  DeploymentStyle: TRAFFIC_SHIFT,
  ECSServices: [{ ClusterName: ecs.cluster, ServiceName: ecs.service }],
  BlueGreenDeploymentConfiguration: {
    DeploymentReadyOption: { ActionOnTimeout: 'CONTINUE_DEPLOYMENT' },
    TerminateBlueInstancesOnDeploymentSuccess: {
      Action: 'TERMINATE',
      TerminationWaitTimeInMinutes: ecs.terminateAfterMinutes,
    },
  },
  LoadBalancerInfo: {
    TargetGroupPairInfoList: [
      {
        TargetGroups: ecs.targetGroups.map((Name) => ({ Name })),
        ProdTrafficRoute: { ListenerArns: [ecs.prodListener] },
        ...(ecs.testListener ? { TestTrafficRoute: { ListenerArns: [ecs.testListener] } } : {}),
      },
    ],
  },
});

/** What a group deploys to: instances (Server), an ECS service, or a Lambda alias (named by the AppSpec). */
const platformTargets = (platform, g) => {
  if (platform === 'ECS') return ecsService(g.ecs);
  if (platform === 'Lambda') return { DeploymentStyle: TRAFFIC_SHIFT };
  return { ...instances(g.instances), ...groupStyle(g) };
};

const groupProperties = (app, env, roleId) => {
  const g = env.group;
  return {
    ApplicationName: app.codedeployApplication,
    DeploymentGroupName: env.deploymentGroup,
    ServiceRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
    DeploymentConfigName: g.deploymentConfig,
    ...platformTargets(app.computePlatform, g),
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

// An ECS or Lambda revision is an AppSpec file in the pipeline bucket, which CodeDeploy reads with this
// role (the managed policies read only objects tagged for CodeDeploy): for ECS the application's
// artifacts; for Lambda the revisions Baton writes per environment under the ledger prefix
// (shared/deployments/lambda-revisions.ts), never the artifact itself.
const appSpecKeys = (pipeline, name, app) =>
  app.computePlatform === 'Lambda'
    ? `${pipeline.ledgerPrefix || 'ledger/'}revisions/${encodeURIComponent(name)}/*`
    : `${artifactKeyPrefix(pipeline, name)}*`;
const appSpecPolicy = (pipeline, name, app) => ({
  PolicyName: 'read-appspec-files',
  PolicyDocument: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: sub(`\${PipelineBucket.Arn}/${appSpecKeys(pipeline, name, app)}`),
      },
    ],
  },
});

const rolePolicies = (pipeline, name, app) => [
  ...(copiesFleet(app) ? [launchPolicy(app)] : []),
  ...(app.computePlatform === 'Server' ? [] : [appSpecPolicy(pipeline, name, app)]),
];

// The description names Baton's application key: IAM takes only Latin-1 there, CodeDeploy names any script.
const serviceRole = (pipeline, name, app) => ({
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
    ManagedPolicyArns: [sub(`arn:\${AWS::Partition}:iam::aws:policy/${MANAGED_POLICY[app.computePlatform]}`)],
    ...(rolePolicies(pipeline, name, app).length > 0 ? { Policies: rolePolicies(pipeline, name, app) } : {}),
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
      Properties: { ApplicationName: app.codedeployApplication, ComputePlatform: app.computePlatform },
    };
    out[roleId] = serviceRole(load(), name, app);
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

module.exports = { resources, outputs, groupStyle, platformTargets, ROLLBACK_EVENTS };
