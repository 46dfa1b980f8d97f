// DeploymentLookup on CodeDeploy, for reconcile only: the group's deployments created since a time
// (ListDeployments), and the one whose description names the request (GetDeployment).
import {
  type CodeDeployClient,
  GetDeploymentCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import type { DeploymentLookup, DeploymentQuery, FoundDeployment } from '../core/ports';

export const codedeployLookup = (client: CodeDeployClient): DeploymentLookup => ({
  async find(query: DeploymentQuery): Promise<FoundDeployment | undefined> {
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListDeploymentsCommand({
          applicationName: query.codedeployApplication,
          deploymentGroupName: query.deploymentGroup,
          createTimeRange: { start: query.since },
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      for (const deploymentId of page.deployments ?? []) {
        const { deploymentInfo: info } = await client.send(new GetDeploymentCommand({ deploymentId }));
        if (!info?.description?.includes(query.marker)) continue;
        const created = info.createTime;
        return {
          deploymentId,
          status: info.status ?? 'Unknown',
          ...(created instanceof Date ? { createdAt: created.toISOString() } : {}),
        };
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return undefined;
  },
});
