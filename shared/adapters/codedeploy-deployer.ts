// Deployer on AWS CodeDeploy: CreateDeployment with an S3 revision.
import {
  type CodeDeployClient,
  CreateDeploymentCommand,
  DeploymentLimitExceededException,
} from '@aws-sdk/client-codedeploy';
import { GroupBusyError } from '../domain/errors';
import type { CreateDeploymentInput, Deployer } from '../ports';

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
      if (error instanceof DeploymentLimitExceededException)
        throw new GroupBusyError(`deployment group ${input.deploymentGroup} has an active deployment`, {
          cause: error,
        });
      throw error;
    }
  },
});
