// The README's `osls invoke local` commands, each run as written (bundled by serverless-esbuild, as
// deployed) against a local stack in this process, described by its stack file as `npm start -- --keep`
// leaves it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { writeStackFile } from '../../local/stack-file';
import { root } from '../support/fixtures';

const work = mkdtempSync(join(tmpdir(), 'baton-invoke-local-'));
const stackFile = join(work, 'stack.json');
let stack: LocalStack;

const readmeCommands = () =>
  [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/`(npx osls invoke local [^`]+)`/g)]
    .map((m) => m[1] ?? '')
    .filter((c) => !c.includes('<'));

/** What the function returned: the JSON osls prints last, after the function's own log lines. */
const resultOf = (stdout: string): unknown => {
  const start = stdout.lastIndexOf('\n{\n');
  return JSON.parse(stdout.slice(start + 1));
};

// With none of this process's AWS settings: the stack file has to carry them.
const run = (command: string, file = stackFile) => {
  const [, ...argv] = command.split(/\s+/);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: work, BATON_STACK_FILE: file };
  return spawnSync('npx', argv, { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
};

const EXPECTED: Record<string, (result: unknown) => void> = {
  artifactUploaded: (r) => expect(JSON.stringify(r)).toContain('key is outside the artifact prefix'),
  sourcePushed: (r) => expect(JSON.stringify(r)).toContain('unknown repository'),
  deploymentFinished: (r) => expect(JSON.stringify(r)).toContain('is not in the pipeline'),
  approval: (r) => expect(r).toMatchObject({ statusCode: 403, body: expect.stringContaining('not valid') }),
  approvalDecided: (r) => expect(JSON.stringify(r)).toContain('is not the pipeline bucket'),
  secrets: (r) => expect(r).toMatchObject({ statusCode: 403, body: expect.stringContaining('not signed') }),
  operator: (r) => expect(r).toMatchObject({ ok: true }),
  reconcile: (r) => expect(JSON.stringify(r)).toContain('resumePendingRequests'),
  githubWebhook: (r) => expect(r).toMatchObject({ statusCode: 401 }),
};

beforeAll(async () => {
  stack = await startLocalStack({ workDir: join(work, 'stack'), instances: 1 });
  writeStackFile(stack, stackFile);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('osls invoke local, as the README shows it', () => {
  it('lists one command for every function of serverless.yml', () => {
    const names = readmeCommands().map((c) => /-f (\S+)/.exec(c)?.[1]);
    expect(names.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(readmeCommands())(
    '%s',
    (command) => {
      const res = run(command);
      expect(res.status, res.stderr).toBe(0);
      const name = /-f (\S+)/.exec(command)?.[1] ?? '';
      EXPECTED[name]?.(resultOf(res.stdout));
    },
    120_000,
  );

  it('says what to do when no local stack is running', () => {
    const missing = run(
      'npx osls invoke local -f operator -p events/operator/status.json',
      join(work, 'none.json'),
    );
    expect(missing.status).not.toBe(0);
    expect(missing.stdout + missing.stderr).toContain('start one with `npm start -- --keep`');
  }, 120_000);
});
