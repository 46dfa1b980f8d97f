// The real AfterInstall hook (bash, curl, python3) against loopback stand-ins of the secrets URL and of
// IMDSv2: signed requests, file modes, atomic replacement, exit codes, and no secret in its output.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Received, type Reply, runHook, signatureMatches, standIn } from '../support/hook';
import { CANARY, DEPLOYMENT, jwtPem } from '../support/secrets';

const KEY = {
  id: 'AKIDEXAMPLE',
  secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  token: 'IQoJb3JpZ2luX2VjEXAMPLE',
};
const dotenv = `DATABASE_URL="postgres://web:${CANARY}@db/web"\nGREETING="hi\\nthere"\n`;
const file = (path: string, content: string, mode = '0600', owner?: string) => ({
  path,
  mode,
  ...(owner ? { owner } : {}),
  encoding: 'base64',
  content: Buffer.from(content).toString('base64'),
});
const ok = (files: unknown[]): Reply => ({ status: 200, body: JSON.stringify({ files }) });

const outputs: string[] = [];
let work: string;
let app: string;
let server: Awaited<ReturnType<typeof standIn>>;
let reply: (req: Received) => Reply;

const env = (extra: Record<string, string> = {}) => ({
  BATON_SECRETS_URL: `${server.url}/`,
  BATON_APP_DIR: app,
  BATON_SECRETS_CONFIG: join(work, 'no-such.conf'),
  DEPLOYMENT_ID: DEPLOYMENT,
  AWS_ACCESS_KEY_ID: KEY.id,
  AWS_SECRET_ACCESS_KEY: KEY.secret,
  AWS_SESSION_TOKEN: KEY.token,
  AWS_REGION: 'us-east-1',
  BATON_SECRETS_RETRY_DELAY: '0',
  ...extra,
});

const hook = async (extra: Record<string, string> = {}) => {
  const run = await runHook(env(extra));
  outputs.push(run.stdout, run.stderr);
  return run;
};

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
const leftovers = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.includes('baton-tmp'));

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'baton-hook-'));
  app = join(work, 'srv', 'web');
  mkdirSync(app, { recursive: true });
  reply = () => ok([file('.env', dotenv), file('config/jwt.pem', jwtPem)]);
  server = await standIn((req) => reply(req));
});

