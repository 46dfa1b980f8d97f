// Minimum-healthy-hosts rules: how many instances a deployment may take offline at once, and its outcome.
// Source: CodeDeploy User Guide, "Instance health" and "Deployment configurations"; API reference MinimumHealthyHosts.
import type { DeploymentConfig } from './types';

/** A Server configuration: how many instances stay healthy. */
export type HostsRule = { minimumHealthyHosts: NonNullable<DeploymentConfig['minimumHealthyHosts']> };

export const BUILT_IN_CONFIGS: ReadonlyArray<
  Omit<DeploymentConfig, 'createTime' | 'deploymentConfigId'> & HostsRule
> = [
  // GetDeploymentConfig reports OneAtATime as MOST_CONCURRENCY/1: all instances but one stay healthy.
  {
    computePlatform: 'Server',
    deploymentConfigName: 'CodeDeployDefault.OneAtATime',
    minimumHealthyHosts: { type: 'MOST_CONCURRENCY', value: 1 },
  },
  {
    computePlatform: 'Server',
    deploymentConfigName: 'CodeDeployDefault.HalfAtATime',
    minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 50 },
  },
  {
    computePlatform: 'Server',
    deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
    minimumHealthyHosts: { type: 'HOST_COUNT', value: 0 },
  },
];

/** The minimum number of healthy instances for a fleet of `fleet`; percentages round up. */
export const minimumHealthy = (config: HostsRule, fleet: number): number => {
  const { type, value } = config.minimumHealthyHosts;
  if (type === 'MOST_CONCURRENCY') return Math.max(fleet - value, 0);
  if (type === 'FLEET_PERCENT') return Math.ceil((fleet * value) / 100);
  return value;
};

/**
 * How many instances may be deploying at once, given how many have failed so far. A deployment must
 * never take the healthy count below the minimum; a failed instance counts as unhealthy.
 */
export const capacity = (fleet: number, failed: number, minHealthy: number): number =>
  Math.max(fleet - failed - minHealthy, 0);

/**
 * The outcome once every instance was tried: at least `minHealthy` instances, and never fewer than one,
 * must have succeeded. (So OneAtATime still succeeds when only the last instance fails, and AllAtOnce
 * succeeds when one instance out of many did.)
 */
export const outcome = (succeeded: number, minHealthy: number): 'Succeeded' | 'Failed' =>
  succeeded >= Math.max(minHealthy, 1) ? 'Succeeded' : 'Failed';

/**
 * Blue/green: how many replacement instances traffic must reach. The configuration governs the
 * rerouting (CodeDeploy User Guide, "Deployment configurations"): AllAtOnce succeeds once traffic
 * reaches one instance, HalfAtATime half of them (rounded up), OneAtATime every one.
 */
export const blueGreenMinimumHealthy = (config: HostsRule, fleet: number): number =>
  config.minimumHealthyHosts.type === 'MOST_CONCURRENCY'
    ? fleet
    : Math.min(minimumHealthy(config, fleet), fleet);

/** Blue/green: how many replacement instances receive traffic at once (OneAtATime: one; AllAtOnce: all). */
export const rerouteBatch = (config: HostsRule, fleet: number): number =>
  config.minimumHealthyHosts.type === 'MOST_CONCURRENCY'
    ? 1
    : Math.max(fleet - minimumHealthy(config, fleet), 1);
