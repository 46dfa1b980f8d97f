// Builds the "CodeDeploy Deployment State-change Notification" event in the shape EventBridge delivers.
import { randomUUID } from 'node:crypto';
import { applicationArn, type Context, deploymentGroupArn } from './context';
import type { Deployment, DeploymentStateChangeEvent } from './types';

export const stateChangeEvent = (
  ctx: Context,
  d: Deployment,
  state: DeploymentStateChangeEvent['detail']['state'],
): DeploymentStateChangeEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'CodeDeploy Deployment State-change Notification',
  source: 'aws.codedeploy',
  account: ctx.accountId,
  // EventBridge times have no fractional seconds.
  time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region: ctx.region,
  resources: [
    applicationArn(ctx, d.applicationName),
    deploymentGroupArn(ctx, d.applicationName, d.deploymentGroupName),
  ],
  detail: {
    region: ctx.region,
    deploymentId: d.deploymentId,
    instanceGroupId: d.deploymentGroupId,
    deploymentGroup: d.deploymentGroupName,
    state,
    application: d.applicationName,
  },
});
