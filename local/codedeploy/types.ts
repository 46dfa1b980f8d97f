// The local CodeDeploy stand-in's state, shaped like the CodeDeploy API (times are epoch milliseconds here).

export type DeploymentStatus = 'Created' | 'Queued' | 'InProgress' | 'Succeeded' | 'Failed' | 'Stopped';
export type TargetStatus =
  | 'Pending'
  | 'InProgress'
  | 'Succeeded'
  | 'Failed'
  | 'Skipped'
  | 'Unknown'
  | 'Ready';
export type LifecycleEventStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown';
export type LifecycleErrorCode =
  | 'Success'
  | 'ScriptMissing'
  | 'ScriptNotExecutable'
  | 'ScriptTimedOut'
  | 'ScriptFailed'
  | 'UnknownError';
export type FileExistsBehavior = 'DISALLOW' | 'OVERWRITE' | 'RETAIN';
export type MinimumHealthyHostsType = 'HOST_COUNT' | 'FLEET_PERCENT' | 'MOST_CONCURRENCY';

/** In-place lifecycle order for an EC2/on-premises target without a load balancer. */
export const LIFECYCLE_EVENTS = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
] as const;

/** The events that block and allow load balancer traffic (a group with traffic control). */
export const BLOCK_TRAFFIC_EVENTS = ['BeforeBlockTraffic', 'BlockTraffic', 'AfterBlockTraffic'] as const;
export const ALLOW_TRAFFIC_EVENTS = ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'] as const;

/**
 * Blue/green order (CodeDeploy User Guide, "AppSpec 'hooks' section for an EC2/On-Premises deployment",
 * lifecycle event hook availability): replacement instances run the in-place events and then the
 * allow-traffic ones; original instances run only the block-traffic ones.
 */
export const REPLACEMENT_EVENTS = [...LIFECYCLE_EVENTS, ...ALLOW_TRAFFIC_EVENTS] as const;
export const ORIGINAL_EVENTS = BLOCK_TRAFFIC_EVENTS;
/** In place with a load balancer: the instance leaves it, is updated, and joins it again. */
export const IN_PLACE_TRAFFIC_EVENTS = [
  ...BLOCK_TRAFFIC_EVENTS,
  ...LIFECYCLE_EVENTS,
  ...ALLOW_TRAFFIC_EVENTS,
] as const;

/**
 * ECS and Lambda lifecycle events (CodeDeploy User Guide, "AppSpec 'hooks' section": "Run order of hooks
 * in an Amazon ECS deployment" and "in a Lambda function version deployment"). Install, AllowTestTraffic
 * and AllowTraffic are CodeDeploy's own steps; the others run the AppSpec's hook functions.
 */
export const ECS_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  ...ALLOW_TRAFFIC_EVENTS,
] as const;
export const LAMBDA_EVENTS = ALLOW_TRAFFIC_EVENTS;

export type LifecycleEventName = (typeof IN_PLACE_TRAFFIC_EVENTS)[number] | (typeof ECS_EVENTS)[number];
export type ComputePlatform = 'Server' | 'ECS' | 'Lambda';
/** Events the agent performs itself: no appspec script runs for them. */
export const RESERVED_EVENTS: ReadonlySet<LifecycleEventName> = new Set([
  'DownloadBundle',
  'Install',
  'BlockTraffic',
  'AllowTraffic',
  'AllowTestTraffic',
]);

export const isTerminal = (status: DeploymentStatus): boolean =>
  status === 'Succeeded' || status === 'Failed' || status === 'Stopped';

export interface Diagnostics {
  errorCode: LifecycleErrorCode;
  scriptName: string;
  message: string;
  logTail: string;
}

export interface LifecycleEvent {
  lifecycleEventName: LifecycleEventName;
  status: LifecycleEventStatus;
  startTime?: number;
  endTime?: number;
  diagnostics?: Diagnostics;
}

/** A local "instance": a sandbox folder whose `root` plays the instance's `/`. */
export interface LocalInstance {
  id: string;
  index: number;
  root: string;
  /** The loopback port its application listens on (BATON_INSTANCE_PORT in its hooks). */
  port: number;
}

export type InstanceLabel = 'Blue' | 'Green';

export interface Target {
  targetId: string;
  instance: LocalInstance;
  /** Blue: an instance the deployment found (in place, or a blue/green original); Green: a replacement. */
  label: InstanceLabel;
  status: TargetStatus;
  lastUpdatedAt: number;
  lifecycleEvents: LifecycleEvent[];
}

export interface S3Location {
  bucket: string;
  key: string;
  /** Archives for the Server platform; an AppSpec file (YAML or JSON) for ECS and Lambda. */
  bundleType: 'zip' | 'tar' | 'tgz' | 'YAML' | 'JSON';
  eTag?: string;
  version?: string;
}

export interface Application {
  applicationId: string;
  applicationName: string;
  createTime: number;
  computePlatform: ComputePlatform;
}

/** TrafficRoutingConfig of an ECS or Lambda deployment configuration (intervals in minutes). */
export type TrafficRouting =
  | { type: 'AllAtOnce' }
  | { type: 'TimeBasedCanary'; timeBasedCanary: { canaryPercentage: number; canaryInterval: number } }
  | { type: 'TimeBasedLinear'; timeBasedLinear: { linearPercentage: number; linearInterval: number } };

export interface DeploymentConfig {
  deploymentConfigId: string;
  deploymentConfigName: string;
  computePlatform: ComputePlatform;
  /** Server configurations only. */
  minimumHealthyHosts?: { type: MinimumHealthyHostsType; value: number };
  /** ECS and Lambda configurations only. */
  trafficRoutingConfig?: TrafficRouting;
  createTime: number;
}

