// An environment's `group:` block as CreateDeploymentGroup takes it: the deployment style, blue/green
// settings and target group that infra/codedeploy.cjs gives the stack's AWS::CodeDeploy::DeploymentGroup
// (DeploymentStyle, BlueGreenDeploymentConfiguration, LoadBalancerInfo), so the local groups match.
import type { CreateDeploymentGroupCommandInput } from '@aws-sdk/client-codedeploy';
import type { DeploymentGroupSpec } from '../shared/pipeline/rules/deployment-group';

type Settings = Pick<
  CreateDeploymentGroupCommandInput,
  'deploymentStyle' | 'blueGreenDeploymentConfiguration' | 'loadBalancerInfo' | 'autoScalingGroups'
>;

export const groupSettings = (g: DeploymentGroupSpec | undefined): Settings => {
  if (!g) return {};
  const traffic = g.style === 'blue-green' || g.targetGroup !== undefined;
  const bg = g.blueGreen;
  return {
    deploymentStyle: {
      deploymentType: g.style === 'blue-green' ? 'BLUE_GREEN' : 'IN_PLACE',
      deploymentOption: traffic ? 'WITH_TRAFFIC_CONTROL' : 'WITHOUT_TRAFFIC_CONTROL',
    },
    ...(bg
      ? {
          blueGreenDeploymentConfiguration: {
            greenFleetProvisioningOption: {
              action: bg.greenFleet === 'discover-existing' ? 'DISCOVER_EXISTING' : 'COPY_AUTO_SCALING_GROUP',
            },
            terminateBlueInstancesOnDeploymentSuccess:
              bg.originalInstances === 'terminate'
                ? { action: 'TERMINATE', terminationWaitTimeInMinutes: bg.terminateAfterMinutes }
                : { action: 'KEEP_ALIVE' },
            deploymentReadyOption:
              bg.reroute === 'manual'
                ? { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: bg.manualRerouteMinutes }
                : { actionOnTimeout: 'CONTINUE_DEPLOYMENT' },
          },
        }
      : {}),
    ...(g.targetGroup ? { loadBalancerInfo: { targetGroupInfoList: [{ name: g.targetGroup }] } } : {}),
    ...(g.instances.autoScalingGroups.length > 0 ? { autoScalingGroups: g.instances.autoScalingGroups } : {}),
  };
};
