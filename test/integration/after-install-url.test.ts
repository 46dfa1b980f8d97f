// The AfterInstall hook sends the instance's signed request, and gets its secrets back, over TLS
// only: a plain http secrets URL is refused before any request unless it names this machine.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runHook, standIn } from '../support/hook';
import { DEPLOYMENT } from '../support/secrets';

const files = [
  { path: '.env', mode: '0600', encoding: 'base64', content: Buffer.from('A=1\n').toString('base64') },
];

let work: string;
let app: string;
let server: Awaited<ReturnType<typeof standIn>>;

const hook = (url: string, extra: Record<string, string> = {}) =>
  runHook({
    BATON_SECRETS_URL: url,
    BATON_APP_DIR: app,
    BATON_SECRETS_CONFIG: join(work, 'no-such.conf'),
    DEPLOYMENT_ID: DEPLOYMENT,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
    BATON_SECRETS_RETRY_DELAY: '0',
    ...extra,
  });

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'baton-hook-url-'));
  app = join(work, 'srv', 'web');
  mkdirSync(app, { recursive: true });
  server = await standIn(() => ({ status: 200, body: JSON.stringify({ files }) }));
});

afterEach(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the secrets URL the hook accepts', () => {
  it.each([
    'http://example.com/',
    'HTTP://example.com/',
    'example.com/',
    'http://localhost.example.com/',
    'http://127.0.0.1.example.com/',
    'http://127.0.0.1@example.com/',
    'http://127.0.0.1:80@example.com/',
    'http://[::1]@example.com/',
    'http://127.0.0.256/',
    'http://2130706433/',
    'ftp://example.com/',
    'file:///etc/passwd',
  ])('refuses %s before any request (exit 2)', async (url) => {
    // Prepare: the stand-in is also an HTTP proxy, so a request to any host would reach it
    const proxy = { http_proxy: server.url, HTTP_PROXY: server.url, all_proxy: server.url };
    // Act
    const run = await hook(url, proxy);
    // Assess
    expect(run).toMatchObject({
      code: 2,
      stderr:
        'baton-secrets: setup failed: BATON_SECRETS_URL must be https:// (plain http only to a loopback address: 127.0.0.0/8, ::1, localhost)\n',
    });
    expect(server.received).toEqual([]);
  });

  it.each(['http://127.0.0.1:PORT/', 'http://localhost:PORT/secrets', 'HTTP://LOCALHOST:PORT'])(
    'fetches the secrets over plain http on loopback: %s',
    async (pattern) => {
      const port = new URL(server.url).port;
      const run = await hook(pattern.replace('PORT', port));
      expect(run.code).toBe(0);
      expect(server.received).toHaveLength(1);
    },
  );

  it.each(['https://127.0.0.1:9/', 'http://127.8.9.10:9/', 'http://[::1]:9/'])(
    'lets %s through the check, to the request (exit 4: nothing listens)',
    async (url) => {
      const run = await hook(url);
      expect(run.code).toBe(4);
      expect(run.stderr).toContain('baton-secrets: request failed: could not reach');
    },
  );
});
