// Deployment configurations decide how many instances deploy at once and the deployment's own status.
import { CreateDeploymentConfigCommand, type InstanceTarget } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LifecycleEventName } from '../../local/codedeploy';
import {
  appspec,
  deployAndWait,
  provision,
  type Stack,
  startStack,
  zipBundle,
} from '../support/local-codedeploy-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const bundle = zipBundle({
  'appspec.yml': appspec({ ApplicationStart: 'start.sh', ValidateService: 'validate.sh' }),
  'start.sh': 'sleep 0.1\n',
  'validate.sh': 'exit 0\n',
});

let groups = 0;
/** Provisions a fresh group, makes the given instances fail ValidateService, and deploys. */
const run = async (
  config: string,
  instances: number,
  failing: number[] = [],
  hook: LifecycleEventName = 'ValidateService',
) => {
  groups += 1;
  const [app, group] = [`cfg-app-${groups}`, `cfg-dg-${groups}`];
  await provision(stack, app, group, instances, config);
  for (const index of failing)
    stack.standIn.failHook({ application: app, group, instanceIndex: index, hook });
  const result = await deployAndWait(stack, app, group, bundle);
  return { ...result, app, group, statuses: result.targets.map((t) => t?.status) };
};

/** The largest number of targets that were deploying at the same moment. */
const maxConcurrency = (targets: (InstanceTarget | undefined)[]): number => {
  const windows = targets
    .map((t) => t?.lifecycleEvents?.filter((e) => e.startTime) ?? [])
    .filter((events) => events.length > 0)
    .map((events) => [events[0]?.startTime?.getTime() ?? 0, events.at(-1)?.endTime?.getTime() ?? 0] as const);
  return Math.max(...windows.map(([start]) => windows.filter(([s, e]) => s <= start && start < e).length));
};

const createConfig = (name: string, type: 'HOST_COUNT' | 'FLEET_PERCENT', value: number) =>
  stack.codedeploy.send(
    new CreateDeploymentConfigCommand({ deploymentConfigName: name, minimumHealthyHosts: { type, value } }),
  );

