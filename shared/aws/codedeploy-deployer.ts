// Deployer on AWS CodeDeploy: CreateDeployment with an S3 revision. CreateDeployment takes no
// idempotency token, so a call the SDK retried may have created the deployment on an attempt whose
// answer was lost: such an outcome is reported as unknown (reconcile looks it up: codedeploy-lookup).
import {
  type CodeDeployClient,
  CodeDeployServiceException,
  CreateDeploymentCommand,
  DeploymentLimitExceededException,
} from '@aws-sdk/client-codedeploy';
import type { CreateDeploymentInput, Deployer } from '../core/ports';
import { DeploymentOutcomeUnknownError, errorName, GroupBusyError } from '../core/rules/errors';

/** The SDK's count of attempts, on any error its retry loop let through (network errors included). */
const attemptsOf = (error: unknown): number | undefined => {
  const meta =
    typeof error === 'object' && error !== null && '$metadata' in error ? error.$metadata : undefined;
  return typeof meta === 'object' && meta !== null && 'attempts' in meta && typeof meta.attempts === 'number'
    ? meta.attempts
    : undefined;
};

/** CodeDeploy wants the ETag without the quotes S3 puts around it. */
export const bareEtag = (etag: string) => etag.replace(/^"|"$/g, '');

export const codedeployDeployer = (client: CodeDeployClient): Deployer => ({
  async createDeployment(input: CreateDeploymentInput) {
    try {
      const out = await client.send(
        new CreateDeploymentCommand({
          applicationName: input.codedeployApplication,
          deploymentGroupName: input.deploymentGroup,
          revision: {
            revisionType: 'S3',
            s3Location: {
              bucket: input.bucket,
              key: input.key,
              bundleType: input.bundleType,
              eTag: bareEtag(input.etag),
              ...(input.versionId ? { version: input.versionId } : {}),
            },
          },
          description: input.description,
        }),
      );
      if (!out.deploymentId) throw new Error('CreateDeployment returned no deploymentId');
      return out.deploymentId;
    } catch (error) {
      // One attempt, refused by CodeDeploy (4xx): nothing was created. Anything else may have been.
      const attempts = attemptsOf(error) ?? 1;
      const refused = error instanceof CodeDeployServiceException && error.$fault === 'client';
      if (refused && attempts === 1 && error instanceof DeploymentLimitExceededException)
        throw new GroupBusyError(`deployment group ${input.deploymentGroup} has an active deployment`, {
          cause: error,
        });
      if (refused && attempts === 1) throw error;
      const name = errorName(error);
      throw new DeploymentOutcomeUnknownError(
        `CreateDeployment in ${input.deploymentGroup} ended in ${name} after ${attempts} attempt(s)`,
        { cause: error },
      );
    }
  },
});
