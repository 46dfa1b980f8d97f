// An ECS or Lambda deployment as CodeDeploy runs one, at the API level: the AppSpec file is the
// revision; ECS starts a replacement (Green) task set beside the original (Blue) and moves production
// traffic to it, Lambda moves an alias from its current version to the target one, both in the steps of
// the deployment configuration, with the AppSpec's hook functions between the steps. A failed hook fails
// the deployment; with automatic rollback on failure, traffic goes back to the original.
import { randomInt } from 'node:crypto';
import { wait } from './blue-green';
import { fetchRevision } from './bundle';
import type { Context } from './context';
import { emit, finish, fleetEvent } from './finish';
import { invokeHook } from './hook-functions';
import { AppSpecError, parseEcsAppSpec, parseLambdaAppSpec } from './platform-appspec';
import { trafficSteps } from './traffic';
import type {
  Deployment,
  DeploymentGroup,
  DeploymentStatus,
  LifecycleEvent,
  LifecycleEventName,
  ShiftTarget,
  TaskSet,
} from './types';
import { ECS_EVENTS, LAMBDA_EVENTS, RESERVED_EVENTS } from './types';

const taskSetId = () => `ecs-svc/${Array.from({ length: 19 }, () => randomInt(10)).join('')}`;

const events = (names: readonly LifecycleEventName[]): LifecycleEvent[] =>
  names.map((lifecycleEventName) => ({ lifecycleEventName, status: 'Pending' }));

/** The service's task set before the deployment: what the last one left serving, or the first. */
const originalTaskSet = (g: DeploymentGroup, blueGroup: string): TaskSet => ({
  ...(g.servingTaskSet ?? {
    identifer: taskSetId(),
    desiredCount: 1,
    pendingCount: 0,
    runningCount: 1,
    status: 'PRIMARY',
    trafficWeight: 100,
    targetGroup: { name: blueGroup },
  }),
  taskSetLabel: 'Blue',
});

interface Plan {
  target: ShiftTarget;
  /** What receives the shifted traffic: the replacement task set, or the alias's target version. */
  replacement(): string;
  hooks: Partial<Record<LifecycleEventName, string>>;
  /** Gives the replacement `weight` percent of production traffic. */
  route(weight: number): void;
  /** CodeDeploy's own steps besides AllowTraffic (ECS Install starts the replacement task set). */
  reserved?(event: LifecycleEventName): void;
  /** What a deployment leaves behind: on success the alias invokes the target version; rolled back, the original. */
  settle?(succeeded: boolean): void;
}

const ecsPlan = (ctx: Context, d: Deployment, g: DeploymentGroup, body: string): Plan => {
  const spec = parseEcsAppSpec(body, d.revision.bundleType === 'JSON' ? 'JSON' : 'YAML');
  if (!g.ecs) throw new AppSpecError(`deployment group ${g.deploymentGroupName} names no ECS service`);
  const { clusterName, serviceName, targetGroups } = g.ecs;
  const blue = originalTaskSet(g, targetGroups[0]);
  const greenGroup = targetGroups.find((n) => n !== blue.targetGroup.name) ?? targetGroups[1];
  const target: ShiftTarget = {
    kind: 'ecs',
    targetId: `${clusterName}:${serviceName}`,
    targetArn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service/${clusterName}/${serviceName}`,
    status: 'Pending',
    lastUpdatedAt: Date.now(),
    lifecycleEvents: events(ECS_EVENTS),
    taskSets: [blue],
  };
  const green = (): TaskSet | undefined => target.taskSets?.find((s) => s.taskSetLabel === 'Green');
  return {
    target,
    replacement: () => green()?.identifer ?? '',
    hooks: spec.hooks,
    reserved: (event) => {
      if (event !== 'Install') return;
      target.taskSets?.push({
        identifer: taskSetId(),
        desiredCount: blue.desiredCount,
        pendingCount: 0,
        runningCount: blue.desiredCount,
        status: 'ACTIVE',
        trafficWeight: 0,
        targetGroup: { name: greenGroup },
        taskSetLabel: 'Green',
      });
    },
    route: (weight) => {
      const replacement = green();
      if (!replacement) return;
      replacement.trafficWeight = weight;
      blue.trafficWeight = 100 - weight;
      replacement.status = weight === 100 ? 'PRIMARY' : 'ACTIVE';
      blue.status = weight === 100 ? 'ACTIVE' : 'PRIMARY';
    },
  };
};

const lambdaPlan = (ctx: Context, d: Deployment, body: string): Plan => {
  const spec = parseLambdaAppSpec(body, d.revision.bundleType === 'JSON' ? 'JSON' : 'YAML');
  const { name, alias, currentVersion, targetVersion } = spec.resource;
  // As CodeDeploy fails them: nothing to shift, or a shift from a version the alias does not serve.
  if (currentVersion === targetVersion)
    throw new AppSpecError(`Properties.CurrentVersion and TargetVersion are both ${targetVersion}`);
  const serving = ctx.aliases.get(name, alias)?.functionVersion;
  if (serving !== currentVersion)
    throw new AppSpecError(
      `Properties.CurrentVersion ${currentVersion} is not the version alias ${name}:${alias} serves (${serving ?? 'no such alias'})`,
    );
  const target: ShiftTarget = {
    kind: 'lambda',
    targetId: `${name}:${alias}`,
    targetArn: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${name}:${alias}`,
    status: 'Pending',
    lastUpdatedAt: Date.now(),
    lifecycleEvents: events(LAMBDA_EVENTS),
    alias: {
      functionName: name,
      functionAlias: alias,
      currentVersion,
      targetVersion,
      targetVersionWeight: 0,
    },
  };
  return {
    target,
    replacement: () => `${target.targetId}:${targetVersion}`,
    hooks: spec.hooks,
    route: (weight) => {
      if (target.alias) target.alias.targetVersionWeight = weight;
    },
    settle: (succeeded) => ctx.aliases.set(name, alias, succeeded ? targetVersion : currentVersion),
  };
};

