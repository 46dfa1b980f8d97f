// What the stand-in's request handlers and deployment runner share.

import type { ChildProcess } from 'node:child_process';
import type { S3Client } from '@aws-sdk/client-s3';
import type { LambdaAliases } from './lambda-aliases';
import type { LocalFunction } from './lambda-invoke';
import type { LoadBalancer } from './load-balancer';
import type { Store } from './store';
import type { DeploymentStateChangeEvent, DeploymentStatus, HookExecution, LocalHookFunction } from './types';

/**
 * What a blue/green (or traffic-controlled) deployment did with its fleets and its load balancer; for ECS
 * and Lambda, each traffic step (instanceIds then name the replacement task set or the alias).
 */
export interface FleetEvent {
  deploymentId: string;
  /** Epoch milliseconds. */
  at: number;
  kind:
    | 'green-fleet-provisioned'
    | 'traffic-allowed'
    | 'traffic-blocked'
    | 'originals-waiting'
    | 'originals-terminated'
    | 'originals-kept'
    | 'replacements-terminated'
    | 'traffic-shifted';
  instanceIds: string[];
  detail: string;
}

export interface Context {
  store: Store;
  s3: S3Client;
  region: string;
  accountId: string;
  pageSize: number;
  extraHookEnv: Record<string, string>;
  onStateChange?: (event: DeploymentStateChangeEvent) => void | Promise<void>;
  /** Hook processes still running, so stop() can end them. */
  children: Set<ChildProcess>;
  /** Running deployments, so stop() can wait for them. */
  runs: Map<string, Promise<DeploymentStatus>>;
  /** Process groups each instance's hooks started (servers they left running die with the instance). */
  processGroups: Map<string, Set<number>>;
  /** The load balancer of each target group, started when a group first needs it. */
  balancer(targetGroup: string): Promise<LoadBalancer>;
  /** Milliseconds the stand-in waits for one configured minute (blue/green waits). */
  minuteMs: number;
  fleetEvents: FleetEvent[];
  onFleetEvent?: (event: FleetEvent) => void;
  /** ECS and Lambda hook functions by function name, and their executions by hook execution id. */
  hookFunctions: Map<string, LocalHookFunction>;
  hookExecutions: Map<string, HookExecution>;
  /** How long a hook function has to report its status. */
  hookTimeoutMs: number;
  /** The stand-in's own endpoint, where hook functions report. */
  endpoint(): string;
  /** The Lambda aliases deployments move, served by GetAlias. */
  aliases: LambdaAliases;
  /** Functions served by Lambda's Invoke, by function name. */
  functions: Map<string, LocalFunction>;
}

export const applicationArn = (ctx: Context, application: string): string =>
  `arn:aws:codedeploy:${ctx.region}:${ctx.accountId}:application:${application}`;

export const deploymentGroupArn = (ctx: Context, application: string, group: string): string =>
  `arn:aws:codedeploy:${ctx.region}:${ctx.accountId}:deploymentgroup:${application}/${group}`;
