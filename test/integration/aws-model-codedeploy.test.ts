// CodeDeploy's API model as the oracle for both sides of the wire: every request Baton's adapters send
// validates as that operation's input, and every answer of the local CodeDeploy as its output.
import {
  CodeDeployClient,
  ContinueDeploymentCommand,
  GetApplicationCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  ListDeploymentGroupsCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codedeployDeployer } from '../../shared/aws/codedeploy-deployer';
import { codedeployLookup } from '../../shared/aws/codedeploy-lookup';
import { codedeployReader } from '../../shared/aws/codedeploy-reader';
import { codedeployStopper } from '../../shared/aws/codedeploy-stopper';
import { codedeployTargets } from '../../shared/aws/codedeploy-targets';
import { DeploymentFinishedError } from '../../shared/core/rules/errors';
import { checkOperation } from '../support/aws-model';
import { awsModel } from '../support/aws-models';
import {
  appspec,
  provision,
  provisionBlueGreen,
  type Stack,
  startStack,
  upload,
  webBundle,
  zipBundle,
} from '../support/local-codedeploy-fixtures';
import { startWireRecorder } from '../support/wire-recorder';

const model = awsModel('codedeploy');
// The one answer outside the model, on purpose: the stand-in reports OneAtATime as CodeDeploy's
// GetDeploymentConfig does (see local/codedeploy/health.ts), with a type the model's enum does not list.
const UNDOCUMENTED = [
  'GetDeploymentConfig answer $.deploymentConfigInfo.minimumHealthyHosts.type: "MOST_CONCURRENCY" is not one of HOST_COUNT, FLEET_PERCENT',
];
let stack: Stack;
let wire: Awaited<ReturnType<typeof startWireRecorder>>;
let client: CodeDeployClient;

beforeAll(async () => {
  stack = await startStack({ pageSize: 2 });
  wire = await startWireRecorder(stack.standIn.endpoint);
  client = new CodeDeployClient({
    endpoint: wire.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  });
  await provision(stack, 'shop', 'shop-dev', 3);
});
afterAll(async () => {
  client.destroy();
  await wire.stop();
  await stack.stop();
});

const release = async (failAt?: string) => {
  const hooks = { ValidateService: 'validate.sh' };
  const script = failAt ? 'exit 3' : 'exit 0';
  const bundle = zipBundle({ 'appspec.yml': appspec(hooks), 'validate.sh': `#!/bin/sh\n${script}\n` });
  const key = `artifacts/shop/${Date.now()}.zip`;
  const object = await upload(stack, key, bundle);
  const deploymentId = await codedeployDeployer(client).createDeployment({
    codedeployApplication: 'shop',
    deploymentGroup: 'shop-dev',
    bucket: stack.bucket,
    key,
    bundleType: 'zip',
    etag: `"${object.eTag}"`,
    ...(object.version ? { versionId: object.version } : {}),
    description: 'baton request r-1 (release v1.2.3)',
  });
  await stack.standIn.waitForDeployment(deploymentId);
  return deploymentId;
};

