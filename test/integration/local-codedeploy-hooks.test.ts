// The stand-in runs appspec hooks like the CodeDeploy agent: lifecycle order, environment, files section.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appspec,
  deployAndWait,
  provision,
  type Stack,
  startStack,
  zipBundle,
} from '../support/local-codedeploy-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ extraHookEnv: { BATON_SECRETS_URL: 'http://127.0.0.1:1/secrets' } });
});
afterAll(() => stack.stop());

const HOOKS = ['BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'] as const;

describe('hook environment and lifecycle order', () => {
  it('runs each hook in order with the agent variables, the instance variables and the extra env', async () => {
    const groupId = await provision(stack, 'env-app', 'env-dg', 2);
    const record = 'printenv | grep -E "^(LIFECYCLE_EVENT|DEPLOYMENT_|APPLICATION_NAME|BATON_)" | sort';
    const bundle = zipBundle({
      'appspec.yml': appspec(Object.fromEntries(HOOKS.map((h) => [h, 'scripts/record.sh']))),
      'scripts/record.sh': `#!/bin/bash\n{ echo "--- $LIFECYCLE_EVENT"; ${record}; } >> "$BATON_INSTANCE_ROOT/env.log"\n`,
    });

    const { deploymentId, status, targets } = await deployAndWait(stack, 'env-app', 'env-dg', bundle);

    expect(status).toBe('Succeeded');
    const [first] = stack.standIn.instances('env-app', 'env-dg');
    const log = readFileSync(join(first?.root ?? '', 'env.log'), 'utf8');
    expect(log.match(/^--- \w+$/gm)).toEqual(HOOKS.map((h) => `--- ${h}`));
    const group = await stack.codedeploy.send(
      new GetDeploymentGroupCommand({ applicationName: 'env-app', deploymentGroupName: 'env-dg' }),
    );
    expect(group.deploymentGroupInfo?.deploymentGroupId).toBe(groupId);
    const block = log.split('--- ValidateService\n')[1] ?? '';
    expect(block.split('\n').filter(Boolean)).toEqual([
      'APPLICATION_NAME=env-app',
      `BATON_INSTANCE_PORT=${first?.port}`,
      `BATON_INSTANCE_ROOT=${first?.root}`,
      `BATON_LOCAL_INSTANCE_ID=${first?.id}`,
      'BATON_SECRETS_URL=http://127.0.0.1:1/secrets',
      `DEPLOYMENT_GROUP_ID=${groupId}`,
      'DEPLOYMENT_GROUP_NAME=env-dg',
      `DEPLOYMENT_ID=${deploymentId}`,
      'LIFECYCLE_EVENT=ValidateService',
    ]);
    expect(targets[0]?.lifecycleEvents?.map((e) => e.lifecycleEventName)).toEqual([
      'ApplicationStop',
      'DownloadBundle',
      'BeforeInstall',
      'Install',
      'AfterInstall',
      'ApplicationStart',
      'ValidateService',
    ]);
    const validate = targets[0]?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'ValidateService');
    expect(validate?.diagnostics).toMatchObject({
      errorCode: 'Success',
      scriptName: '',
      message: 'Succeeded',
    });
    expect(validate?.startTime).toBeInstanceOf(Date);
    expect(validate?.diagnostics?.logTail).toContain(
      'LifecycleEvent - ValidateService\nScript - scripts/record.sh\n',
    );
  });
});

