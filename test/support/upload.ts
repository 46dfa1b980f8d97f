// For the `baton upload` tests: a git repository in a temp folder, and the CLI run in it as CI runs it.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { root } from './fixtures';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** A repository on `main` with one commit; returns its folder. */
export const gitRepository = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-upload-'));
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'config', 'user.email', 'ci@example.com');
  git(dir, 'config', 'user.name', 'CI');
  writeFileSync(join(dir, 'index.html'), '<h1>web</h1>\n');
  writeFileSync(join(dir, '.gitignore'), 'build/\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'first');
  return dir;
};

/** A real zip of the given files at `path` inside `dir`. */
export const writeZip = (dir: string, path: string, files: Record<string, string>): Buffer => {
  const zip = Buffer.from(
    zipSync(Object.fromEntries(Object.entries(files).map(([n, t]) => [n, new TextEncoder().encode(t)]))),
  );
  writeFileSync(join(dir, path), zip);
  return zip;
};

/** The environment CI gives the CLI: dummy credentials, and moto as every AWS endpoint. */
export const ciEnv = (endpoint: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '',
  HOME: tmpdir(),
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL: endpoint,
  ...extra,
});

/** Runs a shell line in `cwd` with `baton` on the PATH as this repository's CLI. */
export const sh = (line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      ['-c', `baton() { node ${JSON.stringify(join(root, 'cli', 'baton.mjs'))} "$@"; }\n${line}`],
      {
        cwd,
        env,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
