// For the `baton upload` tests: a git repository in a temp folder, and a real zip in it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';

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
