// In-memory registry of applications, groups, configurations, deployments and the groups' local instances.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fail } from './errors';
import { BUILT_IN_CONFIGS, type HostsRule } from './health';
import { TRAFFIC_CONFIGS } from './traffic';
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
  /** Instances terminated (blue/green originals after the wait, replacements of a failed deployment). */
  readonly terminated = new Set<string>();
  private readonly instanceCounts = new Map<string, number>();
  /** Every instance ever provisioned, so that its port and owner stay the same. */
  private readonly known = new Map<string, LocalInstance & { application: string; group: string }>();
  /** Groups whose fleet a blue/green deployment replaced: the replacement fleet. */
  private readonly replaced = new Map<string, LocalInstance[]>();
  private readonly generations = new Map<string, number>();
  private failures: HookFailure[];

  constructor(
    private readonly workDir: string,
    private readonly defaultInstances: number,
    instances: Record<string, number>,
    failures: HookFailure[],
  ) {
    const now = Date.now();
    for (const config of [...BUILT_IN_CONFIGS, ...TRAFFIC_CONFIGS]) {
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

  /** A configuration of the Server platform (minimum healthy hosts). */
  hostsConfig(name: string): DeploymentConfig & HostsRule {
    const config = this.config(name);
    const { minimumHealthyHosts } = config;
    return minimumHealthyHosts
      ? { ...config, minimumHealthyHosts }
      : fail('InvalidDeploymentConfigNameException', `${name} is not a configuration of the Server platform`);
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
    this.replaced.delete(groupKey(application, group));
  }

  private provision(application: string, group: string, generation: number, count: number): LocalInstance[] {
    const key = groupKey(application, group);
    const seed = generation === 0 ? key : `${key}#${generation}`;
    const hash = createHash('sha256').update(seed).digest('hex').slice(0, 8);
    return Array.from({ length: count }, (_, index) => {
      const id = `i-0local${hash}${String(index + 1).padStart(2, '0')}`;
      const known = this.known.get(id);
      if (known) return known;
      const instance = { id, index, root: join(this.workDir, id, 'root'), port: 0, application, group };
      this.known.set(id, instance);
      return instance;
    });
  }

  /**
   * The group's instances: ids stable per (application, group), each with its own sandbox root. After
   * a blue/green deployment, the replacement fleet it left in service.
   */
  instances(application: string, group: string): LocalInstance[] {
    const key = groupKey(application, group);
    const fleet = this.replaced.get(key);
    if (fleet) return [...fleet];
    const count = this.instanceCounts.get(key) ?? this.defaultInstances;
    return this.provision(application, group, 0, count);
  }

  /** New instances for a blue/green deployment, as many as the group has now (a copy of its fleet). */
  provisionReplacements(application: string, group: string): LocalInstance[] {
    const key = groupKey(application, group);
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    return this.provision(application, group, generation, this.instances(application, group).length);
  }

  /** The replacement fleet takes the group over once traffic has moved to it. */
  replaceFleet(application: string, group: string, fleet: LocalInstance[]): void {
    this.replaced.set(groupKey(application, group), [...fleet]);
  }

  /** The application and group an instance was provisioned for (terminated or not). */
  ownerOf(instanceId: string): { application: string; group: string } | undefined {
    const known = this.known.get(instanceId);
    return known && { application: known.application, group: known.group };
  }

  allInstances(): LocalInstance[] {
    return [...this.known.values()];
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
