// An EC2 blue/green deployment as CodeDeploy runs one: it provisions a replacement (green) fleet, a
// copy of the group's, installs the revision there, moves the load balancer's traffic to it, blocks
// traffic on the original (blue) instances, then terminates them after the configured wait or keeps
// them. A replacement fleet that fails never receives traffic: the originals keep serving.
import { type Progress, runTarget, skipRemaining } from './agent';
import type { Context } from './context';
import { emit, ensurePorts, finish, fleetEvent, newTarget, terminate } from './finish';
import { blueGreenMinimumHealthy, rerouteBatch } from './health';
import type { BlueGreenConfig, Deployment, DeploymentStatus, Target } from './types';
import { ORIGINAL_EVENTS, REPLACEMENT_EVENTS } from './types';

const DEFAULTS: BlueGreenConfig = {
  terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
  deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
  greenFleetProvisioningOption: { action: 'COPY_AUTO_SCALING_GROUP' },
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Waits `ms`, or until ContinueDeployment with this wait type (or a stop) ends the wait. */
export const wait = (d: Deployment, type: 'READY_WAIT' | 'TERMINATION_WAIT', ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => done(false), ms);
    const done = (continued: boolean) => {
      clearTimeout(timer);
      d.waiting = undefined;
      resolve(continued);
    };
    d.waiting = { type, end: () => done(true) };
    if (d.stopRequested) done(true);
  });

/** Targets left unfinished: their remaining events are Skipped (a failed one stays Failed). */
const abandon = (targets: Target[]) => {
  for (const t of targets) if (t.status !== 'Failed' && t.status !== 'Succeeded') skipRemaining(t, 'Skipped');
};

