// Deployments and their targets through the real SDK client: limits, paging, batches, stopping (also
// through the operator's DeploymentStopper, shared/aws/codedeploy-stopper.ts).
import {
  BatchGetDeploymentTargetsCommand,
  DeploymentAlreadyCompletedException,
  DeploymentLimitExceededException,
  DeploymentTargetDoesNotExistException,
  DeploymentTargetListSizeExceededException,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codedeployStopper } from '../../shared/aws/codedeploy-stopper';
import { DeploymentFinishedError, NotFoundError } from '../../shared/core/rules/errors';
import {
  allTargets,
  appspec,
  createDeployment,
  provision,
  type Stack,
  startStack,
  zipBundle,
} from '../support/local-codedeploy-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ pageSize: 3 });
});
afterAll(() => stack.stop());

const empty = zipBundle({ 'appspec.yml': 'version: 0.0\nos: linux\n' });
const slow = zipBundle({ 'appspec.yml': appspec({ BeforeInstall: 'wait.sh' }), 'wait.sh': 'sleep 0.4\n' });

describe('deployments and targets', () => {
  it('allows one active deployment per group', async () => {
    await provision(stack, 'busy', 'busy-dev', 1);
    const first = await createDeployment(stack, 'busy', 'busy-dev', slow);

    const second = createDeployment(stack, 'busy', 'busy-dev', empty);

    await expect(second).rejects.toBeInstanceOf(DeploymentLimitExceededException);
    await expect(second).rejects.toThrow(`already has an active deployment ${first}`);
    expect(await stack.standIn.waitForDeployment(first)).toBe('Succeeded');
    const third = await createDeployment(stack, 'busy', 'busy-dev', empty);
    expect(await stack.standIn.waitForDeployment(third)).toBe('Succeeded');
    const listed = await stack.codedeploy.send(
      new ListDeploymentsCommand({
        applicationName: 'busy',
        deploymentGroupName: 'busy-dev',
        includeOnlyStatuses: ['Succeeded'],
      }),
    );
    expect(listed.deployments).toEqual([third, first]);
  });

  it('reports a deployment with epoch-second times the SDK turns into dates', async () => {
    await provision(stack, 'info', 'info-dev', 2);
    const deploymentId = await createDeployment(stack, 'info', 'info-dev', empty);
    await stack.standIn.waitForDeployment(deploymentId);

    const { deploymentInfo } = await stack.codedeploy.send(new GetDeploymentCommand({ deploymentId }));

    expect(deploymentInfo).toMatchObject({
      applicationName: 'info',
      deploymentGroupName: 'info-dev',
      deploymentId,
      status: 'Succeeded',
      creator: 'user',
      computePlatform: 'Server',
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      deploymentOverview: { Pending: 0, InProgress: 0, Succeeded: 2, Failed: 0, Skipped: 0, Ready: 0 },
    });
    const { createTime, startTime, completeTime } = deploymentInfo ?? {};
    expect([createTime, startTime, completeTime].every((t) => t instanceof Date)).toBe(true);
    expect((completeTime?.getTime() ?? 0) >= (createTime?.getTime() ?? Number.POSITIVE_INFINITY)).toBe(true);
  });

  it('pages ListDeploymentTargets with nextToken and reads single targets', async () => {
    await provision(stack, 'paged', 'paged-dev', 7);
    const deploymentId = await createDeployment(stack, 'paged', 'paged-dev', empty, {
      deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
    });
    await stack.standIn.waitForDeployment(deploymentId);

    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await stack.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken }));
      pages.push(page.targetIds ?? []);
      nextToken = page.nextToken;
    } while (nextToken);
    const single = await stack.codedeploy.send(
      new GetDeploymentTargetCommand({ deploymentId, targetId: pages[0]?.[0] ?? '' }),
    );

    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat().sort()).toEqual(stack.standIn.instances('paged', 'paged-dev').map((i) => i.id));
    expect(single.deploymentTarget?.deploymentTargetType).toBe('InstanceTarget');
    expect(single.deploymentTarget?.instanceTarget).toMatchObject({
      deploymentId,
      targetId: pages[0]?.[0],
      targetArn: `arn:aws:ec2:us-east-1:123456789012:instance/${pages[0]?.[0]}`,
      status: 'Succeeded',
    });
    await expect(
      stack.codedeploy.send(
        new GetDeploymentTargetCommand({ deploymentId, targetId: 'i-0123456789abcdef0' }),
      ),
    ).rejects.toBeInstanceOf(DeploymentTargetDoesNotExistException);
  });

  it('returns at most 25 targets per BatchGetDeploymentTargets, like AWS', async () => {
    await provision(stack, 'fleet', 'fleet-dev', 26);
    const deploymentId = await createDeployment(stack, 'fleet', 'fleet-dev', empty, {
      deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
    });
    await stack.standIn.waitForDeployment(deploymentId);
    const ids = stack.standIn.instances('fleet', 'fleet-dev').map((i) => i.id);

    const batch = stack.codedeploy.send(
      new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ids }),
    );

    await expect(batch).rejects.toBeInstanceOf(DeploymentTargetListSizeExceededException);
    const targets = await allTargets(stack, deploymentId);
    expect(targets.map((t) => t.instanceTarget?.status)).toEqual(ids.map(() => 'Succeeded'));
  });

  it('stops a deployment: running events finish, nothing new starts, STOP is emitted', async () => {
    await provision(stack, 'halt', 'halt-dev', 2);
    const deploymentId = await createDeployment(stack, 'halt', 'halt-dev', slow);
    await new Promise((resolve) => setTimeout(resolve, 150));

    const stopped = await stack.codedeploy.send(new StopDeploymentCommand({ deploymentId }));

    expect(stopped.status).toBe('Succeeded');
    expect(await stack.standIn.waitForDeployment(deploymentId)).toBe('Stopped');
    const { deploymentInfo } = await stack.codedeploy.send(new GetDeploymentCommand({ deploymentId }));
    expect(deploymentInfo?.deploymentOverview).toMatchObject({ Succeeded: 0, Failed: 1, Skipped: 1 });
    expect(
      stack.events.filter((e) => e.detail.deploymentId === deploymentId).map((e) => e.detail.state),
    ).toEqual(['START', 'STOP']);
    await expect(stack.codedeploy.send(new StopDeploymentCommand({ deploymentId }))).rejects.toBeInstanceOf(
      DeploymentAlreadyCompletedException,
    );
  });

  it.each([false, true])(
    "stops through the operator's stopper (autoRollback %s), then refuses it as finished",
    async (autoRollback) => {
      const group = `stopper-${autoRollback}`;
      await provision(stack, 'stopper', group, 2);
      const deploymentId = await createDeployment(stack, 'stopper', group, slow);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const stopper = codedeployStopper(stack.codedeploy);

      expect(await stopper.stop(deploymentId, autoRollback)).toEqual({
        status: 'Succeeded',
        message: 'No more commands will be scheduled for execution in the deployment instances',
      });
      expect(await stack.standIn.waitForDeployment(deploymentId)).toBe('Stopped');
      await expect(stopper.stop(deploymentId, autoRollback)).rejects.toBeInstanceOf(DeploymentFinishedError);
      await expect(stopper.stop('d-NOSUCH000', autoRollback)).rejects.toEqual(
        new NotFoundError('CodeDeploy has no deployment d-NOSUCH000'),
      );
    },
  );
});
