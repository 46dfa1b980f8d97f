// Stopping the local emulator always ends: a moto_server that ignores SIGTERM is killed after a grace
// period, and one that died of a signal before stop() counts as stopped. A teardown that waits on it
// forever would hang `npm start`'s Ctrl-C and every test file's afterAll.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMoto } from '../../local/moto';

/** A stand-in for moto_server that answers /moto-api/ and, if asked, ignores SIGTERM. */
const fakeMoto = (ignoreTerm: boolean) => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-fake-moto-'));
  const script = join(dir, 'moto_server');
  writeFileSync(
    script,
    `#!${process.execPath}
const port = Number(process.argv[process.argv.indexOf('-p') + 1]);
${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''}
require('node:http').createServer((_, res) => res.end('{}')).listen(port, '127.0.0.1');
`,
  );
  chmodSync(script, 0o755);
  return script;
};

const alive = (pid: number) => spawnSync('kill', ['-0', String(pid)]).status === 0;

describe('stopping moto', () => {
  it('kills a moto_server that ignores SIGTERM once the grace period is over', async () => {
    const moto = await startMoto(fakeMoto(true), { graceMs: 300 });
    const started = Date.now();
    await moto.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(alive(moto.pid)).toBe(false);
  });

  it('returns at once for a moto_server that a signal already ended', async () => {
    const moto = await startMoto(fakeMoto(false));
    process.kill(moto.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    await expect(
      Promise.race([moto.stop().then(() => 'stopped'), new Promise((r) => setTimeout(r, 2_000, 'hung'))]),
    ).resolves.toBe('stopped');
  });

  it('stops the real moto_server with SIGTERM, well inside the grace period', async () => {
    const moto = await startMoto();
    const started = Date.now();
    await moto.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(alive(moto.pid)).toBe(false);
  });
});
