// What CodeDeploy says about a deployment and its targets, and Lambda of a Lambda deployment's alias,
// in Baton's words (no SDK types here: the adapters map their shapes to these).
import type { AliasRoute } from '../../deployments/rules/lambda-alias';

export const TARGET_STATUSES = [
  'Succeeded',
  'Failed',
  'Skipped',
  'Unknown',
  'Pending',
  'InProgress',
  'Ready',
] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];
export type TargetKind = 'instance' | 'ecs' | 'lambda' | 'cloudformation';

export interface Diagnostics {
  errorCode?: string;
  scriptName?: string;
  message?: string;
  logTail?: string;
}

export interface LifecycleStep {
  name: string;
  status: string;
  diagnostics?: Diagnostics;
}

/** An ECS deployment's task set: Blue the original, Green the replacement; trafficWeight in percent. */
export interface TaskSet {
  id?: string;
  label?: 'Blue' | 'Green';
  status?: string;
  trafficWeight?: number;
}

/** A Lambda deployment's alias shift; targetVersionWeight in percent. */
export interface AliasShift {
  functionName?: string;
  alias?: string;
  currentVersion?: string;
  targetVersion?: string;
  targetVersionWeight?: number;
}

/**
 * Where the environment's alias points after a Lambda deployment, as Lambda's GetAlias says (read only
 * when CodeDeploy says Succeeded): the version it invokes, and any weighted routing to others.
 */
export interface AliasNow extends AliasRoute {
  functionName: string;
  alias: string;
}

export interface Target {
  id: string;
  kind: TargetKind;
  status: TargetStatus;
  /** Blue/green only: Blue is the original fleet being retired, Green the replacement. */
  label?: 'Blue' | 'Green';
  events: LifecycleStep[];
  /** ECS targets: the task sets CodeDeploy reports. */
  taskSets?: TaskSet[];
  /** Lambda targets: where the alias points. */
  alias?: AliasShift;
}

/** What GetDeployment says, in Baton's words. */
export interface DeploymentFacts {
  deploymentId: string;
  codedeployApplication: string;
  deploymentGroup: string;
  /** Created | Queued | InProgress | Baking | Ready | Succeeded | Failed | Stopped */
  status: string;
  computePlatform?: string;
  deploymentConfig?: string;
  /** IN_PLACE | BLUE_GREEN */
  deploymentType?: string;
  overview?: Partial<Record<TargetStatus, number>>;
  creator?: string;
  error?: { code?: string; message?: string };
  rollback?: { deploymentId?: string; triggeredBy?: string; message?: string };
  createdAt?: string;
  completedAt?: string;
}

/** An operator's stop of the deployment, as the ledger recorded it. */
export interface OperatorStop {
  by: string;
  reason: string;
  /** CodeDeploy was asked to roll the deployment back itself. */
  autoRollback: boolean;
}

export interface Evidence {
  deployment?: DeploymentFacts;
  targets?: Target[];
  /** Who stopped it and why, when an operator did (only read for a Stopped deployment). */
  stop?: OperatorStop;
  /** A Lambda deployment CodeDeploy calls Succeeded: the environment's alias, as Lambda says it is now. */
  aliasNow?: AliasNow;
  /** Why the alias was not asked: a newer deployment has moved it since (CodeDeploy's facts decide). */
  aliasSkipped?: string;
  /** What could not be read, and why (API errors after retries). */
  unreadable: string[];
}

const FINISHED = new Set(['Succeeded', 'Failed', 'Stopped']);
/** Whether CodeDeploy is done with the deployment (Ready waits for a blue/green traffic switch). */
export const isFinished = (status: string): boolean => FINISHED.has(status);
