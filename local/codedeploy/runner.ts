// Runs a deployment across its group's instances the way CodeDeploy schedules one: a rolling window sized
// by the minimum healthy hosts, stopping once too many instances failed, then the overall status and event.
import { runTarget, skipRemaining } from './agent';
import type { Context } from './context';
import { stateChangeEvent } from './events';
import { capacity, minimumHealthy, outcome } from './health';
import type { Deployment, DeploymentStatus, LocalInstance, Target } from './types';
import { LIFECYCLE_EVENTS } from './types';

const ERRORS = {
  HEALTH_CONSTRAINTS:
    'The overall deployment failed because too many individual instances failed deployment, too few healthy ' +
    'instances are available for deployment, or some instances in your deployment group are experiencing problems.',
  HEALTH_CONSTRAINTS_INVALID:
    'The deployment failed because the minimum number of healthy instances is not less than the number of ' +
    'instances in the deployment group, so no instance can be taken offline.',
  NO_INSTANCES: 'The deployment failed because no instances were found for your deployment group.',
  MANUAL_STOP: 'The deployment was stopped by the user.',
  INTERNAL_ERROR: 'The local CodeDeploy stand-in failed: ',
} as const;
type ErrorCode = keyof typeof ERRORS;

const newTarget = (instance: LocalInstance): Target => ({
  targetId: instance.id,
  instance,
  status: 'Pending',
  lastUpdatedAt: Date.now(),
  lifecycleEvents: LIFECYCLE_EVENTS.map((name) => ({ lifecycleEventName: name, status: 'Pending' })),
});

const emit = async (ctx: Context, d: Deployment, state: 'START' | 'SUCCESS' | 'FAILURE' | 'STOP') => {
  try {
    await ctx.onStateChange?.(stateChangeEvent(ctx, d, state));
  } catch (error) {
    console.error(`local CodeDeploy: onStateChange failed for ${d.deploymentId} ${state}:`, error);
  }
};

const finish = async (
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

const skipTargets = (targets: Target[]) => {
  for (const target of targets) skipRemaining(target, 'Skipped');
};

const deploy = async (ctx: Context, d: Deployment): Promise<DeploymentStatus> => {
  if (d.stopRequested) return finish(ctx, d, 'Stopped', 'MANUAL_STOP');
  const config = ctx.store.config(d.deploymentConfigName);
  // CodeDeploy deploys to unhealthy instances (failed last time, or never deployed to) first.
  const instances = ctx.store.instances(d.applicationName, d.deploymentGroupName);
  const healthy = (i: LocalInstance) => (ctx.store.healthy.has(i.id) ? 1 : 0);
  d.targets = [...instances].sort((a, b) => healthy(a) - healthy(b) || a.index - b.index).map(newTarget);
  d.status = 'InProgress';
  d.startTime = Date.now();
  await emit(ctx, d, 'START');

  const fleet = d.targets.length;
  if (fleet === 0) return finish(ctx, d, 'Failed', 'NO_INSTANCES');
  const minHealthy = minimumHealthy(config, fleet);
  if (capacity(fleet, 0, minHealthy) === 0) {
    skipTargets(d.targets);
    return finish(ctx, d, 'Failed', 'HEALTH_CONSTRAINTS_INVALID');
  }
  let failed = 0;
  let succeeded = 0;
  const queue = [...d.targets];
  const running = new Map<string, Promise<void>>();
  for (;;) {
    while (!d.stopRequested && running.size < capacity(fleet, failed, minHealthy)) {
      const target = queue.shift();
      if (!target) break;
      const run = runTarget(ctx, d, target).then((ok) => {
        if (ok) succeeded += 1;
        else failed += 1;
        running.delete(target.targetId);
      });
      running.set(target.targetId, run);
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  skipTargets(queue);
  if (d.stopRequested) return finish(ctx, d, 'Stopped', 'MANUAL_STOP');
  if (queue.length > 0) return finish(ctx, d, 'Failed', 'HEALTH_CONSTRAINTS');
  const status = outcome(succeeded, minHealthy);
  return finish(ctx, d, status, status === 'Failed' ? 'HEALTH_CONSTRAINTS' : undefined);
};

/** Starts a created deployment in the background, as CodeDeploy does after CreateDeployment returns. */
export const startDeployment = (ctx: Context, d: Deployment): void => {
  const run = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => deploy(ctx, d))
    .catch((error: unknown) => {
      skipTargets(d.targets);
      return finish(
        ctx,
        d,
        'Failed',
        'INTERNAL_ERROR',
        error instanceof Error ? error.message : String(error),
      );
    });
  ctx.runs.set(d.deploymentId, run);
};

/** StopDeployment: no new lifecycle events are scheduled; events already running finish. */
export const requestStop = (d: Deployment): void => {
  d.stopRequested = true;
};
