// The zero-downtime hook kit (codedeploy/kit) as tests drive it: the example revision unpacked as the
// agent would, a fake secrets broker, the kit's hooks run with the agent's variables, and a reader
// that counts every moment `current` could not be read.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { buildArtifact } from '../../local/artifact';
import { root } from './fixtures';
import { type Reply, runScript } from './hook';
import type { Ran } from './subprocess';

export const EXAMPLE = join(root, 'examples', 'zero-downtime');

/** Deployment ids of the agent's form (d- and nine of [A-Z0-9]), numbered. */
export const deploymentId = (n: number) => `d-KIT${String(n).padStart(6, '0')}`;

/** The example's artifact, as CI builds it (kit and secrets hook added), unpacked into `dir`. */
export const unpackExample = (dir: string, appDir = EXAMPLE): string => {
  for (const [name, body] of Object.entries(unzipSync(buildArtifact(appDir).zip))) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return dir;
};

/** The broker's answer for a deployment: a .env naming it, 0600. */
export const secretsReply = (body: string): Reply => {
  const { deploymentId: id } = JSON.parse(body) as { deploymentId: string };
  const content = Buffer.from(`DEPLOYMENT=${id}\nAPI_TOKEN=tok_${id}\n`).toString('base64');
  return {
    status: 200,
    body: JSON.stringify({ files: [{ path: '.env', mode: '0600', encoding: 'base64', content }] }),
  };
};

export const HOOK_SCRIPTS = {
  ApplicationStop: 'scripts/kit/stop.sh',
  AfterInstall: 'scripts/kit/install.sh',
  ApplicationStart: 'scripts/kit/switch.sh',
} as const;

/** Runs one kit hook of the unpacked revision with the variables the CodeDeploy agent sets. */
export const runKitHook = (
  revision: string,
  event: keyof typeof HOOK_SCRIPTS,
  id: string,
  env: Record<string, string>,
): Promise<Ran> =>
  runScript([join(revision, HOOK_SCRIPTS[event])], {
    LIFECYCLE_EVENT: event,
    DEPLOYMENT_ID: id,
    APPLICATION_NAME: 'web',
    DEPLOYMENT_GROUP_NAME: 'web-staging',
    DEPLOYMENT_GROUP_ID: '4b2ad2a5-5b3e-4d7a-9c55-0c0de0d0e0f0',
    ...env,
  });

/** An executable stand-in of a command in `bin`: the script body gets the arguments. */
export const fakeCommand = (bin: string, name: string, body: string) => {
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
};

export const liveRelease = (appRoot: string) => readlinkSync(join(appRoot, 'current'));

// Reads the link in a tight loop until told to stop, then prints what it saw.
const READER = `
const { readlinkSync } = require('node:fs');
const [link] = process.argv.slice(1);
let reads = 0, misses = 0, stop = false;
const seen = new Set();
process.on('SIGTERM', () => { stop = true; });
const spin = () => {
  for (let i = 0; i < 20000; i++) {
    try { seen.add(readlinkSync(link)); reads++; } catch { misses++; }
  }
  if (stop) process.stdout.write(JSON.stringify({ reads, misses, seen: [...seen] }));
  else setImmediate(spin);
};
process.stdout.write('ready\\n');
spin();
`;

export interface ReaderResult {
  reads: number;
  misses: number;
  seen: string[];
}

/** A child process reading `link` with readlink(2) as fast as it can; stop() tells what it saw. */
export const startLinkReader = async (link: string) => {
  const child = spawn(process.execPath, ['-e', READER, link], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await new Promise<void>((resolve) => {
    const ready = () => {
      if (out.startsWith('ready\n')) resolve();
      else child.stdout.once('data', ready);
    };
    child.stdout.once('data', ready);
  });
  return {
    stop: async (): Promise<ReaderResult> => {
      child.kill('SIGTERM');
      await closed;
      return JSON.parse(out.slice('ready\n'.length)) as ReaderResult;
    },
  };
};
