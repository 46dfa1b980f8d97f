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
export type LifecycleEventName = (typeof LIFECYCLE_EVENTS)[number];

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
}

export interface Target {
  targetId: string;
  instance: LocalInstance;
  status: TargetStatus;
  lastUpdatedAt: number;
  lifecycleEvents: LifecycleEvent[];
}

export interface S3Location {
  bucket: string;
  key: string;
  bundleType: 'zip' | 'tar' | 'tgz';
  eTag?: string;
  version?: string;
}

export interface Application {
  applicationId: string;
  applicationName: string;
  createTime: number;
}

export interface DeploymentConfig {
  deploymentConfigId: string;
  deploymentConfigName: string;
  minimumHealthyHosts: { type: MinimumHealthyHostsType; value: number };
  createTime: number;
}

export interface DeploymentGroup {
  applicationName: string;
  deploymentGroupId: string;
  deploymentGroupName: string;
  deploymentConfigName: string;
  serviceRoleArn: string;
  ec2TagFilters: unknown[];
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
  status: DeploymentStatus;
  createTime: number;
  startTime?: number;
  completeTime?: number;
  errorInformation?: { code: string; message: string };
  targets: Target[];
  stopRequested: boolean;
}

/** Makes instance `instanceIndex` (0-based, as in `instances(app, group)`) of a group fail `hook`. */
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
