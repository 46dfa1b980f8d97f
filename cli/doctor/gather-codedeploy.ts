// CodeDeploy facts: each application and deployment group that pipeline.yml names.
import {
  ApplicationDoesNotExistException,
  type CodeDeployClient,
  DeploymentGroupDoesNotExistException,
  type DeploymentGroupInfo,
  type EC2TagFilter,
  GetApplicationCommand,
  GetDeploymentGroupCommand,
  type TagFilter,
} from '@aws-sdk/client-codedeploy';
import type { ApplicationFacts, GroupFacts, GroupInfo } from './facts';
import type { PlannedGroup } from './plan';
import { read } from './read';

const tag = (f: EC2TagFilter | TagFilter): string =>
  f.Type === 'KEY_ONLY' ? `${f.Key}` : f.Type === 'VALUE_ONLY' ? `=${f.Value}` : `${f.Key}=${f.Value}`;

export const groupInfoOf = (g: DeploymentGroupInfo): GroupInfo => ({
  ...(g.computePlatform ? { computePlatform: g.computePlatform } : {}),
  ...(g.serviceRoleArn ? { serviceRoleArn: g.serviceRoleArn } : {}),
  ec2Tags: [...(g.ec2TagFilters ?? []), ...(g.ec2TagSet?.ec2TagSetList ?? []).flat()].map(tag),
  onPremisesTags: [
    ...(g.onPremisesInstanceTagFilters ?? []),
    ...(g.onPremisesTagSet?.onPremisesTagSetList ?? []).flat(),
  ].map(tag),
  autoScalingGroups: (g.autoScalingGroups ?? []).flatMap((a) => (a.name ? [a.name] : [])),
  ...(g.computePlatform === 'ECS'
    ? {
        ecsServices: (g.ecsServices ?? []).map((e) => `${e.clusterName}:${e.serviceName}`),
        targetGroups: (g.loadBalancerInfo?.targetGroupPairInfoList ?? []).flatMap((p) =>
          (p.targetGroups ?? []).flatMap((t) => (t.name ? [t.name] : [])),
        ),
      }
    : {}),
});

export const readApplications = (client: CodeDeployClient, names: string[]): Promise<ApplicationFacts[]> =>
  Promise.all(
    names.map(async (application) => ({
      application,
      info: await read(
        async () => {
          const { application: found } = await client.send(
            new GetApplicationCommand({ applicationName: application }),
          );
          return found?.computePlatform ? { computePlatform: found.computePlatform } : {};
        },
        (e) => e instanceof ApplicationDoesNotExistException,
        undefined,
      ),
    })),
  );

export const readGroups = (client: CodeDeployClient, groups: PlannedGroup[]): Promise<GroupFacts[]> =>
  Promise.all(
    groups.map(async ({ application, group }) => ({
      application,
      group,
      info: await read(
        async () => {
          const { deploymentGroupInfo } = await client.send(
            new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group }),
          );
          return deploymentGroupInfo ? groupInfoOf(deploymentGroupInfo) : undefined;
        },
        // Asked for a group of a missing application, CodeDeploy names the application.
        (e) =>
          e instanceof DeploymentGroupDoesNotExistException || e instanceof ApplicationDoesNotExistException,
        undefined,
      ),
    })),
  );
