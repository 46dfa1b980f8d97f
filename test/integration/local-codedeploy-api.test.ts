// The stand-in speaks the CodeDeploy JSON protocol: the real SDK client gets AWS shapes and AWS errors.
import {
  ApplicationDoesNotExistException,
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  DeploymentDoesNotExistException,
  DeploymentGroupDoesNotExistException,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  ListDeploymentGroupsCommand,
  RoleRequiredException,
} from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provision, ROLE, type Stack, startStack } from '../support/local-codedeploy-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ pageSize: 3 });
});
afterAll(() => stack.stop());

describe('applications, groups and configurations', () => {
  it('creates and reads an application and a group with AWS shapes', async () => {
    const groupId = await provision(stack, 'shop', 'shop-dev', 2);

    const app = await stack.codedeploy.send(new GetApplicationCommand({ applicationName: 'shop' }));
    const group = await stack.codedeploy.send(
      new GetDeploymentGroupCommand({ applicationName: 'shop', deploymentGroupName: 'shop-dev' }),
    );

    expect(app.application).toMatchObject({
      applicationName: 'shop',
      computePlatform: 'Server',
      linkedToGitHub: false,
    });
    expect(app.application?.createTime).toBeInstanceOf(Date);
    expect(group.deploymentGroupInfo).toMatchObject({
      applicationName: 'shop',
      deploymentGroupId: groupId,
      deploymentGroupName: 'shop-dev',
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      serviceRoleArn: ROLE,
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      computePlatform: 'Server',
    });
  });

  it('answers missing resources and missing fields with the AWS exceptions', async () => {
    const cd = stack.codedeploy;

    await expect(cd.send(new GetApplicationCommand({ applicationName: 'nope' }))).rejects.toBeInstanceOf(
      ApplicationDoesNotExistException,
    );
    await expect(
      cd.send(new GetDeploymentGroupCommand({ applicationName: 'shop', deploymentGroupName: 'nope' })),
    ).rejects.toBeInstanceOf(DeploymentGroupDoesNotExistException);
    await expect(
      cd.send(
        new CreateDeploymentGroupCommand({
          applicationName: 'shop',
          deploymentGroupName: 'x',
          serviceRoleArn: '',
        }),
      ),
    ).rejects.toBeInstanceOf(RoleRequiredException);
    // The API model gives a deployment id no format: any shape of unknown id is one that does not exist.
    for (const deploymentId of ['d-ABCDEFGHI', 'd-ABCDEFGH12', 'd-abcdefghi', 'not-an-id']) {
      await expect(cd.send(new GetDeploymentCommand({ deploymentId }))).rejects.toBeInstanceOf(
        DeploymentDoesNotExistException,
      );
    }
  });

  it('pages deployment groups and reports the built-in configurations', async () => {
    await stack.codedeploy.send(new CreateApplicationCommand({ applicationName: 'many' }));
    for (const name of ['a', 'b', 'c', 'd']) {
      await stack.codedeploy.send(
        new CreateDeploymentGroupCommand({
          applicationName: 'many',
          deploymentGroupName: name,
          serviceRoleArn: ROLE,
        }),
      );
    }

    const first = await stack.codedeploy.send(new ListDeploymentGroupsCommand({ applicationName: 'many' }));
    const second = await stack.codedeploy.send(
      new ListDeploymentGroupsCommand({ applicationName: 'many', nextToken: first.nextToken }),
    );
    const oneAtATime = await stack.codedeploy.send(
      new GetDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.OneAtATime' }),
    );

    expect([first.deploymentGroups, second.deploymentGroups, second.nextToken]).toEqual([
      ['a', 'b', 'c'],
      ['d'],
      undefined,
    ]);
    expect(oneAtATime.deploymentConfigInfo?.minimumHealthyHosts).toEqual({
      type: 'MOST_CONCURRENCY',
      value: 1,
    });
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const response = await fetch(stack.standIn.endpoint, {
      method: 'POST',
      headers: {
        'X-Amz-Target': 'CodeDeploy_20141006.LaunchRocket',
        'Content-Type': 'application/x-amz-json-1.1',
      },
      body: '{}',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
