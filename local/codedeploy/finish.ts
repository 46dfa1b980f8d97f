// What the in-place and blue/green runners share: new targets, the end of a deployment (its status,
// error and state-change event), and instances' ports and termination.
import { freePort } from '../ports';
import { skipRemaining } from './agent';
import type { Context, FleetEvent } from './context';
import { stateChangeEvent } from './events';
import type {
  Deployment,
  DeploymentStatus,
  InstanceLabel,
  LifecycleEventName,
  LocalInstance,
  Target,
} from './types';

const ERRORS = {
  HEALTH_CONSTRAINTS:
    'The overall deployment failed because too many individual instances failed deployment, too few healthy ' +
    'instances are available for deployment, or some instances in your deployment group are experiencing problems.',
  HEALTH_CONSTRAINTS_INVALID:
    'The deployment failed because the minimum number of healthy instances is not less than the number of ' +
    'instances in the deployment group, so no instance can be taken offline.',
  NO_INSTANCES: 'The deployment failed because no instances were found for your deployment group.',
  MANUAL_STOP: 'The deployment was stopped by the user.',
  TIMEOUT:
    'The deployment timed out while waiting for the replacement instances to be ready to receive traffic.',
  INTERNAL_ERROR: 'The local CodeDeploy stand-in failed: ',
  INVALID_REVISION: 'The AppSpec file of the revision is invalid: ',
  REVISION_MISSING: 'The revision could not be read: ',
  HOOK_EXECUTION_FAILURE: 'The deployment failed because a lifecycle hook function failed: ',
} as const;
export type ErrorCode = keyof typeof ERRORS;

export const newTarget = (
  instance: LocalInstance,
  events: readonly LifecycleEventName[],
  label: InstanceLabel = 'Blue',
): Target => ({
  targetId: instance.id,
  instance,
  label,
  status: 'Pending',
  lastUpdatedAt: Date.now(),
  lifecycleEvents: events.map((name) => ({ lifecycleEventName: name, status: 'Pending' })),
});

export const emit = async (ctx: Context, d: Deployment, state: 'START' | 'SUCCESS' | 'FAILURE' | 'STOP') => {
  try {
    await ctx.onStateChange?.(stateChangeEvent(ctx, d, state));
  } catch (error) {
    console.error(`local CodeDeploy: onStateChange failed for ${d.deploymentId} ${state}:`, error);
  }
};

export const finish = async (
  ctx: Context,
  d: Deployment,
  status: DeploymentStatus,
  code?: ErrorCode,
  detail = '',
) => {
  d.status = status;
  d.completeTime = Date.now();
  if (code) d.errorInformation = { code, message: ERRORS[code] + detail };
  if (status === 'Succeeded') {
    ctx.store.group(d.applicationName, d.deploymentGroupName).lastSuccessfulDeploymentId = d.deploymentId;
  }
  await emit(ctx, d, status === 'Succeeded' ? 'SUCCESS' : status === 'Stopped' ? 'STOP' : 'FAILURE');
  return status;
};

export const skipTargets = (targets: Target[]) => {
  for (const target of targets) skipRemaining(target, 'Skipped');
};

/** Each instance gets its loopback port the first time it is deployed to, and keeps it. */
export const ensurePorts = async (instances: LocalInstance[]): Promise<void> => {
  for (const instance of instances) if (instance.port === 0) instance.port = await freePort();
};

export const fleetEvent = (
  ctx: Context,
  d: Deployment,
  kind: FleetEvent['kind'],
  instances: ReadonlyArray<Pick<LocalInstance, 'id'>>,
  detail: string,
): void => {
  const event: FleetEvent = {
    deploymentId: d.deploymentId,
    at: Date.now(),
    kind,
    instanceIds: instances.map((i) => i.id),
    detail,
  };
  ctx.fleetEvents.push(event);
  try {
    ctx.onFleetEvent?.(event);
  } catch (error) {
    console.error('local CodeDeploy: onFleetEvent failed:', error);
  }
};

/** Ends what the instance's hooks left running (its application server); the instance is gone. */
export const terminate = (ctx: Context, instances: LocalInstance[], signal: NodeJS.Signals = 'SIGTERM') => {
  for (const instance of instances) {
    for (const group of ctx.processGroups.get(instance.id) ?? []) {
      try {
        process.kill(-group, signal);
      } catch {
        // already gone
      }
    }
    ctx.processGroups.delete(instance.id);
    ctx.store.terminated.add(instance.id);
    ctx.store.healthy.delete(instance.id);
  }
};
