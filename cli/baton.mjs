#!/usr/bin/env node
// `baton` (package.json bin): runs the TypeScript CLI (cli/main.ts) under tsx, a devDependency, so the
// CLI runs from the repository: `npx baton …` or `npm run baton -- …`. Arguments, stdio and the exit
// code pass straight through.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
// Resolved from this file, so that `baton` works from any folder of the repository.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const child = spawn(process.execPath, ['--import', tsx, main, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: {
    // Node 20 is known here (Lambda runs 22); the SDK's notice would only clutter the output.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...process.env,
  },
});
// A signal for the launcher is meant for the CLI: pass it on and wait for the CLI to end.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (!signal) process.exit(code ?? 1);
  // Ended by a signal: end the same way, so the caller's shell sees it.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
});
child.on('error', (error) => {
  console.error(`baton: cannot start the CLI: ${error.message}`);
  process.exit(1);
});
