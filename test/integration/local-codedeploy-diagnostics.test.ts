// Failed hooks are reported with the CodeDeploy agent's diagnostics: codes, messages and log tails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appspec,
  deployAndWait,
  eventStatuses,
  provision,
  type Stack,
  startStack,
  zipBundle,
} from '../support/local-codedeploy-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

describe('diagnostics', () => {
  it('reports ScriptFailed with the exit code, the run-as user and the output, and skips the rest', async () => {
    await provision(stack, 'fail-app', 'fail-dg', 1);
    const bundle = zipBundle({
      'appspec.yml': appspec({ AfterInstall: { location: 'scripts/migrate.sh', runas: 'root' } }),
      'scripts/migrate.sh': 'echo "migrating"\necho "table users is locked" >&2\nexit 3\n',
    });

    const { status, targets, info } = await deployAndWait(stack, 'fail-app', 'fail-dg', bundle);

    expect(status).toBe('Failed');
    expect(info?.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
    const target = targets[0];
    expect(target?.status).toBe('Failed');
    expect(eventStatuses(target ?? {})).toEqual({
      ApplicationStop: 'Succeeded',
      DownloadBundle: 'Succeeded',
      BeforeInstall: 'Succeeded',
      Install: 'Succeeded',
      AfterInstall: 'Failed',
      ApplicationStart: 'Skipped',
      ValidateService: 'Skipped',
    });
    const failed = target?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'AfterInstall');
    expect(failed?.diagnostics).toEqual({
      errorCode: 'ScriptFailed',
      scriptName: 'scripts/migrate.sh',
      message: 'Script at specified location: scripts/migrate.sh run as user root failed with exit code 3',
      logTail:
        'LifecycleEvent - AfterInstall\nScript - scripts/migrate.sh\n[stdout]migrating\n[stderr]table users is locked\n',
    });
    const skipped = target?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'ValidateService');
    expect(skipped?.startTime).toBeUndefined();
    expect(skipped?.endTime).toBeInstanceOf(Date);
  });

  it('reports ScriptMissing with the absolute path the agent looked at', async () => {
    await provision(stack, 'missing-app', 'missing-dg', 1);
    const bundle = zipBundle({ 'appspec.yml': appspec({ ApplicationStart: 'scripts/start.sh' }) });

    const { targets } = await deployAndWait(stack, 'missing-app', 'missing-dg', bundle);

    const event = targets[0]?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'ApplicationStart');
    expect(event?.status).toBe('Failed');
    expect(event?.diagnostics?.errorCode).toBe('ScriptMissing');
    expect(event?.diagnostics?.scriptName).toBe('scripts/start.sh');
    expect(event?.diagnostics?.message).toMatch(
      /^Script does not exist at specified location: \/.+\/deployment-archive\/scripts\/start\.sh$/,
    );
  });

  it('reports ScriptTimedOut once the hook timeout passes, and ends the script', async () => {
    await provision(stack, 'slow-app', 'slow-dg', 1);
    const bundle = zipBundle({
      'appspec.yml': appspec({ ValidateService: { location: 'scripts/wait.sh', timeout: 1 } }),
      'scripts/wait.sh': 'echo "waiting for health"\nsleep 30\n',
    });
    const started = Date.now();

    const { targets } = await deployAndWait(stack, 'slow-app', 'slow-dg', bundle);

    expect(Date.now() - started).toBeLessThan(10_000);
    const event = targets[0]?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'ValidateService');
    expect(event?.diagnostics).toMatchObject({
      errorCode: 'ScriptTimedOut',
      scriptName: 'scripts/wait.sh',
      message: 'Script at specified location: scripts/wait.sh failed to complete in 1 seconds',
      logTail: 'LifecycleEvent - ValidateService\nScript - scripts/wait.sh\n[stdout]waiting for health\n',
    });
  });

  it('reports UnknownError from DownloadBundle when the revision ETag does not match', async () => {
    await provision(stack, 'etag-app', 'etag-dg', 1);
    const bundle = zipBundle({ 'appspec.yml': appspec({}) });

    const { targets } = await deployAndWait(stack, 'etag-app', 'etag-dg', bundle, {
      eTag: '"0123456789abcdef"',
    });

    const event = targets[0]?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'DownloadBundle');
    expect(event?.status).toBe('Failed');
    expect(event?.diagnostics?.errorCode).toBe('UnknownError');
    expect(event?.diagnostics?.message).toMatch(
      /^Expected deployment artifact bundle etag "0123456789abcdef" but was actually "[0-9a-f]{32}"$/,
    );
    expect(eventStatuses(targets[0] ?? {}).BeforeInstall).toBe('Skipped');
  });

  it('keeps only the last 4 KB of output as the log tail', async () => {
    await provision(stack, 'noisy-app', 'noisy-dg', 1);
    const bundle = zipBundle({
      'appspec.yml': appspec({ BeforeInstall: 'noisy.sh' }),
      'noisy.sh': 'for i in $(seq 1 2000); do echo "line $i"; done\nexit 1\n',
    });

    const { targets } = await deployAndWait(stack, 'noisy-app', 'noisy-dg', bundle);

    const tail = targets[0]?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'BeforeInstall')
      ?.diagnostics?.logTail;
    expect(Buffer.byteLength(tail ?? '')).toBe(4096);
    expect(tail?.endsWith('[stdout]line 1999\n[stdout]line 2000\n')).toBe(true);
  });

  it('makes an injected failure look like a real script failure', async () => {
    await provision(stack, 'inject-app', 'inject-dg', 2);
    stack.standIn.failHook({ group: 'inject-dg', instanceIndex: 1, hook: 'ValidateService', exitCode: 7 });
    const bundle = zipBundle({
      'appspec.yml': appspec({ ValidateService: 'check.sh' }),
      'check.sh': 'exit 0\n',
    });

    const { status, targets } = await deployAndWait(stack, 'inject-app', 'inject-dg', bundle, {
      deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
    });

    expect(status).toBe('Succeeded');
    expect(targets.map((t) => t?.status)).toEqual(['Succeeded', 'Failed']);
    const event = targets[1]?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'ValidateService');
    expect(event?.diagnostics).toMatchObject({
      errorCode: 'ScriptFailed',
      scriptName: 'check.sh',
      message: 'Script at specified location: check.sh failed with exit code 7',
    });
    expect(event?.diagnostics?.logTail).toContain('[stderr]baton: injected failure of ValidateService\n');
  });
});
