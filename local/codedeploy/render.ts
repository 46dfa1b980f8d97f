// Renders stored state as CodeDeploy API response shapes. Timestamps go out as epoch seconds (the SDK
// rejects ISO strings).
import type {
  Deployment,
  DeploymentConfig,
  DeploymentGroup,
  LifecycleEvent,
  S3Location,
  ShiftTarget,
  Target,
  TargetStatus,
} from './types';

export const seconds = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : ms / 1000;

const revision = (location: S3Location) => ({ revisionType: 'S3', s3Location: { ...location } });

const loadBalancerInfo = (targetGroup: string | undefined) =>
  targetGroup ? { targetGroupInfoList: [{ name: targetGroup }] } : undefined;

export const overview = (targets: ReadonlyArray<Pick<Target, 'status'>>): Record<string, number> => {
  const counts: Record<Exclude<TargetStatus, 'Unknown'>, number> = {
    Pending: 0,
    InProgress: 0,
    Succeeded: 0,
    Failed: 0,
    Skipped: 0,
    Ready: 0,
  };
  for (const target of targets) if (target.status !== 'Unknown') counts[target.status] += 1;
  return counts;
};

export const deploymentInfo = (d: Deployment) => ({
  applicationName: d.applicationName,
  deploymentGroupName: d.deploymentGroupName,
  deploymentConfigName: d.deploymentConfigName,
  deploymentId: d.deploymentId,
  previousRevision: d.previousRevision ? revision(d.previousRevision) : undefined,
  revision: revision(d.revision),
  status: d.status,
  errorInformation: d.errorInformation,
  createTime: seconds(d.createTime),
  startTime: seconds(d.startTime),
  completeTime: seconds(d.completeTime),
  deploymentOverview: overview(d.shift ? [d.shift] : d.targets),
  description: d.description,
  creator: 'user',
  ignoreApplicationStopFailures: false,
  updateOutdatedInstancesOnly: false,
  deploymentStyle: d.deploymentStyle,
  blueGreenDeploymentConfiguration: d.blueGreen,
  loadBalancerInfo: loadBalancerInfo(d.targetGroup),
  rollbackInfo: d.rollbackInfo,
  instanceTerminationWaitTimeStarted: d.instanceTerminationWaitTimeStarted,
  fileExistsBehavior: d.fileExistsBehavior,
  deploymentStatusMessages: [],
  computePlatform: d.computePlatform,
});

const lifecycleEvents = (events: LifecycleEvent[]) =>
  events.map((e) => ({
    lifecycleEventName: e.lifecycleEventName,
    diagnostics: e.diagnostics,
    startTime: seconds(e.startTime),
    endTime: seconds(e.endTime),
    status: e.status,
  }));

const instanceTarget = (d: Deployment, t: Target, region: string, account: string) => ({
  deploymentTargetType: 'InstanceTarget',
  instanceTarget: {
    deploymentId: d.deploymentId,
    targetId: t.targetId,
    targetArn: `arn:aws:ec2:${region}:${account}:instance/${t.targetId}`,
    status: t.status,
    lastUpdatedAt: seconds(t.lastUpdatedAt),
    lifecycleEvents: lifecycleEvents(t.lifecycleEvents),
    instanceLabel: t.label,
  },
});

/** ECSTarget with its task sets, or LambdaTarget with its LambdaFunctionInfo. */
const shiftTarget = (d: Deployment, t: ShiftTarget) => {
  const common = {
    deploymentId: d.deploymentId,
    targetId: t.targetId,
    targetArn: t.targetArn,
    lastUpdatedAt: seconds(t.lastUpdatedAt),
    lifecycleEvents: lifecycleEvents(t.lifecycleEvents),
    status: t.status,
  };
  return t.kind === 'ecs'
    ? {
        deploymentTargetType: 'ECSTarget',
        ecsTarget: { ...common, taskSetsInfo: (t.taskSets ?? []).map((s) => ({ ...s })) },
      }
    : {
        deploymentTargetType: 'LambdaTarget',
        lambdaTarget: { ...common, lambdaFunctionInfo: { ...t.alias } },
      };
};

export const deploymentTarget = (d: Deployment, t: Target | ShiftTarget, region: string, account: string) =>
  'kind' in t ? shiftTarget(d, t) : instanceTarget(d, t, region, account);

const deploymentSummary = (d: Deployment | undefined) =>
  d && {
    deploymentId: d.deploymentId,
    status: d.status,
    endTime: seconds(d.completeTime),
    createTime: seconds(d.createTime),
  };

export const deploymentGroupInfo = (g: DeploymentGroup, deployments: Map<string, Deployment>) => ({
  applicationName: g.applicationName,
  deploymentGroupId: g.deploymentGroupId,
  deploymentGroupName: g.deploymentGroupName,
  deploymentConfigName: g.deploymentConfigName,
  ec2TagFilters: g.ec2TagFilters,
  onPremisesInstanceTagFilters: [],
  autoScalingGroups: g.autoScalingGroups.map((name) => ({ name })),
  serviceRoleArn: g.serviceRoleArn,
  triggerConfigurations: [],
  deploymentStyle: g.deploymentStyle,
  blueGreenDeploymentConfiguration: g.blueGreen,
  loadBalancerInfo: loadBalancerInfo(g.targetGroup),
  outdatedInstancesStrategy: 'UPDATE',
  lastAttemptedDeployment: deploymentSummary(deployments.get(g.lastAttemptedDeploymentId ?? '')),
  lastSuccessfulDeployment: deploymentSummary(deployments.get(g.lastSuccessfulDeploymentId ?? '')),
  autoRollbackConfiguration: { enabled: g.autoRollbackEvents.length > 0, events: g.autoRollbackEvents },
  computePlatform: g.computePlatform,
  ...(g.ecs
    ? {
        ecsServices: [{ serviceName: g.ecs.serviceName, clusterName: g.ecs.clusterName }],
        loadBalancerInfo: {
          targetGroupPairInfoList: [{ targetGroups: g.ecs.targetGroups.map((name) => ({ name })) }],
        },
      }
    : {}),
});

export const deploymentConfigInfo = (c: DeploymentConfig) => ({
  deploymentConfigId: c.deploymentConfigId,
  deploymentConfigName: c.deploymentConfigName,
  minimumHealthyHosts: c.minimumHealthyHosts,
  trafficRoutingConfig: c.trafficRoutingConfig,
  createTime: seconds(c.createTime),
  computePlatform: c.computePlatform,
});
