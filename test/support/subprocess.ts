// A program run as a subprocess with exactly the environment given, and what it printed.
import { spawn } from 'node:child_process';

export interface Ran {
  /** The exit code; null when a signal ended it (e.g. after `timeoutMs`). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kills it (SIGKILL) after this long. */
  timeoutMs?: number;
}

/** Runs `command` with `args` and no stdin; resolves once it has exited and closed its output. */
export const runProcess = (
  command: string,
  args: string[],
  { env, cwd, timeoutMs }: RunOptions,
): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() });
    });
  });
