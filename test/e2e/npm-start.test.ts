// `npm start` as a person runs it (local/start.ts in a process of its own): a rejection on the approval
// page ends the run, the stack file lets the baton CLI in while the release waits, and `--app` with
// `--secrets` runs an application that is not the sample, with its own appspec, hooks and secrets.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { afterEach, describe, expect, it } from 'vitest';
import { decideThroughPage } from '../../local/approval-wait';
import { cliEnv, runBaton } from '../support/cli';
import { root } from '../support/fixtures';

interface Run {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of `pattern` in what the run printed, once it appears. */
  printed: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  exit: Promise<number | null>;
}

const runs: Run[] = [];
afterEach(() => {
  for (const r of runs.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
});

const npmStart = (args: string[]): Run => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'local', 'start.ts'), ...args], {
    cwd: root,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d) => {
    text += String(d);
  });
  child.stderr?.on('data', (d) => {
    text += String(d);
  });
  const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const printed = async (pattern: RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(text);
      if (match) return match;
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`npm start never printed ${pattern}:\n${text}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const run = { child, output: () => text, printed, exit };
  runs.push(run);
  return run;
};

const within = <T>(ms: number, what: Promise<T>) =>
  Promise.race([
    what,
    new Promise<never>((_, no) => setTimeout(() => no(new Error(`not within ${ms} ms`)), ms)),
  ]);

describe('npm start, interactive', () => {
  it('writes the stack file while the release waits for approval, and a rejection on the page ends the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-start-'));
    const stackFile = join(dir, 'stack.json');
    const run = npmStart(['--no-failure', '--stack-file', stackFile]);

    const [, link = ''] = await run.printed(/open this link in a browser to decide: (\S+)/, 90_000);
    expect(existsSync(stackFile)).toBe(true);
    const pending = await runBaton(['approvals', '--local', stackFile], cliEnv('http://127.0.0.1:1'));
    expect(pending.code, pending.stderr).toBe(0);
    expect(pending.stdout).toContain('v1.0.0');

    expect(await decideThroughPage(link, 'reject', 'not this week')).toBe(200);
    const code = await within(60_000, run.exit);

    expect(code).toBe(1);
    expect(run.output()).toMatch(/approval rejected +production: rejected by release-manager@example\.com/);
    expect(run.output()).toContain('release blocked');
    expect(run.output()).toMatch(/not released +production: the approval was rejected/);
    expect(run.output()).not.toContain('UNEXPECTED');
    expect(existsSync(stackFile)).toBe(false);
  }, 180_000);
});

describe('npm start --app', () => {
  const secrets = {
    'baton/web/dev/env': { NOTES_GREETING: 'hello from the test secrets' },
    'baton/web/staging/env': { NOTES_GREETING: 'staging greeting' },
    'baton/web/staging/jwt-key': 'staging-key',
    'baton/web/production/env': { NOTES_GREETING: 'production greeting' },
    'baton/web/production/jwt-key': 'production-key',
  };

  it('runs an application that is not the sample, with its own hooks and the secrets of --secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-app-run-'));
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify(secrets));
    const work = join(dir, 'work');
    const run = npmStart([
      '--app',
      join(root, 'test', 'fixtures', 'notes-app'),
      '--secrets',
      join(dir, 'secrets.json'),
      '--work-dir',
      work,
      '--stack-file',
      join(dir, 'stack.json'),
      '--auto-approve',
      '--no-failure',
    ]);

    const code = await within(150_000, run.exit);

    expect(code, run.output()).toBe(0);
    expect(run.output()).toContain(`each instance's root is ${join(work, 'instances')}/<instance id>/root`);
    expect(run.output()).toMatch(/audited +production: CodeDeploy says Succeeded; Baton's verdict VERIFIED/);
    const roots = readdirSync(join(work, 'instances')).map((id) => join(work, 'instances', id, 'root'));
    const dev = roots.find((r) =>
      readFileSync(join(r, 'var/log/notes/hook-env'), 'utf8').includes('web-dev'),
    );
    expect(dev).toBeDefined();
    const env = parse(readFileSync(join(dev ?? '', 'srv/notes/.env')));
    expect(env.NOTES_GREETING).toBe('hello from the test secrets');
    const seen = readFileSync(join(dev ?? '', 'var/log/notes/hook-env'), 'utf8');
    expect(seen).toContain(`BATON_INSTANCE_ROOT=${dev}\n`);
    expect(seen).toContain('LIFECYCLE_EVENT=BeforeInstall\n');
    expect(seen).toMatch(/^BATON_SECRETS_URL=http:\/\/127\.0\.0\.1:\d+/m);
  }, 180_000);

  it('refuses a --secrets file that lacks a secret the pipeline names, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-app-run-'));
    const { 'baton/web/staging/jwt-key': _, ...partial } = secrets;
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify(partial));
    const run = npmStart(['--secrets', join(dir, 'secrets.json'), '--stack-file', join(dir, 'stack.json')]);

    const code = await within(60_000, run.exit);

    expect(code).toBe(2);
    expect(run.output()).toContain(
      `--secrets ${join(dir, 'secrets.json')}: no secret "baton/web/staging/jwt-key", which web's staging secrets name`,
    );
  }, 90_000);
});

describe('npm start, refused options', () => {
  it.each([
    [['--app', 'test/fixtures/notes-app'], '--app'],
    [['--instances', '5'], '--instances'],
    [['--deployment-config', 'CodeDeployDefault.OneAtATime'], '--deployment-config'],
  ])(
    '--scenario ecs refuses %j, which it would ignore, naming %s',
    async (args, flag) => {
      const run = npmStart(['--scenario', 'ecs', ...args]);

      const code = await within(60_000, run.exit);

      expect(code).toBe(2);
      expect(run.output()).toContain(
        `--scenario ecs deploys its own ECS service (examples/ecs.yml): no ${flag}`,
      );
    },
    90_000,
  );
});
