// What git says about the build's source: its commit, its branch, and whether the tree is clean.
import { execFileSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { CliError, EXIT, UsageError } from '../errors';

export interface Source {
  commit: string;
  branch: string;
}

/** git's answer, trimmed unless `raw` (porcelain lines start with a meaningful space). */
const git = (cwd: string, args: string[], raw = false): string | undefined => {
  try {
    const out = execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return raw ? out : out.trim();
  } catch {
    return undefined;
  }
};

const COMMIT = /^[0-9a-f]{7,64}$/;

/** A tree with changes is refused: the artifact would not be the commit it is named after. */
export class DirtyTreeError extends CliError {
  override readonly name = 'DirtyTreeError';
  constructor(readonly paths: string[]) {
    const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? ` and ${paths.length - 5} more` : '');
    super(
      `the working tree has changes the commit does not (${shown}): commit them, or pass --allow-dirty ` +
        'to upload a build that may not be the commit it is named after',
      EXIT.refused,
    );
  }
}

/** Changed, staged or untracked (not ignored) paths, leaving out the artifact itself. */
const changes = (cwd: string, artifact: string): string[] | undefined => {
  const status = git(cwd, ['status', '--porcelain=v1', '-z', '--untracked-files=all'], true);
  if (status === undefined) return undefined;
  const top = git(cwd, ['rev-parse', '--show-toplevel']) ?? cwd;
  const own = relative(top, resolve(cwd, artifact));
  return status
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3))
    .filter((path) => path !== own);
};

export const readSource = (
  cwd: string,
  artifact: string,
  given: { commit?: string; branch?: string; allowDirty: boolean },
): Source => {
  const inRepository = git(cwd, ['rev-parse', '--git-dir']) !== undefined;
  const commit = (
    given.commit ?? (inRepository ? git(cwd, ['rev-parse', 'HEAD']) : undefined)
  )?.toLowerCase();
  if (!commit)
    throw new UsageError(
      inRepository
        ? 'the repository has no commit yet'
        : `${cwd} is not a git repository: pass --commit and --branch`,
      'upload',
    );
  if (!COMMIT.test(commit)) throw new UsageError(`--commit ${commit}: not a hexadecimal commit id`, 'upload');
  const head = inRepository ? git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']) : undefined;
  const branch = given.branch ?? (head && head !== 'HEAD' ? head : undefined);
  if (!branch)
    throw new UsageError(
      'HEAD is detached (as CI checkouts often are): pass --branch <name>, e.g. --branch "$GITHUB_REF_NAME"',
      'upload',
    );
  if (inRepository && !given.allowDirty) {
    const dirty = changes(cwd, artifact) ?? [];
    if (dirty.length) throw new DirtyTreeError(dirty);
  }
  return { commit, branch };
};
