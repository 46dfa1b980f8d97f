// The sample application's web server (sample-app/server/server.js) started outside CodeDeploy, as a
// system service would be: for the zero-downtime kit, whose deployments switch `current` under a
// server that keeps running and reads it on every request.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface WebServer {
  stop(): Promise<void>;
}

export const startWebServer = (options: {
  port: number;
  root: string;
  release?: string;
}): Promise<WebServer> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'sample-app', 'server', 'server.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        WEB_PORT: String(options.port),
        WEB_ROOT: options.root,
        WEB_RELEASE: options.release ?? 'current',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('error', reject);
    // The server prints one line once it listens.
    child.stdout.once('data', () =>
      resolve({
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      }),
    );
  });
