// `baton … --local`: the stack file of `npm start -- --keep`, and what the CLI says when it cannot use it.
// (Running the operator against a live local stack: test/e2e/cli.test.ts.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/main';
import type { Io } from '../../cli/output';

const dir = mkdtempSync(join(tmpdir(), 'baton-cli-local-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
/** The pid of a process that has already exited. */
const goneProcess = () => spawnSync(process.execPath, ['-e', '0']).pid;

const baton = async (env: NodeJS.ProcessEnv, ...argv: string[]) => {
  const err: string[] = [];
  const io: Io = { out: () => undefined, err: (t) => err.push(t), env, now: () => new Date() };
  return { code: await run(argv, io), stderr: err.join('') };
};

describe('baton against the local stack, when it cannot be used', () => {
  it('prints its version, and refuses a command missing a required flag before looking for a stack', async () => {
    const out: string[] = [];
    const io: Io = { out: (t) => out.push(t), err: () => undefined, env: {}, now: () => new Date() };
    expect(await run(['--version'], io)).toBe(0);
    expect(out.join('')).toMatch(/^baton \d+\.\d+\.\d+\n$/);
    expect(await baton({}, 'help', 'histroy')).toEqual({
      code: 2,
      stderr: 'baton: unknown command "histroy": did you mean "history"?\nSee: baton --help\n',
    });
    expect(await baton({ BATON_STACK_FILE: join(dir, 'none.json') }, 'status')).toEqual({
      code: 2,
      stderr:
        'baton status: --application is required: baton status --application <application>\nSee: baton status --help\n',
    });
  });

  it('exits 3 when the stack file is missing, saying how to start the stack', async () => {
    const missing = join(dir, 'missing.json');
    expect(await baton({}, 'status', '--app', 'web', '--local', missing)).toEqual({
      code: 3,
      stderr: `baton status: no local stack file at ${missing}: start it with \`npm start -- --keep\`, or pass --stage <stage>\n`,
    });
  });

  it('exits 3 when the stack process has exited', async () => {
    const pid = goneProcess();
    const stale = file('stale.json', { env: { BATON_BUCKET: 'baton-local-pipeline' }, pid });
    expect(await baton({}, 'status', '--app', 'web', '--local', stale)).toEqual({
      code: 3,
      stderr: `baton status: the local stack is not running (its process ${pid} has exited): start it with \`npm start -- --keep\`\n`,
    });
  });

  it.each([
    ['not JSON', '{"env": '],
    ['another file', { name: 'baton', version: '0.1.0' }],
  ])('exits 3 when the file is %s', async (_, content) => {
    const wrong = file(`wrong-${String(content).length}.json`, content);
    const { code, stderr } = await baton({}, 'status', '--app', 'web', '--local', wrong);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^baton status: (cannot read the stack file|.* is not a stack file of)/);
    expect(stderr).toContain('start it with `npm start -- --keep` again');
  });

  it('without a target, uses the stack file when there is one, and otherwise says which target to give', async () => {
    const pid = goneProcess();
    const there = file('default.json', { env: {}, pid });
    expect(await baton({ BATON_STACK_FILE: there }, 'approvals')).toMatchObject({
      code: 3,
      stderr: expect.stringContaining(`its process ${pid} has exited`),
    });
    const none = join(dir, 'none.json');
    expect(await baton({ BATON_STACK_FILE: none }, 'approvals')).toEqual({
      code: 3,
      stderr: `baton approvals: where is the pipeline? no local stack file at ${none}: start the local stack with \`npm start -- --keep\` (it writes .local/stack.json, the default target), or pass --stage <stage> for a deployed stage\n`,
    });
  });
});
