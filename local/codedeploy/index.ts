// Starts the local CodeDeploy stand-in: the CodeDeploy JSON API on loopback, playing local instances.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { freePort } from '../ports';
import type { Context, FleetEvent } from './context';
import { terminate } from './finish';
import { LambdaAliases } from './lambda-aliases';
import type { LocalFunction } from './lambda-invoke';
import { type BalancerOptions, LoadBalancer } from './load-balancer';
import { createCodeDeployServer } from './server';
import { Store } from './store';
import type {
  DeploymentStateChangeEvent,
  DeploymentStatus,
  HookFailure,
  LocalHookFunction,
  LocalInstance,
} from './types';
import { isTerminal } from './types';

export type { FleetEvent } from './context';
export type { LoadBalancer } from './load-balancer';
export type {
  DeploymentStateChangeEvent,
  DeploymentStatus,
  HookEvent,
  HookFailure,
  HookFunctionContext,
  LifecycleEventName,
  LocalHookFunction,
  LocalInstance,
} from './types';

export interface LocalCodeDeployOptions {
  /** Where revisions are fetched from (moto, or real S3). */
  s3: S3Client;
  /** Parent of the instance sandboxes; default a fresh temporary folder, removed by stop(). */
  workDir?: string;
  port?: number;
  region?: string;
  accountId?: string;
  /** Page size of ListDeploymentTargets, ListDeployments and ListDeploymentGroups (default 100). */
  pageSize?: number;
  /** Instances per deployment group unless set for the group (default 3). */
  instancesPerGroup?: number;
  /** Instance counts by "<application>/<deploymentGroup>". */
  instances?: Record<string, number>;
  failures?: HookFailure[];
  /** Extra environment for every hook script (cannot override the CodeDeploy variables). */
  extraHookEnv?: Record<string, string>;
  onStateChange?: (event: DeploymentStateChangeEvent) => void | Promise<void>;
  /** Blue/green and traffic steps as they happen: the green fleet, traffic moves, the originals' fate. */
  onFleetEvent?: (event: FleetEvent) => void;
  /**
   * Milliseconds played for one configured minute (the blue/green termination and ready waits);
   * default 60,000. The local stack plays a minute in 20 ms.
   */
  minuteMs?: number;
  /** Health check and draining of the load balancers. */
  balancer?: BalancerOptions;
  /** ECS and Lambda hook functions by the function name AppSpec files give them. */
  hookFunctions?: Record<string, LocalHookFunction>;
  /** Milliseconds a hook function has to report its status (default 10,000). */
  hookTimeoutMs?: number;
  /** The Lambda aliases that exist before any deployment, and the versions they invoke. */
  aliases?: { functionName: string; name: string; functionVersion: string }[];
  /** Functions Lambda's Invoke reaches, by function name (the local stack's deployment-finished). */
  functions?: Record<string, LocalFunction>;
}

export interface LocalCodeDeploy {
  endpoint: string;
  port: number;
  /** Instance count of a group, used by deployments created afterwards. */
  setInstances(application: string, group: string, count: number): void;
  instances(application: string, group: string): LocalInstance[];
  failHook(failure: HookFailure): void;
  /** The load balancer of a deployment group's target group (started on first use). */
  loadBalancer(application: string, group: string): Promise<LoadBalancer>;
  /** The group an instance was provisioned for, replacement instances included. */
  ownerOf(instanceId: string): { application: string; group: string } | undefined;
  /** Whether an instance was terminated (blue/green originals after the wait). */
  isTerminated(instanceId: string): boolean;
  /** What blue/green deployments did with fleets and traffic, oldest first. */
  fleetEvents(deploymentId?: string): FleetEvent[];
  /** The version a Lambda alias invokes now (undefined if it does not exist). */
  aliasVersion(functionName: string, alias: string): string | undefined;
  clearFailures(): void;
  /** Adds (or replaces) ECS and Lambda hook functions by function name. */
  addHookFunctions(functions: Record<string, LocalHookFunction>): void;
  /** Resolves with the deployment's final status (Succeeded, Failed or Stopped). */
  waitForDeployment(deploymentId: string, timeoutMs?: number): Promise<DeploymentStatus>;
  stop(): Promise<void>;
}