export const deployBlueGreen = async (ctx: Context, d: Deployment): Promise<DeploymentStatus> => {
  const config = ctx.store.hostsConfig(d.deploymentConfigName);
  const bg = d.blueGreen ?? DEFAULTS;
  const originals = ctx.store
    .instances(d.applicationName, d.deploymentGroupName)
    .filter((i) => !ctx.store.terminated.has(i.id));
  d.status = 'InProgress';
  d.startTime = Date.now();
  if (originals.length === 0) {
    await emit(ctx, d, 'START');
    return finish(ctx, d, 'Failed', 'NO_INSTANCES');
  }
  const greens = ctx.store.provisionReplacements(d.applicationName, d.deploymentGroupName);
  await ensurePorts([...greens, ...originals]);
  const greenTargets = greens.map((i) => newTarget(i, REPLACEMENT_EVENTS, 'Green'));
  const blueTargets = originals.map((i) => newTarget(i, ORIGINAL_EVENTS, 'Blue'));
  d.targets = [...greenTargets, ...blueTargets];
  await emit(ctx, d, 'START');
  const balancer = await ctx.balancer(d.targetGroup ?? d.deploymentGroupName);
  fleetEvent(
    ctx,
    d,
    'green-fleet-provisioned',
    greens,
    `${plural(greens.length, 'replacement instance')} for ${plural(originals.length, 'original')} ` +
      `(${bg.greenFleetProvisioningOption.action === 'COPY_AUTO_SCALING_GROUP' ? 'a copy of the fleet' : 'provisioned for the group'}); ` +
      `target group ${balancer.name} at ${balancer.url} serves ${balancer.registered().join(', ') || 'nothing yet'}`,
  );
  const minHealthy = Math.max(blueGreenMinimumHealthy(config, greens.length), 1);
  const progress = new Map<string, Progress>(greenTargets.map((t) => [t.targetId, {}]));

  // The replacement fleet failed (or the deployment was stopped): it never takes traffic, and goes.
  const giveUp = async (
    status: 'Failed' | 'Stopped',
    code: 'HEALTH_CONSTRAINTS' | 'MANUAL_STOP' | 'TIMEOUT',
  ) => {
    for (const g of greens) await balancer.deregister(g.id);
    abandon(d.targets);
    terminate(ctx, greens);
    fleetEvent(
      ctx,
      d,
      'replacements-terminated',
      greens,
      `the replacement fleet is terminated; the originals keep serving (${balancer.registered().join(', ') || 'none registered'})`,
    );
    return finish(ctx, d, status, code);
  };

  // 1. Install on every replacement instance at once: nothing serves from them yet.
  const results = await Promise.all(
    greenTargets.map((t) =>
      runTarget(ctx, d, t, { until: 'ValidateService', progress: progress.get(t.targetId) }),
    ),
  );
  const installed = greenTargets.filter((_, i) => results[i]);
  if (d.stopRequested) return giveUp('Stopped', 'MANUAL_STOP');
  if (installed.length < minHealthy) return giveUp('Failed', 'HEALTH_CONSTRAINTS');

  // 2. Manual rerouting waits for ContinueDeployment(READY_WAIT), and stops when nobody continues.
  if (bg.deploymentReadyOption.actionOnTimeout === 'STOP_DEPLOYMENT') {
    for (const t of installed) t.status = 'Ready';
    const ms = bg.deploymentReadyOption.waitTimeInMinutes * ctx.minuteMs;
    const continued = await wait(d, 'READY_WAIT', ms);
    if (d.stopRequested) return giveUp('Stopped', 'MANUAL_STOP');
    if (!continued) return giveUp('Stopped', 'TIMEOUT');
  }

  // 3. Reroute: BeforeAllowTraffic, AllowTraffic (register, health check), AfterAllowTraffic, in batches.
  const batch = rerouteBatch(config, greens.length);
  const rerouted: Target[] = [];
  for (let i = 0; i < installed.length && !d.stopRequested; i += batch) {
    const slice = installed.slice(i, i + batch);
    const oks = await Promise.all(
      slice.map((t) => runTarget(ctx, d, t, { progress: progress.get(t.targetId) })),
    );
    rerouted.push(...slice.filter((_, k) => oks[k]));
  }
  if (d.stopRequested) return giveUp('Stopped', 'MANUAL_STOP');
  if (rerouted.length < minHealthy) return giveUp('Failed', 'HEALTH_CONSTRAINTS');
  fleetEvent(
    ctx,
    d,
    'traffic-allowed',
    rerouted.map((t) => t.instance),
    `the load balancer sends traffic to ${rerouted.length} of ${plural(greens.length, 'replacement instance')}` +
      (rerouted.length < greens.length
        ? ` (not to ${greens
            .filter((g) => !rerouted.some((t) => t.instance.id === g.id))
            .map((g) => g.id)
            .join(', ')}, which failed)`
        : ''),
  );

  // 4. Block traffic on the originals (their BeforeBlockTraffic and AfterBlockTraffic come from the
  // revision they run). The replacement fleet is the group's from now on.
  const blocked = await Promise.all(blueTargets.map((t) => runTarget(ctx, d, t)));
  ctx.store.replaceFleet(d.applicationName, d.deploymentGroupName, greens);
  fleetEvent(
    ctx,
    d,
    'traffic-blocked',
    originals,
    `the originals left the load balancer, which serves ${balancer.registered().join(', ')}`,
  );
  if (!blocked.every(Boolean)) return finish(ctx, d, 'Failed', 'HEALTH_CONSTRAINTS');

  // 5. The originals' fate.
  const termination = bg.terminateBlueInstancesOnDeploymentSuccess;
  if (termination.action === 'KEEP_ALIVE') {
    fleetEvent(ctx, d, 'originals-kept', originals, 'the originals keep running, out of the load balancer');
    return finish(ctx, d, 'Succeeded');
  }
  const ms = termination.terminationWaitTimeInMinutes * ctx.minuteMs;
  d.instanceTerminationWaitTimeStarted = true;
  fleetEvent(
    ctx,
    d,
    'originals-waiting',
    originals,
    `the originals are kept ${plural(termination.terminationWaitTimeInMinutes, 'minute')} (${ms} ms here), then terminated`,
  );
  await wait(d, 'TERMINATION_WAIT', ms);
  if (d.stopRequested) return finish(ctx, d, 'Stopped', 'MANUAL_STOP');
  terminate(ctx, originals);
  fleetEvent(ctx, d, 'originals-terminated', originals, 'the originals are terminated');
  return finish(ctx, d, 'Succeeded');
};