type Step = { ok: true } | { ok: false; message: string };

/** AllowTraffic: the configuration's steps, each after its (time-compressed) wait; a stop ends it. */
const shiftTraffic = async (ctx: Context, d: Deployment, plan: Plan): Promise<Step> => {
  const routing = ctx.store.config(d.deploymentConfigName).trafficRoutingConfig ?? { type: 'AllAtOnce' };
  for (const step of trafficSteps(routing)) {
    if (step.waitMinutes > 0) await wait(d, 'READY_WAIT', step.waitMinutes * ctx.minuteMs);
    if (d.stopRequested) return { ok: false, message: 'The deployment was stopped while traffic shifted' };
    plan.route(step.weight);
    plan.target.lastUpdatedAt = Date.now();
    fleetEvent(
      ctx,
      d,
      'traffic-shifted',
      [{ id: plan.replacement() }],
      `${step.weight}% of production traffic`,
    );
  }
  return { ok: true };
};

const runEvent = async (ctx: Context, d: Deployment, plan: Plan, e: LifecycleEvent): Promise<Step> => {
  const name = e.lifecycleEventName;
  if (name === 'AllowTraffic') return shiftTraffic(ctx, d, plan);
  if (RESERVED_EVENTS.has(name)) {
    plan.reserved?.(name);
    return { ok: true };
  }
  const fn = plan.hooks[name];
  if (!fn) return { ok: true };
  const outcome = await invokeHook(ctx, d, name, fn);
  return outcome.status === 'Succeeded' ? { ok: true } : { ok: false, message: outcome.message };
};

const play = async (ctx: Context, d: Deployment, plan: Plan): Promise<Step> => {
  const t = plan.target;
  t.status = 'InProgress';
  for (const e of t.lifecycleEvents) {
    if (d.stopRequested) return { ok: false, message: 'The deployment was stopped' };
    const hooked = RESERVED_EVENTS.has(e.lifecycleEventName) || plan.hooks[e.lifecycleEventName];
    e.startTime = Date.now();
    e.status = 'InProgress';
    const step = await runEvent(ctx, d, plan, e);
    e.endTime = Date.now();
    t.lastUpdatedAt = e.endTime;
    // An event without a hook function is reported Skipped, as CodeDeploy does.
    e.status = step.ok ? (hooked ? 'Succeeded' : 'Skipped') : 'Failed';
    if (!step.ok) {
      e.diagnostics = {
        errorCode: 'UnknownError',
        scriptName: plan.hooks[e.lifecycleEventName] ?? '',
        message: step.message,
        logTail: '',
      };
      return step;
    }
  }
  return { ok: true };
};

const failedPlan = async (
  ctx: Context,
  d: Deployment,
  message: string,
  code: 'INVALID_REVISION' | 'REVISION_MISSING',
) => {
  d.status = 'InProgress';
  d.startTime = Date.now();
  await emit(ctx, d, 'START');
  return finish(ctx, d, 'Failed', code, message);
};

export const deployTrafficShift = async (ctx: Context, d: Deployment): Promise<DeploymentStatus> => {
  const group = ctx.store.group(d.applicationName, d.deploymentGroupName);
  let body: string;
  try {
    body = new TextDecoder().decode(await fetchRevision(ctx.s3, d.revision));
  } catch (error) {
    return failedPlan(ctx, d, (error as Error).message, 'REVISION_MISSING');
  }
  let plan: Plan;
  try {
    plan = d.computePlatform === 'ECS' ? ecsPlan(ctx, d, group, body) : lambdaPlan(ctx, d, body);
  } catch (error) {
    if (!(error instanceof AppSpecError)) throw error;
    return failedPlan(ctx, d, error.message, 'INVALID_REVISION');
  }
  d.shift = plan.target;
  d.status = 'InProgress';
  d.startTime = Date.now();
  await emit(ctx, d, 'START');
  const step = await play(ctx, d, plan);
  const t = plan.target;
  if (!step.ok) {
    for (const e of t.lifecycleEvents) if (e.status === 'Pending') e.status = 'Skipped';
    t.status = 'Failed';
    t.lastUpdatedAt = Date.now();
    if (d.stopRequested || group.autoRollbackEvents.includes('DEPLOYMENT_FAILURE')) {
      // Traffic goes back to the original task set or version.
      plan.route(0);
      plan.settle?.(false);
      fleetEvent(ctx, d, 'traffic-shifted', [{ id: plan.replacement() }], '0%: back to the original');
      d.rollbackInfo = { rollbackMessage: 'Traffic was shifted back to the original' };
    }
    if (d.stopRequested) return finish(ctx, d, 'Stopped', 'MANUAL_STOP');
    return finish(ctx, d, 'Failed', 'HOOK_EXECUTION_FAILURE', step.message);
  }
  t.status = 'Succeeded';
  plan.settle?.(true);
  const green = t.taskSets?.find((s) => s.taskSetLabel === 'Green');
  if (green) {
    // The original task set serves no more: it is terminated after the group's wait.
    d.instanceTerminationWaitTimeStarted = true;
    const minutes = d.blueGreen?.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes ?? 0;
    if (minutes > 0) await wait(d, 'TERMINATION_WAIT', minutes * ctx.minuteMs);
    for (const s of t.taskSets ?? [])
      if (s.taskSetLabel === 'Blue')
        Object.assign(s, { status: 'DRAINING', desiredCount: 0, runningCount: 0 });
    group.servingTaskSet = { ...green };
  }
  return finish(ctx, d, 'Succeeded');
};