afterEach(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

afterAll(() => {
  // Across every run of the hook: no secret ever reached its stdout or stderr.
  expect(outputs.length).toBeGreaterThan(20);
  expect(outputs.join('\n')).not.toContain(CANARY);
});

describe('the AfterInstall hook', () => {
  it('succeeds on a second attempt after a throttled first one', async () => {
    let calls = 0;
    const good = reply;
    reply = (req) => (++calls === 1 ? { status: 503, body: '' } : good(req));
    expect((await hook()).code).toBe(0);
    expect(server.received).toHaveLength(2);
  });

  it('writes .env and file secrets 0600 from a signed request, and prints names only', async () => {
    const run = await hook();
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      `baton-secrets: wrote .env (0600), config/jwt.pem (0600) in ${app} for ${DEPLOYMENT}\n`,
    );
    expect(readFileSync(join(app, '.env'), 'utf8')).toBe(dotenv);
    expect(readFileSync(join(app, 'config', 'jwt.pem'), 'utf8')).toBe(jwtPem);
    expect([
      mode(join(app, '.env')),
      mode(join(app, 'config', 'jwt.pem')),
      mode(join(app, 'config')),
    ]).toEqual(['0600', '0600', '0700']);
    const [req] = server.received;
    expect(req).toMatchObject({ method: 'POST', body: `{"deploymentId":"${DEPLOYMENT}"}` });
    expect(req?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/lambda\/aws4_request, /,
    );
    expect(req?.headers['x-amz-security-token']).toBe(KEY.token);
    expect(req && signatureMatches(req, KEY.secret)).toBe(true);
    expect(req?.headers['x-baton-local-instance']).toBeUndefined();
    expect(leftovers(app)).toEqual([]);
  });

  it('replaces existing files and applies the configured mode and owner', async () => {
    writeFileSync(join(app, '.env'), 'OLD=1\n', { mode: 0o644 });
    reply = () => ok([file('.env', dotenv), file('cert.pem', 'public cert', '0640', 'nobody')]);
    expect((await hook()).code).toBe(0);
    expect(readFileSync(join(app, '.env'), 'utf8')).toBe(dotenv);
    expect(mode(join(app, '.env'))).toBe('0600');
    expect(mode(join(app, 'cert.pem'))).toBe('0640');
    if (process.getuid?.() === 0) expect(statSync(join(app, 'cert.pem')).uid).toBe(65534);
  });

  describe('leaves the old files as they were and no partial file', () => {
    beforeEach(() => {
      writeFileSync(join(app, '.env'), 'OLD=1\n', { mode: 0o600 });
    });
    const unchanged = () => {
      expect(readFileSync(join(app, '.env'), 'utf8')).toBe('OLD=1\n');
      expect(leftovers(app)).toEqual([]);
    };

    it('when the response is not JSON (exit 6)', async () => {
      reply = () => ({ status: 200, body: `{"files": [{"path": ".env", "content": "${CANARY}` });
      const run = await hook();
      expect(run).toMatchObject({ code: 6, stdout: '' });
      expect(run.stderr).toBe(
        'baton-secrets: response failed: the response is not the expected JSON ({"files": [...]})\n',
      );
      unchanged();
    });

    it('when the second file cannot be written, after the first was (exit 7)', async () => {
      writeFileSync(join(app, 'config'), 'a file where a folder should be');
      const run = await hook();
      expect(run.code).toBe(7);
      expect(run.stderr).toMatch(/^baton-secrets: writing files failed: /);
      unchanged();
    });

    it('when the second file is malformed (exit 6)', async () => {
      reply = () =>
        ok([file('.env', dotenv), { path: '../escape', mode: '0600', encoding: 'base64', content: 'eA==' }]);
      expect(await hook()).toMatchObject({
        code: 6,
        stderr: 'baton-secrets: response failed: file 2 of the response is malformed\n',
      });
      unchanged();
    });

    it('when the owner does not exist (exit 7)', async () => {
      reply = () => ok([file('.env', dotenv, '0600', 'no_such_user_x')]);
      expect(await hook()).toMatchObject({
        code: 7,
        stderr: 'baton-secrets: writing files failed: no such user: no_such_user_x\n',
      });
      unchanged();
    });

    it('when a folder is a symlink leading out of the application folder (exit 7)', async () => {
      const outside = join(work, 'outside');
      mkdirSync(outside);
      symlinkSync(outside, join(app, 'config'));
      const run = await hook();
      expect(run).toMatchObject({
        code: 7,
        stderr: `baton-secrets: writing files failed: config/jwt.pem leads outside ${app}\n`,
      });
      expect(readdirSync(outside)).toEqual([]);
      unchanged();
    });

    it('when the broker refuses (exit 5), printing its reason', async () => {
      reply = () => ({
        status: 403,
        body: JSON.stringify({
          error: 'forbidden',
          refusal: 'not-a-target',
          reason: 'not a target: i-1 is not a target of d-A1B2C3D4E',
        }),
      });
      expect(await hook()).toMatchObject({
        code: 5,
        stderr: 'baton-secrets: refused failed: HTTP 403: not a target: i-1 is not a target of d-A1B2C3D4E\n',
      });
      unchanged();
    });

    it('when the broker fails (exit 6), without retrying a deterministic failure', async () => {
      reply = () => ({
        status: 500,
        body: JSON.stringify({
          error: 'secrets unavailable',
          reason: 'secret baton/web/staging/jwt-key does not exist',
        }),
      });
      const run = await hook();
      expect(run).toMatchObject({
        code: 6,
        stderr: 'baton-secrets: response failed: HTTP 500: secret baton/web/staging/jwt-key does not exist\n',
      });
      expect(server.received).toHaveLength(1);
      unchanged();
    });

    it('when Lambda stays throttled after three attempts (exit 6)', async () => {
      reply = () => ({ status: 429, body: JSON.stringify({ message: 'Rate Exceeded.' }) });
      expect(await hook()).toMatchObject({
        code: 6,
        stderr: 'baton-secrets: response failed: HTTP 429: (no reason given)\n',
      });
      expect(server.received).toHaveLength(3);
      unchanged();
    });

    it('when the URL cannot be reached (exit 4)', async () => {
      const run = await hook({ BATON_SECRETS_URL: 'http://127.0.0.1:9/' });
      expect(run.code).toBe(4);
      expect(run.stderr).toMatch(
        /baton-secrets: request failed: could not reach http:\/\/127\.0\.0\.1:9\/\n$/,
      );
      unchanged();
    });
  });

  it.each([
    [{ BATON_SECRETS_URL: '' }, 'baton-secrets: setup failed: BATON_SECRETS_URL is not set'],
    [{ DEPLOYMENT_ID: '' }, 'baton-secrets: setup failed: DEPLOYMENT_ID is missing or not a deployment id'],
    [
      { DEPLOYMENT_ID: 'd-1;rm -rf /' },
      'baton-secrets: setup failed: DEPLOYMENT_ID is missing or not a deployment id',
    ],
    [
      { BATON_APP_DIR: '/no/such/folder' },
      'baton-secrets: setup failed: the application folder /no/such/folder does not exist',
    ],
  ])('stops before any request when the setup is wrong (exit 2): %j', async (extra, message) => {
    const run = await hook(extra);
    expect(run.code).toBe(2);
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(server.received).toEqual([]);
  });

  it('takes its settings from the config file, never running it', async () => {
    const conf = join(work, 'secrets.conf');
    writeFileSync(
      conf,
      `# Baton\nBATON_SECRETS_URL=${server.url}/\r\nBATON_APP_DIR=${app}\nPATH=/nowhere\n$(touch ${work}/pwned)\n`,
    );
    const run = await hook({ BATON_SECRETS_CONFIG: conf, BATON_SECRETS_URL: '', BATON_APP_DIR: '' });
    expect(run.code).toBe(0);
    expect(readdirSync(work)).not.toContain('pwned');
    expect(readFileSync(join(app, '.env'), 'utf8')).toBe(dotenv);
  });

  it('uses the sandbox root and placeholder credentials on the local CodeDeploy, naming the instance', async () => {
    mkdirSync(join(work, 'etc', 'baton'), { recursive: true });
    writeFileSync(join(work, 'etc', 'baton', 'secrets.conf'), `BATON_SECRETS_URL=${server.url}/\n`);
    const run = await runHook({
      BATON_INSTANCE_ROOT: work,
      BATON_LOCAL_INSTANCE_ID: 'i-0local1a2b3c4d01',
      DEPLOYMENT_ID: DEPLOYMENT,
      AWS_REGION: 'us-east-1',
    });
    outputs.push(run.stdout, run.stderr);
    expect(run).toMatchObject({ code: 0 });
    expect(server.received[0]?.headers['x-baton-local-instance']).toBe('i-0local1a2b3c4d01');
    expect(server.received[0]?.headers.authorization).toMatch(/Credential=local\//);
    expect(mode(join(work, 'srv', 'web', '.env'))).toBe('0600');
  });

  describe('on EC2, with credentials from IMDSv2', () => {
    const imdsKey = {
      id: 'ASIAIMDSEXAMPLE',
      secret: 'imdsSecretKeyEXAMPLE',
      token: 'imdsSessionTokenEXAMPLE',
    };
    let imds: Awaited<ReturnType<typeof standIn>>;
    beforeEach(async () => {
      imds = await standIn((req) => {
        if (
          req.method === 'PUT' &&
          req.url === '/latest/api/token' &&
          req.headers['x-aws-ec2-metadata-token-ttl-seconds']
        )
          return { status: 200, body: 'imds-session' };
        if (req.headers['x-aws-ec2-metadata-token'] !== 'imds-session') return { status: 401, body: '' };
        const paths: Record<string, string> = {
          '/latest/meta-data/iam/security-credentials/': 'baton-web-instance',
          '/latest/meta-data/iam/security-credentials/baton-web-instance': JSON.stringify({
            Code: 'Success',
            LastUpdated: '2026-11-20T18:00:00Z',
            Type: 'AWS-HMAC',
            AccessKeyId: imdsKey.id,
            SecretAccessKey: imdsKey.secret,
            Token: imdsKey.token,
            Expiration: '2026-11-21T00:00:00Z',
          }),
          '/latest/meta-data/placement/region': 'eu-west-1',
        };
        const body = paths[req.url];
        return body === undefined ? { status: 404, body: '' } : { status: 200, body };
      });
    });
    afterEach(() => imds.close());

    it('signs with the instance role for the region the instance is in', async () => {
      const run = await hook({
        BATON_IMDS_ENDPOINT: imds.url,
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_REGION: '',
      });
      expect(run.code).toBe(0);
      const [req] = server.received;
      expect(req?.headers.authorization).toMatch(
        /Credential=ASIAIMDSEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request/,
      );
      expect(req?.headers['x-amz-security-token']).toBe(imdsKey.token);
      expect(req && signatureMatches(req, imdsKey.secret)).toBe(true);
      expect(imds.received.map((r) => `${r.method} ${r.url}`)).toEqual([
        'PUT /latest/api/token',
        'GET /latest/meta-data/iam/security-credentials/',
        'GET /latest/meta-data/iam/security-credentials/baton-web-instance',
        'GET /latest/meta-data/placement/region',
      ]);
      // The credentials travelled to curl on stdin: no process could have seen them in its arguments.
      expect(run.stdout + run.stderr).not.toContain(imdsKey.secret);
    });

    it('fails with exit 3 when there is no instance profile', async () => {
      const none = await standIn(() => ({ status: 404, body: '' }));
      const run = await hook({
        BATON_IMDS_ENDPOINT: none.url,
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
      });
      await none.close();
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^baton-secrets: credentials failed: no IMDSv2 token from /m);
      expect(server.received).toEqual([]);
    });
  });

  it('is executable and never traces (no set -x)', () => {
    const script = readFileSync(join(__dirname, '..', '..', 'codedeploy', 'after-install.sh'), 'utf8');
    expect(statSync(join(__dirname, '..', '..', 'codedeploy', 'after-install.sh')).mode & 0o111).not.toBe(0);
    expect(script).not.toMatch(/^\s*set\s+-[a-z]*x/m);
  });
});
