// End to end: a zip uploaded to moto's S3 is deployed by the stand-in, which emits the state-change events.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentStateChangeEvent } from '../../local/codedeploy';
import {
  deployAndWait,
  provision,
  type Stack,
  startStack,
  zipBundle,
} from '../support/local-codedeploy-fixtures';

const sample = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '../../events/codedeploy', name), 'utf8'));

/** The key structure of a JSON value: the same for two events of the same shape. */
const shape = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  }
  return typeof value;
};

let stack: Stack;
/** What a deployment-finished handler would have seen: the event and GetDeployment at that moment. */
const seen: { event: DeploymentStateChangeEvent; status?: string }[] = [];
beforeAll(async () => {
  let client: CodeDeployClient | undefined;
  stack = await startStack({
    onStateChange: async (event) => {
      const { deploymentId } = event.detail;
      const info = await client?.send(new GetDeploymentCommand({ deploymentId }));
      seen.push({ event, status: info?.deploymentInfo?.status });
    },
  });
  client = stack.codedeploy;
});
afterAll(() => stack.stop());

const webApp = zipBundle({
  'appspec.yml': [
    'version: 0.0',
    'os: linux',
    'files:',
    '  - source: app',
    '    destination: /opt/web',
    'hooks:',
    '  ApplicationStart:',
    '    - location: scripts/start.sh',
    '      timeout: 30',
    '  ValidateService:',
    '    - location: scripts/validate.sh',
  ].join('\n'),
  'app/server.js': 'console.log("hello from web");\n',
  'scripts/start.sh':
    '#!/usr/bin/env bash\nset -e\necho "started $DEPLOYMENT_ID" > "$BATON_INSTANCE_ROOT/opt/web/started"\n',
  'scripts/validate.sh': 'test -f "$BATON_INSTANCE_ROOT/opt/web/started" && echo healthy\n',
});

describe('from an S3 upload to the state-change event', () => {
  it('deploys a zip from moto to three instances and emits START then SUCCESS as EventBridge would', async () => {
    const groupId = await provision(stack, 'baton-web', 'web-dev', 3);

    const { deploymentId, status, targets, info } = await deployAndWait(
      stack,
      'baton-web',
      'web-dev',
      webApp,
    );

    expect(status).toBe('Succeeded');
    expect(targets.map((t) => t?.status)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
    expect(info?.revision?.s3Location?.version).toEqual(expect.any(String));
    for (const instance of stack.standIn.instances('baton-web', 'web-dev')) {
      expect(readFileSync(join(instance.root, 'opt/web/server.js'), 'utf8')).toBe(
        'console.log("hello from web");\n',
      );
      expect(readFileSync(join(instance.root, 'opt/web/started'), 'utf8')).toBe(`started ${deploymentId}\n`);
    }
    const mine = seen.filter((s) => s.event.detail.deploymentId === deploymentId);
    expect(mine.map((s) => [s.event.detail.state, s.status])).toEqual([
      ['START', 'InProgress'],
      ['SUCCESS', 'Succeeded'],
    ]);
    const success = mine[1]?.event;
    expect(shape(success)).toEqual(shape(sample('deployment-state-change-success.json')));
    expect(success).toMatchObject({
      version: '0',
      'detail-type': 'CodeDeploy Deployment State-change Notification',
      source: 'aws.codedeploy',
      account: '123456789012',
      region: 'us-east-1',
      resources: [
        'arn:aws:codedeploy:us-east-1:123456789012:application:baton-web',
        'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:baton-web/web-dev',
      ],
      detail: {
        region: 'us-east-1',
        deploymentId,
        instanceGroupId: groupId,
        deploymentGroup: 'web-dev',
        state: 'SUCCESS',
        application: 'baton-web',
      },
    });
    expect(success?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('emits FAILURE, in the shape of the failure sample, when the deployment fails', async () => {
    await provision(stack, 'baton-web', 'web-staging', 2);
    stack.standIn.failHook({
      application: 'baton-web',
      group: 'web-staging',
      instanceIndex: 0,
      hook: 'ValidateService',
    });

    const { deploymentId, status } = await deployAndWait(stack, 'baton-web', 'web-staging', webApp);

    expect(status).toBe('Failed');
    const failure = seen.find(
      (s) => s.event.detail.deploymentId === deploymentId && s.event.detail.state === 'FAILURE',
    );
    expect(failure?.status).toBe('Failed');
    expect(shape(failure?.event)).toEqual(shape(sample('deployment-state-change-failure.json')));
  });
});