export const startLocalCodeDeploy = async (options: LocalCodeDeployOptions): Promise<LocalCodeDeploy> => {
  const ownsWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'baton-codedeploy-')));
  const store = new Store(
    workDir,
    options.instancesPerGroup ?? 3,
    options.instances ?? {},
    options.failures ?? [],
  );
  const balancers = new Map<string, Promise<LoadBalancer>>();
  const balancer = (targetGroup: string): Promise<LoadBalancer> => {
    let started = balancers.get(targetGroup);
    if (!started) {
      started = LoadBalancer.start(targetGroup, options.balancer);
      balancers.set(targetGroup, started);
    }
    return started;
  };
  const ctx: Context = {
    store,
    s3: options.s3,
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    pageSize: options.pageSize ?? 100,
    extraHookEnv: options.extraHookEnv ?? {},
    onStateChange: options.onStateChange,
    children: new Set(),
    runs: new Map(),
    processGroups: new Map(),
    balancer,
    minuteMs: options.minuteMs ?? 60_000,
    fleetEvents: [],
    onFleetEvent: options.onFleetEvent,
    hookFunctions: new Map(Object.entries(options.hookFunctions ?? {})),
    hookExecutions: new Map(),
    hookTimeoutMs: options.hookTimeoutMs ?? 10_000,
    endpoint: () => `http://127.0.0.1:${port}`,
    aliases: new LambdaAliases(),
    functions: new Map(Object.entries(options.functions ?? {})),
  };
  for (const a of options.aliases ?? []) ctx.aliases.set(a.functionName, a.name, a.functionVersion);
  const server = createCodeDeployServer(ctx);
  const port = options.port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });

  const waitForDeployment = async (deploymentId: string, timeoutMs = 60_000): Promise<DeploymentStatus> => {
    const deployment = store.deployment(deploymentId);
    if (isTerminal(deployment.status)) return deployment.status;
    const run = ctx.runs.get(deploymentId) ?? Promise.reject(new Error(`${deploymentId} is not running`));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${deploymentId} did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    return Promise.race([run, timeout]).finally(() => clearTimeout(timer));
  };

  const stop = async (): Promise<void> => {
    for (const deployment of store.deployments.values()) {
      deployment.stopRequested = true;
      deployment.waiting?.end();
    }
    for (const child of ctx.children) {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await Promise.allSettled(ctx.runs.values());
    // What the hooks left running (the instances' application servers) ends with the stand-in.
    terminate(ctx, store.allInstances(), 'SIGKILL');
    for (const started of balancers.values()) await (await started).close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    if (ownsWorkDir) await rm(workDir, { recursive: true, force: true });
  };

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    setInstances: (application, group, count) => store.setInstances(application, group, count),
    instances: (application, group) => store.instances(application, group),
    failHook: (failure) => store.failHook(failure),
    clearFailures: () => store.clearFailures(),
    addHookFunctions: (functions) => {
      for (const [name, fn] of Object.entries(functions)) ctx.hookFunctions.set(name, fn);
    },
    loadBalancer: (application, group) => {
      const g = store.group(application, group);
      return balancer(g.targetGroup ?? g.deploymentGroupName);
    },
    ownerOf: (id) => store.ownerOf(id),
    isTerminated: (id) => store.terminated.has(id),
    aliasVersion: (fn, alias) => ctx.aliases.get(fn, alias)?.functionVersion,
    fleetEvents: (id) => ctx.fleetEvents.filter((e) => id === undefined || e.deploymentId === id),
    waitForDeployment,
    stop,
  };
};