describe('the CodeDeploy wire against the API model', () => {
  it('Baton sends, and the stand-in answers, only what the model allows', async () => {
    const since = new Date(Date.now() - 60_000);
    const good = await release();
    const bad = await release('ValidateService');
    for (const id of [good, bad]) {
      await codedeployReader(client).deployment(id);
      await codedeployReader(client).targets(id);
    }
    const [instance] = stack.standIn.instances('shop', 'shop-dev');
    await codedeployTargets(client).deployment(good);
    await codedeployTargets(client).target(good, instance?.id ?? '');
    await codedeployTargets(client).target(good, 'i-0123456789abcdef0');
    await codedeployLookup(client).find({
      codedeployApplication: 'shop',
      deploymentGroup: 'shop-dev',
      marker: 'r-1',
      since,
    });
    await client.send(new GetApplicationCommand({ applicationName: 'shop' }));
    await client.send(
      new GetDeploymentGroupCommand({ applicationName: 'shop', deploymentGroupName: 'shop-dev' }),
    );
    await client.send(new ListDeploymentGroupsCommand({ applicationName: 'shop' }));
    await client.send(
      new GetDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.OneAtATime' }),
    );
    // The operator's stopper, on a deployment that finished: its request is the model's, and the
    // refusal CodeDeploy answers is told as the deployment having finished.
    await expect(codedeployStopper(client).stop(good, true)).rejects.toBeInstanceOf(DeploymentFinishedError);

    const operations = new Set(wire.calls.map((c) => c.operation));
    const problems = wire.calls.flatMap((call) => [
      ...checkOperation(model, call.operation, 'input', call.request).map(
        (p) => `${call.operation} request ${p}`,
      ),
      ...(call.status === 200
        ? checkOperation(model, call.operation, 'output', call.response).map(
            (p) => `${call.operation} answer ${p}`,
          )
        : []),
    ]);

    expect(problems.filter((p) => !UNDOCUMENTED.includes(p))).toEqual([]);
    expect([...operations].sort()).toEqual(
      expect.arrayContaining([
        'BatchGetDeploymentTargets',
        'CreateDeployment',
        'GetDeployment',
        'GetDeploymentTarget',
        'ListDeploymentTargets',
        'ListDeployments',
        'StopDeployment',
      ]),
    );
  });

  it('a blue/green group and deployment: the style, labels and waits the stand-in answers are in the model', async () => {
    await provisionBlueGreen(stack, 'shop', 'shop-prod', 2, { waitMinutes: 0 });
    const from = wire.calls.length;
    const key = `artifacts/shop/bg-${Date.now()}.zip`;
    const object = await upload(stack, key, webBundle());
    const deploymentId = await codedeployDeployer(client).createDeployment({
      codedeployApplication: 'shop',
      deploymentGroup: 'shop-prod',
      bucket: stack.bucket,
      key,
      bundleType: 'zip',
      etag: `"${object.eTag}"`,
      ...(object.version ? { versionId: object.version } : {}),
      description: 'baton request r-2 (release v1.2.4)',
    });
    expect(await stack.standIn.waitForDeployment(deploymentId)).toBe('Succeeded');
    await codedeployReader(client).deployment(deploymentId);
    await codedeployReader(client).targets(deploymentId);
    await client.send(
      new ListDeploymentTargetsCommand({ deploymentId, targetFilters: { ServerInstanceLabel: ['Green'] } }),
    );
    await client.send(
      new GetDeploymentGroupCommand({ applicationName: 'shop', deploymentGroupName: 'shop-prod' }),
    );
    await client
      .send(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'TERMINATION_WAIT' }))
      .catch(() => undefined);

    const calls = wire.calls.slice(from);
    const problems = calls.flatMap((call) =>
      call.status === 200
        ? checkOperation(model, call.operation, 'output', call.response).map(
            (p) => `${call.operation} answer ${p}`,
          )
        : [],
    );
    expect(problems).toEqual([]);
    const targets = calls.find((c) => c.operation === 'BatchGetDeploymentTargets')?.response as {
      deploymentTargets: { instanceTarget: { instanceLabel: string } }[];
    };
    expect(targets.deploymentTargets.map((t) => t.instanceTarget.instanceLabel).sort()).toEqual([
      'Blue',
      'Blue',
      'Green',
      'Green',
    ]);
  });

  it("answers errors in the shape of the operation's documented exceptions", () => {
    const errors = wire.calls.filter((c) => c.status !== 200);
    const documented = (operation: string) =>
      (model.operations[operation] as { errors?: { shape: string }[] } | undefined)?.errors?.map(
        (e) => e.shape,
      ) ?? [];

    expect(errors.length).toBeGreaterThan(0);
    for (const call of errors) {
      const type = String((call.response as { __type?: unknown }).__type ?? '');
      expect(documented(call.operation), `${call.operation} answered ${type}`).toContain(type);
    }
  });
});
