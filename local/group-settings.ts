// An environment's `group:` block as CreateDeploymentGroup takes it: the deployment style, blue/green
// settings and target group that infra/codedeploy.cjs gives the stack's AWS::CodeDeploy::DeploymentGroup
// (its `groupStyle`, one mapping for both), in the API's casing, so the local groups match.

import { createRequire } from 'node:module';
import type { CreateDeploymentGroupCommandInput } from '@aws-sdk/client-codedeploy';
import type { DeploymentGroupSpec } from '../shared/pipeline/rules/deployment-group';

type Settings = Pick<
  CreateDeploymentGroupCommandInput,
  'deploymentStyle' | 'blueGreenDeploymentConfiguration' | 'loadBalancerInfo' | 'autoScalingGroups'
>;
type PlatformSettings = Settings &
  Pick<
    CreateDeploymentGroupCommandInput,
    'ecsServices' | 'autoRollbackConfiguration' | 'deploymentConfigName'
  >;

const { groupStyle, platformTargets, ROLLBACK_EVENTS } = createRequire(__filename)(
  '../infra/codedeploy.cjs',
) as {
  groupStyle: (g: DeploymentGroupSpec) => Record<string, unknown>;
  platformTargets: (platform: string, g: DeploymentGroupSpec) => Record<string, unknown>;
  ROLLBACK_EVENTS: Record<string, string>;
};

/** CloudFormation's PascalCase property names in the API's camelCase (the values stay). */
export const apiCasing = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(apiCasing)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k[0]?.toLowerCase() + k.slice(1), apiCasing(v)]),
        )
      : value;

export const groupSettings = (g: DeploymentGroupSpec | undefined): Settings =>
  g
    ? ({
        ...(apiCasing(groupStyle(g)) as Settings),
        ...(g.instances && g.instances.autoScalingGroups.length > 0
          ? { autoScalingGroups: g.instances.autoScalingGroups }
          : {}),
      } satisfies Settings)
    : {};

/**
 * An ECS or Lambda environment's group as the stack creates it (infra/codedeploy.cjs `platformTargets`):
 * the traffic-shifting style, for ECS the service and its target group pair, the group's deployment
 * config and CodeDeploy's own rollback.
 */
export const platformGroupSettings = (
  platform: 'ECS' | 'Lambda',
  g: DeploymentGroupSpec,
): PlatformSettings => {
  const { ECSServices, ...rest } = platformTargets(platform, g);
  return {
    ...(apiCasing(rest) as Settings),
    // The API spells it ecsServices (not the first-letter casing of ECSServices).
    ...(ECSServices ? { ecsServices: apiCasing(ECSServices) as PlatformSettings['ecsServices'] } : {}),
    deploymentConfigName: g.deploymentConfig,
    autoRollbackConfiguration:
      g.autoRollback.length > 0
        ? { enabled: true, events: g.autoRollback.map((e) => ROLLBACK_EVENTS[e]) as never }
        : { enabled: false },
  };
};