describe('CodeDeployDefault.AllAtOnce', () => {
  it('deploys to every instance at once and succeeds when one instance of three succeeded', async () => {
    const result = await run('CodeDeployDefault.AllAtOnce', 3, [0, 2]);

    expect(result.status).toBe('Succeeded');
    expect(result.statuses).toEqual(['Failed', 'Succeeded', 'Failed']);
    expect(result.info?.deploymentOverview).toEqual({
      Pending: 0,
      InProgress: 0,
      Succeeded: 1,
      Failed: 2,
      Skipped: 0,
      Ready: 0,
    });
    expect(result.info?.errorInformation).toBeUndefined();
    expect(maxConcurrency(result.targets)).toBe(3);
  });

  it('fails when no instance succeeded', async () => {
    const result = await run('CodeDeployDefault.AllAtOnce', 3, [0, 1, 2]);

    expect(result.status).toBe('Failed');
    expect(result.info?.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
  });
});

describe('CodeDeployDefault.OneAtATime', () => {
  it('deploys one instance at a time and still succeeds when only the last instance fails', async () => {
    const result = await run('CodeDeployDefault.OneAtATime', 3, [2]);

    expect(result.status).toBe('Succeeded');
    expect(result.statuses).toEqual(['Succeeded', 'Succeeded', 'Failed']);
    expect(maxConcurrency(result.targets)).toBe(1);
  });

  it('stops at the first failure before the last instance and skips the rest', async () => {
    const result = await run('CodeDeployDefault.OneAtATime', 3, [1]);

    expect(result.status).toBe('Failed');
    expect(result.statuses).toEqual(['Succeeded', 'Failed', 'Skipped']);
    expect(result.info?.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
    expect(result.targets[2]?.lifecycleEvents?.every((e) => e.status === 'Skipped')).toBe(true);
  });

  it('is the default of a group created without a configuration', async () => {
    groups += 1;
    await provision(stack, `cfg-app-${groups}`, `cfg-dg-${groups}`, 1);
    const result = await deployAndWait(stack, `cfg-app-${groups}`, `cfg-dg-${groups}`, bundle);

    expect(result.info?.deploymentConfigName).toBe('CodeDeployDefault.OneAtATime');
  });

  it('deploys next time to the instance that failed first', async () => {
    const first = await run('CodeDeployDefault.OneAtATime', 3, [2]);
    stack.standIn.clearFailures();
    const second = await deployAndWait(stack, first.app, first.group, bundle);

    const order = [...second.targets]
      .sort(
        (a, b) =>
          (a?.lifecycleEvents?.[0]?.startTime?.getTime() ?? 0) -
          (b?.lifecycleEvents?.[0]?.startTime?.getTime() ?? 0),
      )
      .map((t) => t?.targetId);
    const ids = stack.standIn.instances(first.app, first.group).map((i) => i.id);
    expect(order).toEqual([ids[2], ids[0], ids[1]]);
    expect(second.status).toBe('Succeeded');
  });
});

describe('CodeDeployDefault.HalfAtATime', () => {
  it('deploys to half of the instances at a time and succeeds with half healthy', async () => {
    const result = await run('CodeDeployDefault.HalfAtATime', 4, [1]);

    expect(result.status).toBe('Succeeded');
    expect(result.statuses).toEqual(['Succeeded', 'Failed', 'Succeeded', 'Succeeded']);
    expect(maxConcurrency(result.targets)).toBe(2);
  });

  it('fails and skips the rest once too many instances failed', async () => {
    const result = await run('CodeDeployDefault.HalfAtATime', 4, [0, 1]);

    expect(result.status).toBe('Failed');
    expect(result.statuses).toEqual(['Failed', 'Failed', 'Skipped', 'Skipped']);
  });

  it('fails at once when the group is too small to take an instance offline', async () => {
    const result = await run('CodeDeployDefault.HalfAtATime', 1);

    expect(result.status).toBe('Failed');
    expect(result.info?.errorInformation?.code).toBe('HEALTH_CONSTRAINTS_INVALID');
    expect(result.statuses).toEqual(['Skipped']);
  });
});

describe('custom minimum healthy hosts', () => {
  it('HOST_COUNT 3 of 5: two at a time, succeeds when only the last instance fails', async () => {
    await createConfig('Baton.ThreeHealthy', 'HOST_COUNT', 3);

    const result = await run('Baton.ThreeHealthy', 5, [4]);

    expect(result.status).toBe('Succeeded');
    expect(result.statuses).toEqual(['Succeeded', 'Succeeded', 'Succeeded', 'Succeeded', 'Failed']);
    expect(maxConcurrency(result.targets)).toBe(2);
  });

  it('HOST_COUNT 3 of 5: fails when the first two instances fail', async () => {
    const result = await run('Baton.ThreeHealthy', 5, [0, 1], 'BeforeInstall');

    expect(result.status).toBe('Failed');
    expect(result.statuses).toEqual(['Failed', 'Failed', 'Skipped', 'Skipped', 'Skipped']);
  });

  it('FLEET_PERCENT 40 of 5 (2 healthy, rounded up): three at a time, fails after three failures', async () => {
    await createConfig('Baton.FortyPercent', 'FLEET_PERCENT', 40);

    const passing = await run('Baton.FortyPercent', 5, [0, 1]);
    const failing = await run('Baton.FortyPercent', 5, [0, 1, 2]);

    expect(passing.status).toBe('Succeeded');
    expect(maxConcurrency(passing.targets)).toBe(3);
    expect(failing.status).toBe('Failed');
    expect(failing.statuses).toEqual(['Failed', 'Failed', 'Failed', 'Skipped', 'Skipped']);
  });
});
