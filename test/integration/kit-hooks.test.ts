// The zero-downtime hook kit (codedeploy/kit) run as the CodeDeploy agent runs hooks, on the example
// revision as CI builds it, with Baton's real secrets hook against a loopback stand-in of the secrets
// URL: a release folder per deployment, secrets in it before the switch, a `current` that is never
// missing, graceful reloads, pruning, rollback and an ApplicationStop that never fails.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { root } from '../support/fixtures';
import { type Received, type Reply, runScript, standIn } from '../support/hook';
import {
  deploymentId,
  fakeCommand,
  HOOK_SCRIPTS,
  liveRelease,
  runKitHook,
  secretsReply,
  startLinkReader,
  unpackExample,
} from '../support/kit';

const [D1, D2, D3, D4, D5] = [1, 2, 3, 4, 5].map(deploymentId) as [string, string, string, string, string];

let work: string;
let revision: string;
let appRoot: string;
let reloads: string;
let server: Awaited<ReturnType<typeof standIn>>;
let reply: (req: Received) => Reply;

/** What the instance gives every hook, and a reload command that records what was live at the time. */
const baseEnv = (): Record<string, string> => ({
  BATON_KIT_APP_ROOT: appRoot,
  BATON_KIT_RELOAD_COMMAND: `{ readlink "$BATON_KIT_CURRENT"; ls -A "$BATON_KIT_RELEASE"; echo; } >> '${reloads}'`,
  BATON_SECRETS_URL: `${server.url}/`,
  BATON_SECRETS_CONFIG: join(work, 'no-such.conf'),
  BATON_SECRETS_RETRY_DELAY: '0',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_REGION: 'us-east-1',
});

const hook = (event: keyof typeof HOOK_SCRIPTS, id: string, extra: Record<string, string> = {}) =>
  runKitHook(revision, event, id, { ...baseEnv(), ...extra });

/** ApplicationStop, AfterInstall, ApplicationStart of one deployment, each expected to succeed. */
const deploy = async (id: string, extra: Record<string, string> = {}) => {
  for (const event of ['ApplicationStop', 'AfterInstall', 'ApplicationStart'] as const) {
    const run = await hook(event, id, extra);
    expect(run, `${event} of ${id}`).toMatchObject({ code: 0 });
  }
};

/** What the last reload saw: where current pointed, then the new release's files. */
const lastReload = () => readFileSync(reloads, 'utf8').split('\n\n').filter(Boolean).at(-1)?.split('\n');
const releases = () => readdirSync(join(appRoot, 'releases')).sort();
const history = () => readFileSync(join(appRoot, '.baton-kit-history'), 'utf8').split('\n').filter(Boolean);
const rollback = (extra: Record<string, string> = {}) =>
  runScript([join(appRoot, 'current', '.baton-kit', 'rollback.sh')], { ...baseEnv(), ...extra });

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'baton-kit-'));
  revision = unpackExample(join(work, 'revision'));
  appRoot = join(work, 'srv', 'zero-downtime');
  reloads = join(work, 'reloads.log');
  reply = (req) => secretsReply(req.body);
  server = await standIn((req) => reply(req));
});

