// Runs a deployment across its group's instances the way CodeDeploy schedules one: a rolling window sized
// by the minimum healthy hosts, stopping once too many instances failed, then the overall status and event.
import { runTarget } from './agent';
import { deployBlueGreen } from './blue-green';
import type { Context } from './context';
import { emit, ensurePorts, finish, newTarget, skipTargets } from './finish';
import { capacity, minimumHealthy, outcome } from './health';
import { deployTrafficShift } from './traffic-shift';
import type { Deployment, DeploymentStatus, LocalInstance } from './types';
import { IN_PLACE_TRAFFIC_EVENTS, LIFECYCLE_EVENTS } from './types';

const deploy = async (ctx: Context, d: Deployment): Promise<DeploymentStatus> => {
  if (d.stopRequested) return finish(ctx, d, 'Stopped', 'MANUAL_STOP');
  if (d.computePlatform !== 'Server') return deployTrafficShift(ctx, d);
  if (d.deploymentStyle.deploymentType === 'BLUE_GREEN') return deployBlueGreen(ctx, d);
  const config = ctx.store.hostsConfig(d.deploymentConfigName);
  // CodeDeploy deploys to unhealthy instances (failed last time, or never deployed to) first.
  const instances = ctx.store.instances(d.applicationName, d.deploymentGroupName);
  await ensurePorts(instances);
  const healthy = (i: LocalInstance) => (ctx.store.healthy.has(i.id) ? 1 : 0);
  // With traffic control each instance leaves the load balancer while it is updated.
  const events =
    d.deploymentStyle.deploymentOption === 'WITH_TRAFFIC_CONTROL'
      ? IN_PLACE_TRAFFIC_EVENTS
      : LIFECYCLE_EVENTS;
  d.targets = [...instances]
    .sort((a, b) => healthy(a) - healthy(b) || a.index - b.index)
    .map((i) => newTarget(i, events));
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
  d.waiting?.end();
};
