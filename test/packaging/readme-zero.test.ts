// The README's "From zero to your AWS account": every command not marked as needing an account runs
// here as written, from the repository's root, and succeeds.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../support/fixtures';

const ACCOUNT = '# needs an AWS account';

const section = () => {
  const text = readFileSync(join(root, 'README.md'), 'utf8');
  const start = text.indexOf('## From zero to your AWS account');
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end);
};

/** The lines of the section's `sh` blocks. */
const commands = () =>
  [...section().matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    (m[1] ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );

describe("the README's way from zero to an AWS account", () => {
  it('marks what needs an account, and leaves some commands to run here', () => {
    const all = commands();
    expect(all.filter((c) => c.endsWith(ACCOUNT)).length).toBeGreaterThanOrEqual(8);
    expect(all.filter((c) => !c.endsWith(ACCOUNT))).toEqual([
      'npx osls package --stage prod --region eu-west-1',
      'cfn-lint .serverless/cloudformation-template-update-stack.json || test $? -eq 4   # 4: warnings only',
      'npx baton upload --help',
      'npx baton doctor --help',
    ]);
  });

  it.each(commands().filter((c) => !c.endsWith(ACCOUNT)))(
    'runs: %s',
    (command) => {
      const res = spawnSync('bash', ['-c', command], {
        cwd: root,
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' },
        encoding: 'utf8',
        timeout: 150_000,
      });
      expect(res.status, `${res.stdout}\n${res.stderr}`).toBe(0);
    },
    160_000,
  );
});