afterEach(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a deployment with the kit', () => {
  it('installs each deployment into releases/<deployment id> and points current at the newest', async () => {
    await deploy(D1);
    writeFileSync(join(revision, 'app', 'index.html'), '<h1>second</h1>\n');
    await deploy(D2);

    expect(releases()).toEqual([D1, D2]);
    expect(liveRelease(appRoot)).toBe(`releases/${D2}`);
    expect(readFileSync(join(appRoot, 'current', 'index.html'), 'utf8')).toBe('<h1>second</h1>\n');
    expect(readFileSync(join(appRoot, 'releases', D1, 'index.html'), 'utf8')).toContain('zero-downtime');
    // The kit travels with each release, so that rollback.sh is at hand on the instance.
    expect(statSync(join(appRoot, 'current', '.baton-kit', 'rollback.sh')).mode & 0o111).toBe(0o111);
    expect(readdirSync(join(appRoot, 'current', '.baton-kit')).sort()).toEqual([
      'install.sh',
      'kit.conf',
      'lib.sh',
      'rollback.sh',
      'stop.sh',
      'switch.sh',
    ]);
    expect(history()).toEqual([D1, D2]);
    expect(server.received.map((r) => r.body)).toEqual([D1, D2].map((id) => `{"deploymentId":"${id}"}`));
  });

  it('places the secrets in the new release before the switch, while the old one stays live', async () => {
    await deploy(D1);
    const install = await hook('AfterInstall', D2);

    expect(install.code).toBe(0);
    expect(install.stdout).toContain(
      `baton-secrets: wrote .env (0600) in ${appRoot}/releases/.${D2}.partial-`,
    );
    expect(liveRelease(appRoot)).toBe(`releases/${D1}`);
    const env = join(appRoot, 'releases', D2, '.env');
    expect(readFileSync(env, 'utf8')).toBe(`DEPLOYMENT=${D2}\nAPI_TOKEN=tok_${D2}\n`);
    expect((statSync(env).mode & 0o777).toString(8)).toBe('600');

    expect((await hook('ApplicationStart', D2)).code).toBe(0);
    // At the reload, current already named the new release, and its .env was there.
    expect(lastReload()).toEqual([`releases/${D2}`, '.baton-kit', '.env', 'index.html']);
  });

  it('leaves no release and the live one untouched when the secrets are refused', async () => {
    await deploy(D1);
    reply = () => ({ status: 403, body: '{"reason":"the instance is not in this deployment"}' });

    const install = await hook('AfterInstall', D2);
    const start = await hook('ApplicationStart', D2);

    expect(install.code).toBe(5);
    expect(install.stderr).toContain('baton-kit: the secrets hook failed (exit 5)');
    expect(releases()).toEqual([D1]);
    expect(start.code).toBe(2);
    expect(start.stderr).toContain(`releases/${D2} does not exist: AfterInstall builds it`);
    expect(liveRelease(appRoot)).toBe(`releases/${D1}`);
  });

  it('never leaves a moment without current while the switch runs 80 times', async () => {
    await deploy(D1);
    await deploy(D2);
    const switches = join(work, 'switches.sh');
    writeFileSync(
      switches,
      `for i in $(seq 40); do for id in ${D1} ${D2}; do
  DEPLOYMENT_ID=$id bash '${join(revision, HOOK_SCRIPTS.ApplicationStart)}' >/dev/null || exit 1
done; done`,
    );
    const reader = await startLinkReader(join(appRoot, 'current'));

    const run = await runScript([switches], { ...baseEnv(), BATON_KIT_RELOAD_COMMAND: ':' }, 170_000);
    const seen = await reader.stop();

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(seen.misses).toBe(0);
    expect(seen.reads).toBeGreaterThan(10_000);
    expect(seen.seen.sort()).toEqual([`releases/${D1}`, `releases/${D2}`]);
    expect(readdirSync(appRoot).filter((name) => name.startsWith('.current.tmp'))).toEqual([]);
  }, 180_000);
});

