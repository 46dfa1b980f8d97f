// Starts moto server (S3, SNS, Secrets Manager) on a free loopback port and stops it afterwards.
import { type ChildProcess, spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { freePort } from './ports';

export interface Moto {
  endpoint: string;
  port: number;
  /** The moto_server process, whose memory the bench samples. */
  pid: number;
  /** What moto printed while it started (its first 4,000 characters). */
  startup(): string;
  stop(): Promise<void>;
}

const waitUntilUp = async (endpoint: string, child: ChildProcess, log: () => string): Promise<void> => {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`moto_server exited (${child.exitCode}): ${log().slice(-500)}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not start within 20 s: ${log().slice(-500)}`);
};

const ATOMIC_WRITES = join(__dirname, 'moto-atomic');

export interface MotoOptions {
  /** How long stop() waits after SIGTERM before it sends SIGKILL. */
  graceMs?: number;
}

export const startMoto = async (
  command = process.env.MOTO_SERVER || 'moto_server',
  { graceMs = 5_000 }: MotoOptions = {},
): Promise<Moto> => {
  const port = await freePort();
  // S3's conditional writes made atomic in moto, as S3 makes them (local/moto-atomic/sitecustomize.py).
  const pythonPath = [ATOMIC_WRITES, process.env.PYTHONPATH].filter(Boolean).join(delimiter);
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONPATH: pythonPath, PYTHONDONTWRITEBYTECODE: '1' },
  });
  let output = '';
  let startup = '';
  const keep = (d: unknown) => {
    output = (output + String(d)).slice(-4000);
    if (startup.length < 4000) startup = (startup + String(d)).slice(0, 4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => {
    output += `\n${error.message}`;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, child, () => output);
  const unpatched = /baton moto-atomic: moto\.s3 not patched.*/.exec(startup)?.[0];
  if (unpatched) console.error(`${unpatched}: concurrent conditional writes may not be atomic`);
  return {
    endpoint,
    port,
    pid: child.pid ?? 0,
    startup: () => startup,
    // Always ends: a process a signal ended has no exit code, only a signal code; one that ignores
    // SIGTERM (or hangs on its way out) is killed once the grace period is over.
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
};

/** Environment for SDK clients that talk to moto (dummy credentials, no metadata probing). */
export const motoEnv = (endpoint: string): Record<string, string> => ({
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_EC2_METADATA_DISABLED: 'true',
});
