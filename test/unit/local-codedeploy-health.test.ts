// Minimum-healthy-hosts arithmetic, checked against the examples in the CodeDeploy documentation.
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_CONFIGS,
  blueGreenMinimumHealthy,
  capacity,
  minimumHealthy,
  outcome,
  rerouteBatch,
} from '../../local/codedeploy/health';

const builtIn = (name: string) => {
  const config = BUILT_IN_CONFIGS.find((c) => c.deploymentConfigName === `CodeDeployDefault.${name}`);
  if (!config) throw new Error(`no built-in configuration ${name}`);
  return config;
};
const hosts = (type: 'HOST_COUNT' | 'FLEET_PERCENT', value: number) => ({
  minimumHealthyHosts: { type, value },
});

describe('minimum healthy hosts (API reference MinimumHealthyHosts, nine instances)', () => {
  it('HOST_COUNT 6 deploys three at a time and needs six successes', () => {
    const min = minimumHealthy(hosts('HOST_COUNT', 6), 9);

    expect([min, capacity(9, 0, min)]).toEqual([6, 3]);
    expect([outcome(6, min), outcome(5, min)]).toEqual(['Succeeded', 'Failed']);
  });

  it('FLEET_PERCENT 40 rounds up to four and deploys five at a time', () => {
    const min = minimumHealthy(hosts('FLEET_PERCENT', 40), 9);

    expect([min, capacity(9, 0, min)]).toEqual([4, 5]);
  });

  it('HalfAtATime deploys four of nine at a time and needs five', () => {
    const min = minimumHealthy(builtIn('HalfAtATime'), 9);

    expect([min, capacity(9, 0, min), outcome(5, min), outcome(4, min)]).toEqual([
      5,
      4,
      'Succeeded',
      'Failed',
    ]);
  });
});

describe('instance health examples (User Guide, ten instances)', () => {
  it('minimum 95% leaves no instance to take offline', () => {
    expect(capacity(10, 0, minimumHealthy(hosts('FLEET_PERCENT', 95), 10))).toBe(0);
  });

  it('minimum 9 goes one at a time, stops at a failure, but a failed last instance still succeeds', () => {
    expect(capacity(10, 0, 9)).toBe(1);
    expect(capacity(10, 1, 9)).toBe(0);
    expect(outcome(9, 9)).toBe('Succeeded');
  });

  it('minimum 8 goes two at a time and continues one at a time after one failure', () => {
    expect([capacity(10, 0, 8), capacity(10, 1, 8), capacity(10, 2, 8)]).toEqual([2, 1, 0]);
  });

  it('minimum 0 deploys to all and still needs one success', () => {
    const min = minimumHealthy(builtIn('AllAtOnce'), 10);

    expect([capacity(10, 0, min), outcome(1, min), outcome(0, min)]).toEqual([10, 'Succeeded', 'Failed']);
  });
});

describe('CodeDeployDefault.OneAtATime', () => {
  it('keeps all instances but one healthy, and a single instance must succeed', () => {
    const config = builtIn('OneAtATime');

    expect([minimumHealthy(config, 3), capacity(3, 0, minimumHealthy(config, 3))]).toEqual([2, 1]);
    expect([minimumHealthy(config, 1), outcome(0, minimumHealthy(config, 1))]).toEqual([0, 'Failed']);
  });
});

describe('blue/green rerouting (User Guide, deployment configurations, blue/green)', () => {
  it('AllAtOnce reroutes to every replacement at once and succeeds once one takes traffic', () => {
    const config = builtIn('AllAtOnce');

    expect([rerouteBatch(config, 3), Math.max(blueGreenMinimumHealthy(config, 3), 1)]).toEqual([3, 1]);
  });

  it('HalfAtATime reroutes up to half at a time and needs half, rounded up', () => {
    const config = builtIn('HalfAtATime');

    expect([rerouteBatch(config, 9), blueGreenMinimumHealthy(config, 9)]).toEqual([4, 5]);
  });

  it('OneAtATime reroutes one at a time and needs every replacement', () => {
    const config = builtIn('OneAtATime');

    expect([rerouteBatch(config, 3), blueGreenMinimumHealthy(config, 3)]).toEqual([1, 3]);
  });

  it('a HOST_COUNT above the fleet asks for the whole replacement fleet, never more', () => {
    expect(blueGreenMinimumHealthy(hosts('HOST_COUNT', 5), 3)).toBe(3);
    expect(rerouteBatch(hosts('HOST_COUNT', 5), 3)).toBe(1);
  });
});
