// DeploymentTargets on AWS CodeDeploy: GetDeployment and GetDeploymentTarget. "No such deployment" and
// "not a target" are answers, not errors. Shapes:
// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeployment.html
// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeploymentTarget.html
import {
  type CodeDeployClient,
  DeploymentDoesNotExistException,
  DeploymentNotStartedException,
  DeploymentTargetDoesNotExistException,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  InvalidDeploymentIdException,
  InvalidDeploymentTargetIdException,
  InvalidInstanceNameException,
} from '@aws-sdk/client-codedeploy';
import type { DeploymentTargets } from '../secrets/ports';

const isAny = (error: unknown, ...types: (abstract new (...args: never[]) => Error)[]) =>
  types.some((type) => error instanceof type);

export const codedeployTargets = (client: CodeDeployClient): DeploymentTargets => ({
  async deployment(deploymentId) {
    try {
      const { deploymentInfo: info } = await client.send(new GetDeploymentCommand({ deploymentId }));
      if (!info?.applicationName || !info.deploymentGroupName) return undefined;
      return {
        deploymentId,
        codedeployApplication: info.applicationName,
        deploymentGroup: info.deploymentGroupName,
        status: info.status ?? 'Unknown',
      };
    } catch (error) {
      if (isAny(error, DeploymentDoesNotExistException, InvalidDeploymentIdException)) return undefined;
      throw error;
    }
  },

  async target(deploymentId, targetId) {
    try {
      const { deploymentTarget } = await client.send(
        new GetDeploymentTargetCommand({ deploymentId, targetId }),
      );
      // EC2/on-premises deployments have instance targets; the other kinds never call this URL.
      const instance = deploymentTarget?.instanceTarget;
      if (!instance || instance.targetId !== targetId) return undefined;
      return { targetId, status: instance.status ?? 'Unknown' };
    } catch (error) {
      if (error instanceof DeploymentNotStartedException) return { targetId, status: 'Pending' };
      const absent = [
        DeploymentTargetDoesNotExistException,
        InvalidDeploymentTargetIdException,
        InvalidInstanceNameException,
        DeploymentDoesNotExistException,
      ];
      if (isAny(error, ...absent)) return undefined;
      throw error;
    }
  },
});
