// What the stand-in's request handlers and deployment runner share.
import type { ChildProcess } from 'node:child_process';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Store } from './store';
import type { DeploymentStateChangeEvent, DeploymentStatus } from './types';

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
}

export const applicationArn = (ctx: Context, application: string): string =>
  `arn:aws:codedeploy:${ctx.region}:${ctx.accountId}:application:${application}`;

export const deploymentGroupArn = (ctx: Context, application: string, group: string): string =>
  `arn:aws:codedeploy:${ctx.region}:${ctx.accountId}:deploymentgroup:${application}/${group}`;