describe('reload', () => {
  it('puts current back on the live release and fails the hook when the reload fails', async () => {
    await deploy(D1);
    await hook('AfterInstall', D2);

    const start = await hook('ApplicationStart', D2, { BATON_KIT_RELOAD_COMMAND: 'exit 3' });

    expect(start.code).toBe(1);
    expect(start.stderr).toContain('no BATON_KIT_START_COMMAND is set');
    expect(start.stderr).toContain(`the reload failed: current is back on releases/${D1}`);
    expect(liveRelease(appRoot)).toBe(`releases/${D1}`);
    expect(history()).toEqual([D1]);
  });

  it('reloads the service with systemctl, restarting it only when the reload fails (kit.conf)', async () => {
    const bin = join(work, 'bin');
    const calls = join(work, 'systemctl.log');
    fakeCommand(bin, 'systemctl', `echo "$*" >> '${calls}'; [ "$1" != reload ] || [ -e '${work}/up' ]`);
    const env = { BATON_KIT_RELOAD_COMMAND: '', PATH: `${bin}:${process.env.PATH}` };

    await deploy(D1, env);
    writeFileSync(join(work, 'up'), '');
    await deploy(D2, env);

    expect(readFileSync(calls, 'utf8')).toBe('reload nginx\nrestart nginx\nreload nginx\n');
  });

  it('signals the process of the pid file, started by the start command when none ran', async () => {
    const pidFile = join(work, 'web.pid');
    const signals = join(work, 'signals.log');
    const serve = `trap 'echo HUP >> ${signals}' HUP; while :; do sleep 0.05; done`;
    // A config of its own: the example's names a service, which comes before a pid file.
    writeFileSync(join(work, 'pid.conf'), `BATON_KIT_APP_ROOT=${appRoot}\n`);
    const env = {
      BATON_KIT_CONFIG: join(work, 'pid.conf'),
      BATON_KIT_RELOAD_COMMAND: '',
      BATON_KIT_PID_FILE: pidFile,
      BATON_KIT_START_COMMAND: `bash -c "${serve}" </dev/null >/dev/null 2>&1 & echo $! > '${pidFile}'; echo started >> '${signals}'`,
    };
    try {
      await deploy(D1, env);
      // The server the start command left running does not hold the kit's lock.
      expect(() => execFileSync('flock', ['-n', join(appRoot, '.baton-kit.lock'), 'true'])).not.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await deploy(D2, env);
      await expect.poll(() => readFileSync(signals, 'utf8')).toBe('started\nHUP\n');
    } finally {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    }
  });

  it('refuses a signal name before touching current', async () => {
    await deploy(D1);
    await hook('AfterInstall', D2);

    const start = await hook('ApplicationStart', D2, { BATON_KIT_RELOAD_SIGNAL: '-9 1' });

    expect(start.code).toBe(2);
    expect(start.stderr).toContain('BATON_KIT_RELOAD_SIGNAL must be a signal name');
    expect(liveRelease(appRoot)).toBe(`releases/${D1}`);
  });
});

describe('pruning', () => {
  it('keeps the newest BATON_KIT_KEEP releases', async () => {
    const keep = { BATON_KIT_KEEP: '3' };
    for (const id of [D1, D2, D3, D4, D5]) await deploy(id, keep);

    expect(releases()).toEqual([D3, D4, D5]);
    expect(history()).toEqual([D3, D4, D5]);
  });

  it('never removes the live release or the one before it, nor what is not a release', async () => {
    mkdirSync(join(appRoot, 'releases', 'shared-uploads'), { recursive: true });
    mkdirSync(join(appRoot, 'releases', `.${D4}.partial-999999`));
    for (const id of [D1, D2, D3]) await deploy(id, { BATON_KIT_KEEP: '1' });

    expect(releases()).toEqual([D2, D3, 'shared-uploads']);
    expect(liveRelease(appRoot)).toBe(`releases/${D3}`);
  });

  it('defaults to five releases', async () => {
    for (const id of [1, 2, 3, 4, 5, 6, 7].map(deploymentId)) await deploy(id);

    expect(releases()).toEqual([3, 4, 5, 6, 7].map(deploymentId));
  });

  it('refuses a keep count that is not a number', async () => {
    await hook('AfterInstall', D1);
    const start = await hook('ApplicationStart', D1, { BATON_KIT_KEEP: 'all' });

    expect(start.code).toBe(2);
    expect(start.stderr).toBe('baton-kit: BATON_KIT_KEEP must be a number from 1 to 999, not all\n');
    expect(existsSync(join(appRoot, 'current'))).toBe(false);
  });
});

