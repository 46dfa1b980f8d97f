// DeploymentStopper on AWS CodeDeploy: StopDeployment, optionally with CodeDeploy's auto-rollback.
// Only the operator bundles it (its role alone may stop deployments).
import {
  type CodeDeployClient,
  DeploymentAlreadyCompletedException,
  DeploymentDoesNotExistException,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import type { DeploymentStopper } from '../core/ports';
import { DeploymentFinishedError, NotFoundError } from '../core/rules/errors';

export const codedeployStopper = (client: CodeDeployClient): DeploymentStopper => ({
  async stop(deploymentId, autoRollback) {
    try {
      const out = await client.send(
        new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: autoRollback }),
      );
      return {
        status: out.status ?? 'Pending',
        ...(out.statusMessage ? { message: out.statusMessage } : {}),
      };
    } catch (error) {
      if (error instanceof DeploymentAlreadyCompletedException)
        throw new DeploymentFinishedError(`deployment ${deploymentId} has already finished`, {
          cause: error,
        });
      if (error instanceof DeploymentDoesNotExistException)
        throw new NotFoundError(`CodeDeploy has no deployment ${deploymentId}`, { cause: error });
      throw error;
    }
  },
});