describe('files section and redeployment', () => {
  it('installs files under the instance root, replaces them on the next deployment, and stops the old revision', async () => {
    await provision(stack, 'files-app', 'files-dg', 1);
    const revision = (n: number) =>
      zipBundle({
        'appspec.yml': [
          'version: 0.0',
          'os: linux',
          'files:',
          '  - source: site',
          '    destination: /var/www/html',
          '  - source: config/app.env',
          '    destination: /etc/baton-app',
          'hooks:',
          '  ApplicationStop:',
          '    - location: scripts/stop.sh',
        ].join('\n'),
        'site/index.html': `<h1>revision ${n}</h1>`,
        'site/assets/app.js': `console.log(${n});`,
        'config/app.env': `REVISION=${n}\n`,
        'scripts/stop.sh': `echo "stopping revision ${n}" >> "$BATON_INSTANCE_ROOT/stop.log"\n`,
      });

    const first = await deployAndWait(stack, 'files-app', 'files-dg', revision(1));
    const second = await deployAndWait(stack, 'files-app', 'files-dg', revision(2));

    expect([first.status, second.status]).toEqual(['Succeeded', 'Succeeded']);
    const root = stack.standIn.instances('files-app', 'files-dg')[0]?.root ?? '';
    expect(readFileSync(join(root, 'var/www/html/index.html'), 'utf8')).toBe('<h1>revision 2</h1>');
    expect(readFileSync(join(root, 'var/www/html/assets/app.js'), 'utf8')).toBe('console.log(2);');
    expect(readFileSync(join(root, 'etc/baton-app/app.env'), 'utf8')).toBe('REVISION=2\n');
    // ApplicationStop runs from the revision installed before: nothing the first time, revision 1 the second.
    expect(readFileSync(join(root, 'stop.log'), 'utf8')).toBe('stopping revision 1\n');
    expect(second.info?.previousRevision?.s3Location?.key).toBe(first.info?.revision?.s3Location?.key);
  });

  it('refuses to overwrite a file it did not install (fileExistsBehavior DISALLOW)', async () => {
    await provision(stack, 'clash-app', 'clash-dg', 1);
    const root = stack.standIn.instances('clash-app', 'clash-dg')[0]?.root ?? '';
    execFileSync('mkdir', ['-p', join(root, 'srv')]);
    writeFileSync(join(root, 'srv/index.html'), 'hand-made');
    const bundle = zipBundle({
      'appspec.yml': 'version: 0.0\nos: linux\nfiles:\n  - source: index.html\n    destination: /srv\n',
      'index.html': 'from the revision',
    });

    const { status, targets } = await deployAndWait(stack, 'clash-app', 'clash-dg', bundle);

    expect(status).toBe('Failed');
    const install = targets[0]?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'Install');
    expect(install?.status).toBe('Failed');
    expect(install?.diagnostics).toMatchObject({
      errorCode: 'UnknownError',
      message:
        'The deployment failed because a specified file already exists at this location: /srv/index.html',
    });
    expect(readFileSync(join(root, 'srv/index.html'), 'utf8')).toBe('hand-made');
  });

  it('refuses a files destination outside the instance root, naming the file, the destination and the rule', async () => {
    await provision(stack, 'escape-app', 'escape-dg', 1);
    const root = stack.standIn.instances('escape-app', 'escape-dg')[0]?.root ?? '';
    const bundle = zipBundle({
      'appspec.yml':
        'version: 0.0\nos: linux\nfiles:\n  - source: index.html\n    destination: ../../escaped\n',
      'index.html': 'from the revision',
    });

    const { status, targets } = await deployAndWait(stack, 'escape-app', 'escape-dg', bundle);

    expect(status).toBe('Failed');
    const install = targets[0]?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'Install');
    expect(install?.diagnostics).toMatchObject({
      errorCode: 'UnknownError',
      message: `appspec.yml files: the destination ../../escaped of index.html is outside the instance root ${root}: a destination is a path on the instance, which locally must stay inside its root (BATON_INSTANCE_ROOT)`,
    });
    expect(existsSync(join(root, '..', '..', 'escaped'))).toBe(false);
  });

  it('refuses a files source outside the revision, so no host file reaches the instance', async () => {
    await provision(stack, 'source-app', 'source-dg', 1);
    const root = stack.standIn.instances('source-app', 'source-dg')[0]?.root ?? '';
    const bundle = zipBundle({
      'appspec.yml': 'version: 0.0\nos: linux\nfiles:\n  - source: ../..\n    destination: /srv/host\n',
      'index.html': 'from the revision',
    });

    const { status, targets } = await deployAndWait(stack, 'source-app', 'source-dg', bundle);

    expect(status).toBe('Failed');
    const install = targets[0]?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'Install');
    expect(install?.diagnostics?.errorCode).toBe('UnknownError');
    expect(install?.diagnostics?.message).toMatch(
      /^appspec\.yml files: the source \.\.\/\.\. is outside the revision .+: a source is a path inside the revision$/,
    );
    expect(existsSync(join(root, 'srv', 'host'))).toBe(false);
  });

  it('refuses a hook script whose location is outside the revision', async () => {
    await provision(stack, 'outside-app', 'outside-dg', 1);
    const bundle = zipBundle({ 'appspec.yml': appspec({ BeforeInstall: '../../../outside.sh' }) });

    const { status, targets } = await deployAndWait(stack, 'outside-app', 'outside-dg', bundle);

    expect(status).toBe('Failed');
    const hook = targets[0]?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'BeforeInstall');
    expect(hook?.diagnostics?.errorCode).toBe('ScriptMissing');
    expect(hook?.diagnostics?.message).toMatch(
      /^appspec\.yml hooks: the location \.\.\/\.\.\/\.\.\/outside\.sh of BeforeInstall is outside the revision .+: a script's location is a path inside the revision$/,
    );
  });

  it('unpacks tgz bundles with the system tar', async () => {
    await provision(stack, 'tgz-app', 'tgz-dg', 1);
    const dir = mkdtempSync(join(tmpdir(), 'baton-tgz-'));
    writeFileSync(join(dir, 'appspec.yml'), appspec({ AfterInstall: 'hello.sh' }));
    writeFileSync(join(dir, 'hello.sh'), 'echo "hello from tgz" > "$BATON_INSTANCE_ROOT/hello.txt"\n');
    const tgz = execFileSync('tar', ['-czf', '-', '-C', dir, 'appspec.yml', 'hello.sh']);
    rmSync(dir, { recursive: true });

    const { status } = await deployAndWait(stack, 'tgz-app', 'tgz-dg', tgz, { bundleType: 'tgz' });

    expect(status).toBe('Succeeded');
    const root = stack.standIn.instances('tgz-app', 'tgz-dg')[0]?.root ?? '';
    expect(readFileSync(join(root, 'hello.txt'), 'utf8')).toBe('hello from tgz\n');
  });
});