describe('rollback.sh', () => {
  it('repoints current to the previous release at once, and further back when run again', async () => {
    for (const id of [D1, D2, D3]) await deploy(id);

    const first = await rollback();
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`baton-kit: rolled back from releases/${D3} to releases/${D2}`);
    expect(liveRelease(appRoot)).toBe(`releases/${D2}`);
    expect(lastReload()?.[0]).toBe(`releases/${D2}`);

    expect((await rollback()).code).toBe(0);
    expect(liveRelease(appRoot)).toBe(`releases/${D1}`);
    const none = await rollback();
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(`baton-kit: no earlier release to roll back to from releases/${D1}\n`);
    expect(liveRelease(appRoot)).toBe(`releases/${D1}`);
  });

  it('finds the application root from the release it runs in, and the next deployment prunes what was rolled back', async () => {
    for (const id of [D1, D2, D3]) await deploy(id);
    const env = { ...baseEnv(), BATON_KIT_APP_ROOT: '/nonexistent' };

    expect((await runScript([join(appRoot, 'current', '.baton-kit', 'rollback.sh')], env)).code).toBe(0);
    expect(history()).toEqual([D1, D2]);
    await deploy(D4);

    expect(releases()).toEqual([D1, D2, D4]);
    expect(history()).toEqual([D1, D2, D4]);
  });

  it('keeps current where it was when the reload fails', async () => {
    for (const id of [D1, D2]) await deploy(id);

    const run = await rollback({ BATON_KIT_RELOAD_COMMAND: 'exit 1' });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the rollback to releases/${D1} failed`);
    expect(liveRelease(appRoot)).toBe(`releases/${D2}`);
    expect(history()).toEqual([D1, D2]);
  });
});

describe('stop.sh (ApplicationStop)', () => {
  it('stops nothing by default', async () => {
    const run = await hook('ApplicationStop', D1);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      'baton-kit: nothing to stop: the server keeps serving current until ApplicationStart reloads it\n',
    );
  });

  it('succeeds when the stop command fails, as for a server that is stopped already', async () => {
    const run = await hook('ApplicationStop', D1, {
      BATON_KIT_STOP_COMMAND: 'systemctl stop no-such-unit-x',
    });

    expect(run.code).toBe(0);
    expect(run.stderr).toContain('baton-kit: warning: the stop command failed');
  });

  it('succeeds with a broken config file, a missing one, and without its library', async () => {
    const conf = join(work, 'broken.conf');
    writeFileSync(conf, 'BATON_KIT_KEPE=3\nBATON_KIT_STOP_COMMAND=exit 9\n');
    const broken = await hook('ApplicationStop', D1, { BATON_KIT_CONFIG: conf });
    const missing = await hook('ApplicationStop', D1, { BATON_KIT_CONFIG: join(work, 'none.conf') });
    const alone = join(work, 'alone');
    mkdirSync(alone);
    copyFileSync(join(revision, HOOK_SCRIPTS.ApplicationStop), join(alone, 'stop.sh'));
    const noLibrary = await runScript([join(alone, 'stop.sh')], {});

    expect([broken.code, missing.code, noLibrary.code]).toEqual([0, 0, 0]);
    expect(broken.stderr).toContain('warning: unknown setting BATON_KIT_KEPE');
    expect(broken.stderr).toContain('warning: the stop command failed (exit 9)');
    expect(missing.stderr).toContain('warning: the config file');
  });
});

const shellcheck = (() => {
  try {
    execFileSync('shellcheck', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!shellcheck)('the kit scripts', () => {
  it('are shellcheck-clean', () => {
    const kit = join(root, 'codedeploy', 'kit');
    const scripts = readdirSync(kit)
      .filter((name) => name.endsWith('.sh'))
      .map((name) => join(kit, name));
    const example = join(root, 'examples', 'zero-downtime', 'scripts', 'validate.sh');
    expect(() => execFileSync('shellcheck', ['-x', ...scripts, example], { encoding: 'utf8' })).not.toThrow();
  });
});
