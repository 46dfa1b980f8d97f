// ECS and Lambda deployment configurations: how traffic moves to the replacement, at once, by a canary
// step, or in equal linear steps. Source: CodeDeploy User Guide, "Deployment configurations on an Amazon
// ECS compute platform" and "on an AWS Lambda compute platform"; API reference TrafficRoutingConfig.
import type { ComputePlatform, DeploymentConfig, TrafficRouting } from './types';

type Predefined = Omit<DeploymentConfig, 'createTime' | 'deploymentConfigId'>;

const canary = (percent: number, minutes: number): TrafficRouting => ({
  type: 'TimeBasedCanary',
  timeBasedCanary: { canaryPercentage: percent, canaryInterval: minutes },
});
const linear = (percent: number, minutes: number): TrafficRouting => ({
  type: 'TimeBasedLinear',
  timeBasedLinear: { linearPercentage: percent, linearInterval: minutes },
});

const predefined = (platform: ComputePlatform, name: string, routing: TrafficRouting): Predefined => ({
  deploymentConfigName: `CodeDeployDefault.${name}`,
  computePlatform: platform,
  trafficRoutingConfig: routing,
});

export const TRAFFIC_CONFIGS: readonly Predefined[] = [
  predefined('ECS', 'ECSAllAtOnce', { type: 'AllAtOnce' }),
  predefined('ECS', 'ECSLinear10PercentEvery1Minutes', linear(10, 1)),
  predefined('ECS', 'ECSLinear10PercentEvery3Minutes', linear(10, 3)),
  predefined('ECS', 'ECSCanary10Percent5Minutes', canary(10, 5)),
  predefined('ECS', 'ECSCanary10Percent15Minutes', canary(10, 15)),
  predefined('Lambda', 'LambdaAllAtOnce', { type: 'AllAtOnce' }),
  ...[5, 10, 15, 30].map((m) => predefined('Lambda', `LambdaCanary10Percent${m}Minutes`, canary(10, m))),
  predefined('Lambda', 'LambdaLinear10PercentEvery1Minute', linear(10, 1)),
  ...[2, 3, 10].map((m) => predefined('Lambda', `LambdaLinear10PercentEvery${m}Minutes`, linear(10, m))),
];

export interface TrafficStep {
  /** The replacement's share of traffic after the step, in percent. */
  weight: number;
  /** Minutes to wait before the step (0 for the first). */
  waitMinutes: number;
}

/** The steps of a routing: AllAtOnce 100; canary p then 100 after the interval; linear p, 2p, … 100. */
export const trafficSteps = (routing: TrafficRouting): TrafficStep[] => {
  if (routing.type === 'TimeBasedCanary') {
    const { canaryPercentage, canaryInterval } = routing.timeBasedCanary;
    return [
      { weight: canaryPercentage, waitMinutes: 0 },
      { weight: 100, waitMinutes: canaryInterval },
    ];
  }
  if (routing.type === 'TimeBasedLinear') {
    const { linearPercentage, linearInterval } = routing.timeBasedLinear;
    const count = Math.ceil(100 / linearPercentage);
    return Array.from({ length: count }, (_, i) => ({
      weight: Math.min(100, (i + 1) * linearPercentage),
      waitMinutes: i === 0 ? 0 : linearInterval,
    }));
  }
  return [{ weight: 100, waitMinutes: 0 }];
};
