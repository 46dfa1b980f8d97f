// Runs the scripts of one lifecycle hook the way the CodeDeploy agent does, and reports its diagnostics
// (codes, messages and the "[stdout]"/"[stderr]" log of the agent's hook_executor.rb).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, open } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { HookScript } from './appspec';
import type { Diagnostics, LifecycleErrorCode } from './types';

const LOG_TAIL_BYTES = 4096;

export interface HookRun {
  event: string;
  scripts: HookScript[];
  archiveDir: string;
  cwd: string;
  env: Record<string, string>;
  children: Set<ChildProcess>;
  /** Where each script's process group is recorded: what it leaves running belongs to the instance. */
  processGroups?: Set<number>;
  /** Replace the hook's first script by one that fails with this exit code (failure injection). */
  injectedExitCode?: number;
}

class ScriptLog {
  private text = '';
  append(entry: string): void {
    this.text += entry;
    if (this.text.length > LOG_TAIL_BYTES * 4) this.text = this.text.slice(-LOG_TAIL_BYTES * 2);
  }
  tail(): string {
    const bytes = Buffer.from(this.text, 'utf8');
    return bytes.length <= LOG_TAIL_BYTES ? this.text : bytes.subarray(-LOG_TAIL_BYTES).toString('utf8');
  }
}

const diagnostics = (errorCode: LifecycleErrorCode, scriptName: string, message: string, log: ScriptLog) => ({
  errorCode,
  scriptName,
  message,
  logTail: log.tail(),
});

const prefix = (script: HookScript): string =>
  `Script at specified location: ${script.location}${script.runas ? ` run as user ${script.runas}` : ''}`;

/** Scripts with a shebang are made executable and run directly, like the agent; others run with bash. */
const command = async (path: string): Promise<[string, string[]]> => {
  const file = await open(path, 'r');
  const head = Buffer.alloc(2);
  await file.read(head, 0, 2, 0).finally(() => file.close());
  if (head.toString() !== '#!') return ['bash', [path]];
  await chmod(path, 0o755);
  return [path, []];
};

type Exit =
  | { kind: 'exit'; code: number | null; signal: string | null }
  | { kind: 'timeout' }
  | { kind: 'open' }
  | { kind: 'error'; error: Error };

const execute = (
  run: HookRun,
  file: string,
  args: string[],
  timeout: number,
  log: ScriptLog,
): Promise<Exit> =>
  new Promise((done) => {
    const child = spawn(file, args, {
      cwd: run.cwd,
      env: run.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    run.children.add(child);
    if (child.pid !== undefined) run.processGroups?.add(child.pid);
    createInterface({ input: child.stdout }).on('line', (line) => log.append(`[stdout]${line}\n`));
    createInterface({ input: child.stderr }).on('line', (line) => log.append(`[stderr]${line}\n`));
    let exited = false;
    const timer = setTimeout(() => {
      if (!exited && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      done(exited ? { kind: 'open' } : { kind: 'timeout' });
    }, timeout * 1000);
    child.on('exit', () => {
      exited = true;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      run.children.delete(child);
      done({ kind: 'error', error });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      run.children.delete(child);
      done({ kind: 'exit', code, signal });
    });
  });

const runScript = async (run: HookRun, script: HookScript, log: ScriptLog, inject: boolean) => {
  const path = join(run.archiveDir, script.location);
  let file = 'bash';
  let args = ['-c', `echo "baton: injected failure of ${run.event}" >&2; exit ${run.injectedExitCode ?? 1}`];
  if (!inject) {
    const inside = relative(run.archiveDir, path);
    if (inside.startsWith('../') || inside === '..' || isAbsolute(inside)) {
      const message = `appspec.yml hooks: the location ${script.location} of ${run.event} is outside the revision ${run.archiveDir}: a script's location is a path inside the revision`;
      return diagnostics('ScriptMissing', script.location, message, log);
    }
    if (!existsSync(path)) {
      const message = `Script does not exist at specified location: ${resolve(path)}`;
      return diagnostics('ScriptMissing', script.location, message, log);
    }
    try {
      [file, args] = await command(path);
    } catch {
      const message = `Unable to set script at specified location: ${script.location} as executable`;
      return diagnostics('ScriptNotExecutable', script.location, message, log);
    }
  }
  log.append(`Script - ${script.location}\n`);
  const exit = await execute(run, file, args, script.timeout, log);
  if (exit.kind === 'timeout') {
    const message = `Script at specified location: ${script.location} failed to complete in ${script.timeout} seconds`;
    return diagnostics('ScriptTimedOut', script.location, message, log);
  }
  if (exit.kind === 'open') {
    const message = `Script at specified location: ${script.location} failed to close STDOUT`;
    return diagnostics('ScriptFailed', script.location, message, log);
  }
  if (exit.kind === 'error') {
    const reason = `${exit.error.name} with message ${exit.error.message}`;
    return diagnostics('ScriptFailed', script.location, `${prefix(script)} failed with error ${reason}`, log);
  }
  if (exit.code !== 0) {
    const status = exit.code ?? exit.signal;
    return diagnostics(
      'ScriptFailed',
      script.location,
      `${prefix(script)} failed with exit code ${status}`,
      log,
    );
  }
  return undefined;
};

/** Runs every script of the hook in order; the first failure ends the hook. */
export const runHook = async (run: HookRun): Promise<Diagnostics> => {
  const log = new ScriptLog();
  const inject = run.injectedExitCode !== undefined;
  const scripts =
    run.scripts.length > 0 || !inject ? run.scripts : [{ location: 'baton-injected-failure', timeout: 60 }];
  if (scripts.length > 0) log.append(`LifecycleEvent - ${run.event}\n`);
  for (const [index, script] of scripts.entries()) {
    const failure = await runScript(run, script, log, inject && index === 0);
    if (failure) return failure;
  }
  return diagnostics('Success', '', 'Succeeded', log);
};