/** An ECS task set as the stand-in plays it (ECSTaskSet of the API, trafficWeight a percentage). */
export interface TaskSet {
  identifer: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  trafficWeight: number;
  targetGroup: { name: string };
  taskSetLabel: InstanceLabel;
}

/** A Lambda alias moving from its current version to the target one (LambdaFunctionInfo). */
export interface AliasShift {
  functionName: string;
  functionAlias: string;
  currentVersion: string;
  targetVersion: string;
  targetVersionWeight: number;
}

/** The one target of an ECS deployment (the service) or of a Lambda deployment (the alias). */
export interface ShiftTarget {
  kind: 'ecs' | 'lambda';
  targetId: string;
  targetArn: string;
  status: TargetStatus;
  lastUpdatedAt: number;
  lifecycleEvents: LifecycleEvent[];
  taskSets?: TaskSet[];
  alias?: AliasShift;
}

export type DeploymentType = 'IN_PLACE' | 'BLUE_GREEN';
export type DeploymentOption = 'WITH_TRAFFIC_CONTROL' | 'WITHOUT_TRAFFIC_CONTROL';

/** BlueGreenDeploymentConfiguration, as CreateDeploymentGroup takes it (defaults filled). */
export interface BlueGreenConfig {
  terminateBlueInstancesOnDeploymentSuccess: {
    action: 'TERMINATE' | 'KEEP_ALIVE';
    terminationWaitTimeInMinutes: number;
  };
  deploymentReadyOption: {
    actionOnTimeout: 'CONTINUE_DEPLOYMENT' | 'STOP_DEPLOYMENT';
    waitTimeInMinutes: number;
  };
  greenFleetProvisioningOption: { action: 'DISCOVER_EXISTING' | 'COPY_AUTO_SCALING_GROUP' };
}

export interface DeploymentGroup {
  applicationName: string;
  deploymentGroupId: string;
  deploymentGroupName: string;
  deploymentConfigName: string;
  serviceRoleArn: string;
  ec2TagFilters: unknown[];
  autoScalingGroups: string[];
  deploymentStyle: { deploymentType: DeploymentType; deploymentOption: DeploymentOption };
  blueGreen?: BlueGreenConfig;
  /** The target group traffic moves through (LoadBalancerInfo.targetGroupInfoList[0].name). */
  targetGroup?: string;
  computePlatform: ComputePlatform;
  /** ECS: the service and the target group pair its task sets alternate between. */
  ecs?: { clusterName: string; serviceName: string; targetGroups: [string, string] };
  /** ECS: the task set serving production traffic, once a deployment left one. */
  servingTaskSet?: TaskSet;
  /** AutoRollbackConfiguration's events, when enabled. */
  autoRollbackEvents: string[];
  lastAttemptedDeploymentId?: string;
  lastSuccessfulDeploymentId?: string;
}

export interface Deployment {
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  deploymentGroupId: string;
  deploymentConfigName: string;
  revision: S3Location;
  previousRevision?: S3Location;
  description?: string;
  fileExistsBehavior: FileExistsBehavior;
  /** The group's style and blue/green settings when the deployment was created. */
  deploymentStyle: DeploymentGroup['deploymentStyle'];
  blueGreen?: BlueGreenConfig;
  targetGroup?: string;
  /** Set once a blue/green deployment waits to terminate its original instances. */
  instanceTerminationWaitTimeStarted: boolean;
  status: DeploymentStatus;
  createTime: number;
  startTime?: number;
  completeTime?: number;
  errorInformation?: { code: string; message: string };
  computePlatform: ComputePlatform;
  /** Server: the instances. */
  targets: Target[];
  /** ECS and Lambda: the service or alias, once the deployment has started. */
  shift?: ShiftTarget;
  rollbackInfo?: { rollbackMessage: string };
  stopRequested: boolean;
  /** A blue/green wait under way: ContinueDeployment with its type (or a stop) ends it early. */
  waiting?: { type: 'READY_WAIT' | 'TERMINATION_WAIT'; end: () => void };
}

/**
 * Makes instance `instanceIndex` (0-based, as in `instances(app, group)`) of a group fail `hook`. In a
 * blue/green deployment the index is that of the replacement instance (and of the original it replaces).
 */
export interface HookFailure {
  application?: string;
  group: string;
  instanceIndex: number;
  hook: LifecycleEventName;
  exitCode?: number;
}

/** The "CodeDeploy Deployment State-change Notification" event, as EventBridge delivers it. */
export interface DeploymentStateChangeEvent {
  version: '0';
  id: string;
  'detail-type': 'CodeDeploy Deployment State-change Notification';
  source: 'aws.codedeploy';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    region: string;
    deploymentId: string;
    instanceGroupId: string;
    deploymentGroup: string;
    state: 'START' | 'SUCCESS' | 'FAILURE' | 'STOP';
    application: string;
  };
}

// ECS and Lambda hook functions, played by local functions (hook-functions.ts).
/** The event CodeDeploy sends a hook function. */
export interface HookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

/** Where the function answers: the stand-in's CodeDeploy endpoint (AWS_ENDPOINT_URL_CODEDEPLOY in AWS terms). */
export interface HookFunctionContext {
  functionName: string;
  codedeployEndpoint: string;
  region: string;
}

export type LocalHookFunction = (event: HookEvent, context: HookFunctionContext) => unknown;

export interface HookExecution {
  deploymentId: string;
  lifecycleEventName: LifecycleEventName;
  functionName: string;
  completed: boolean;
  settle: (outcome: HookOutcome) => void;
}

export type HookOutcome = { status: 'Succeeded' } | { status: 'Failed'; message: string };
