// The baton CLI (cli/baton.mjs) as a subprocess, as an operator's terminal or a CI job runs it: with
// only the environment given, and its exit code and output collected.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './fixtures';
import { type Ran, runProcess } from './subprocess';

export type { Ran } from './subprocess';

const BATON = join(root, 'cli', 'baton.mjs');

/** The environment a shell gives the CLI here: dummy credentials, and `endpoint` as every AWS endpoint. */
export const cliEnv = (endpoint: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '',
  HOME: tmpdir(),
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL: endpoint,
  ...extra,
});

/** `baton …args`, run by this Node in `cwd` (the repository's root unless given) with exactly `env`. */
export const runBaton = (args: string[], env: NodeJS.ProcessEnv, cwd = root): Promise<Ran> =>
  runProcess(process.execPath, [BATON, ...args], { env, cwd });

/** A shell line run by bash in `cwd`, with `baton` on it as this repository's CLI. */
export const batonShell = (line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> =>
  runProcess('bash', ['-c', `baton() { node ${JSON.stringify(BATON)} "$@"; }\n${line}`], { env, cwd });
