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

const { groupStyle } = createRequire(__filename)('../infra/codedeploy.cjs') as {
  groupStyle: (g: DeploymentGroupSpec) => Record<string, unknown>;
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
