// In-memory registry of applications, groups, configurations, deployments and the groups' local instances.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fail } from './errors';
import { BUILT_IN_CONFIGS } from './health';
import type {
  Application,
  Deployment,
  DeploymentConfig,
  DeploymentGroup,
  HookFailure,
  LifecycleEventName,
  LocalInstance,
} from './types';
import { isTerminal } from './types';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const groupKey = (application: string, group: string): string => `${application}/${group}`;

export class Store {
  readonly applications = new Map<string, Application>();
  readonly configs = new Map<string, DeploymentConfig>();
  readonly groups = new Map<string, DeploymentGroup>();
  readonly deployments = new Map<string, Deployment>();
  /** Instances whose last deployment succeeded (CodeDeploy's "instance health"). */
  readonly healthy = new Set<string>();
  private readonly instanceCounts = new Map<string, number>();
  private failures: HookFailure[];

  constructor(
    private readonly workDir: string,
    private readonly defaultInstances: number,
    instances: Record<string, number>,
    failures: HookFailure[],
  ) {
    const now = Date.now();
    for (const config of BUILT_IN_CONFIGS) {
      this.configs.set(config.deploymentConfigName, {
        ...config,
        deploymentConfigId: randomUUID(),
        createTime: now,
      });
    }
    for (const [key, count] of Object.entries(instances)) this.instanceCounts.set(key, count);
    this.failures = [...failures];
  }

  newDeploymentId(): string {
    let id = 'd-';
    for (let i = 0; i < 9; i += 1) id += ALPHABET[randomInt(ALPHABET.length)];
    return this.deployments.has(id) ? this.newDeploymentId() : id;
  }

  application(name: string): Application {
    return (
      this.applications.get(name) ??
      fail('ApplicationDoesNotExistException', `No application found for name: ${name}`)
    );
  }

  group(application: string, name: string): DeploymentGroup {
    this.application(application);
    return (
      this.groups.get(groupKey(application, name)) ??
      fail('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${name}`)
    );
  }

  addGroup(group: DeploymentGroup): void {
    this.groups.set(groupKey(group.applicationName, group.deploymentGroupName), group);
  }

  config(name: string): DeploymentConfig {
    return (
      this.configs.get(name) ??
      fail('DeploymentConfigDoesNotExistException', `No deployment configuration found for name: ${name}`)
    );
  }

  /** Any id: CodeDeploy's model gives a deployment id no format, so an unknown one simply does not exist. */
  deployment(id: string): Deployment {
    return (
      this.deployments.get(id) ?? fail('DeploymentDoesNotExistException', `Deployment ${id} does not exist`)
    );
  }

  activeDeployment(application: string, group: string): Deployment | undefined {
    for (const deployment of this.deployments.values()) {
      const same = deployment.applicationName === application && deployment.deploymentGroupName === group;
      if (same && !isTerminal(deployment.status)) return deployment;
    }
    return undefined;
  }

  setInstances(application: string, group: string, count: number): void {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`instance count must be a whole number: ${count}`);
    this.instanceCounts.set(groupKey(application, group), count);
  }

  /** The group's instances: ids stable per (application, group), each with its own sandbox root. */
  instances(application: string, group: string): LocalInstance[] {
    const count = this.instanceCounts.get(groupKey(application, group)) ?? this.defaultInstances;
    const hash = createHash('sha256').update(groupKey(application, group)).digest('hex').slice(0, 8);
    return Array.from({ length: count }, (_, index) => {
      const id = `i-0local${hash}${String(index + 1).padStart(2, '0')}`;
      return { id, index, root: join(this.workDir, id, 'root') };
    });
  }

  failHook(failure: HookFailure): void {
    this.failures.push(failure);
  }

  clearFailures(): void {
    this.failures = [];
  }

  injectedFailure(application: string, group: string, index: number, hook: LifecycleEventName) {
    return this.failures.find(
      (f) =>
        (f.application === undefined || f.application === application) &&
        f.group === group &&
        f.instanceIndex === index &&
        f.hook === hook,
    );
  }
}
