// Plays the CodeDeploy agent on one local instance: the target's lifecycle events in order (in place,
// in place with a load balancer, or one side of a blue/green deployment), each recorded on the target
// with its diagnostics; after a failure the remaining events are Skipped. BlockTraffic and AllowTraffic
// deregister the instance from the group's load balancer and register it again.
import { mkdir } from 'node:fs/promises';
import { type AppSpec, readAppSpec } from './appspec';
import { downloadBundle } from './bundle';
import type { Context } from './context';
import { runHook } from './hooks';
import { agentPaths, installFiles, lastInstalledArchive } from './install';
import type { Deployment, Diagnostics, LifecycleEventName, Target, TargetStatus } from './types';
import { RESERVED_EVENTS } from './types';

export const processGroupsOf = (ctx: Context, instanceId: string): Set<number> => {
  let groups = ctx.processGroups.get(instanceId);
  if (!groups) {
    groups = new Set();
    ctx.processGroups.set(instanceId, groups);
  }
  return groups;
};

const SUCCESS: Diagnostics = { errorCode: 'Success', scriptName: '', message: 'Succeeded', logTail: '' };

const unknownError = (error: unknown): Diagnostics => ({
  errorCode: 'UnknownError',
  scriptName: '',
  message: error instanceof Error ? error.message : String(error),
  logTail: '',
});

const hookEnv = (ctx: Context, d: Deployment, target: Target, event: string): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  HOME: process.env.HOME ?? target.instance.root,
  LANG: process.env.LANG ?? 'C.UTF-8',
  ...ctx.extraHookEnv,
  LIFECYCLE_EVENT: event,
  DEPLOYMENT_ID: d.deploymentId,
  APPLICATION_NAME: d.applicationName,
  DEPLOYMENT_GROUP_NAME: d.deploymentGroupName,
  DEPLOYMENT_GROUP_ID: d.deploymentGroupId,
  BATON_LOCAL_INSTANCE_ID: target.instance.id,
  BATON_INSTANCE_ROOT: target.instance.root,
  BATON_INSTANCE_PORT: String(target.instance.port),
});

/** Events whose scripts come from the revision last installed on the instance, not the new one. */
const FROM_LAST_INSTALL: ReadonlySet<LifecycleEventName> = new Set([
  'ApplicationStop',
  'BeforeBlockTraffic',
  'AfterBlockTraffic',
]);

export interface Progress {
  archiveDir?: string;
  appSpec?: AppSpec;
}

const step = async (
  ctx: Context,
  d: Deployment,
  target: Target,
  event: LifecycleEventName,
  progress: Progress,
): Promise<Diagnostics> => {
  const { root } = target.instance;
  const injected = ctx.store.injectedFailure(
    d.applicationName,
    d.deploymentGroupName,
    target.instance.index,
    event,
  );
  const hook = (archiveDir: string, spec: AppSpec | undefined) =>
    runHook({
      event,
      scripts: spec?.hooks.get(event) ?? [],
      archiveDir,
      cwd: root,
      env: hookEnv(ctx, d, target, event),
      children: ctx.children,
      processGroups: processGroupsOf(ctx, target.instance.id),
      injectedExitCode: injected ? (injected.exitCode ?? 1) : undefined,
    });
  const paths = agentPaths(root, d.deploymentGroupId, d.deploymentId);
  if (FROM_LAST_INSTALL.has(event)) {
    // Runs the scripts of the revision last installed on this instance, if any.
    const previous = await lastInstalledArchive(root, d.deploymentGroupId);
    return hook(previous ?? root, previous ? await readAppSpec(previous) : undefined);
  }
  if (RESERVED_EVENTS.has(event) && injected) {
    throw new Error(`baton: injected failure of ${event}`);
  }
  if (event === 'BlockTraffic' || event === 'AllowTraffic') {
    const balancer = await ctx.balancer(d.targetGroup ?? d.deploymentGroupName);
    if (event === 'BlockTraffic') await balancer.deregister(target.instance.id);
    else await balancer.register(target.instance.id, target.instance.port);
    return SUCCESS;
  }
  if (event === 'DownloadBundle') {
    progress.archiveDir = await downloadBundle(ctx.s3, d.revision, paths.deploymentRoot);
    return SUCCESS;
  }
  const archiveDir = progress.archiveDir ?? paths.deploymentRoot;
  progress.appSpec ??= await readAppSpec(archiveDir);
  if (event === 'Install') {
    await installFiles({
      root,
      archiveDir,
      files: progress.appSpec.files,
      behavior: d.fileExistsBehavior,
      groupId: d.deploymentGroupId,
      deploymentRoot: paths.deploymentRoot,
    });
    return SUCCESS;
  }
  return hook(archiveDir, progress.appSpec);
};

const touch = (target: Pick<Target, 'lastUpdatedAt'>): void => {
  target.lastUpdatedAt = Date.now();
};

/** Marks every event not yet run as Skipped and settles the target's status. */
export const skipRemaining = (
  target: Pick<Target, 'lifecycleEvents' | 'status' | 'lastUpdatedAt'>,
  status: TargetStatus,
): void => {
  const now = Date.now();
  for (const event of target.lifecycleEvents) {
    if (event.status === 'Pending') {
      event.status = 'Skipped';
      event.endTime = now;
    }
  }
  target.status = status;
  touch(target);
};

export interface RunOptions {
  /** Run up to and including this event, leaving the rest Pending (blue/green: install, then traffic). */
  until?: LifecycleEventName;
  /** Shared between the parts of one target's run. */
  progress?: Progress;
}

/**
 * Runs the target's pending lifecycle events (up to `until`); resolves true when each succeeded. The
 * target is Succeeded once no event is left. Never rejects.
 */
export const runTarget = async (
  ctx: Context,
  d: Deployment,
  target: Target,
  options: RunOptions = {},
): Promise<boolean> => {
  target.status = 'InProgress';
  touch(target);
  const progress: Progress = options.progress ?? {};
  await mkdir(target.instance.root, { recursive: true }).catch(() => undefined);
  for (const event of target.lifecycleEvents) {
    if (event.status !== 'Pending') continue;
    if (d.stopRequested) {
      // Interrupted mid-way the instance is half deployed; never started, it was only skipped.
      skipRemaining(target, event === target.lifecycleEvents[0] ? 'Skipped' : 'Failed');
      return false;
    }
    event.status = 'InProgress';
    event.startTime = Date.now();
    touch(target);
    const diagnostics = await step(ctx, d, target, event.lifecycleEventName, progress).catch(unknownError);
    event.diagnostics = diagnostics;
    event.endTime = Date.now();
    event.status = diagnostics.errorCode === 'Success' ? 'Succeeded' : 'Failed';
    if (event.status === 'Failed') {
      ctx.store.healthy.delete(target.instance.id);
      skipRemaining(target, 'Failed');
      return false;
    }
    touch(target);
    if (event.lifecycleEventName === options.until) return true;
  }
  ctx.store.healthy.add(target.instance.id);
  target.status = 'Succeeded';
  touch(target);
  return true;
};
