// `baton … --stage`: the operator URL read from the stack's outputs (CloudFormation mocked), the command
// POSTed to it signed with SigV4 for service lambda, which a local server checks by signing again.

import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openerOf } from '../../cli/board';
import { run } from '../../cli/main';
import type { Io } from '../../cli/output';
import { signedHeaders } from '../../cli/targets/sign';

const cfn = mockClient(CloudFormationClient);
// The SDK's own SHA-256, as the CLI signs with it.
const { sha256 } = new CloudFormationClient({ region: 'us-east-1' }).config;
// The test environment's credentials (test/support/setup.ts and the vitest command line).
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

interface Received {
  headers: Record<string, string>;
  body: string;
  verified: boolean;
}
const received: Received[] = [];
let reply: { status: number; body: unknown } = { status: 200, body: { ok: true, result: {} } };

/** Signs the request again from what arrived; the signature verifies when both agree. */
const verify = async (req: IncomingMessage, body: string, base: string): Promise<boolean> => {
  const auth = String(req.headers.authorization ?? '');
  const date = String(req.headers['x-amz-date'] ?? '');
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m || !auth.includes('/us-east-1/lambda/aws4_request')) return false;
  const signingDate = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  const again = await signedHeaders(
    new URL(req.url ?? '/', base),
    body,
    {
      region: 'us-east-1',
      credentials: CREDENTIALS,
      sha256,
    },
    signingDate,
  );
  return again.authorization === auth;
};

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    void verify(req, body, url).then((verified) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = String(v);
      received.push({ headers, body, verified });
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  cfn.reset();
  received.length = 0;
  reply = { status: 200, body: { ok: true, result: {} } };
  cfn.on(DescribeStacksCommand, { StackName: 'baton-prod' }).resolves({
    Stacks: [
      {
        StackName: 'baton-prod',
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: [{ OutputKey: 'OperatorUrl', OutputValue: url }],
      },
    ],
  });
});

const baton = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, now: () => new Date() };
  return { code: await run(argv, io), stdout: out.join(''), stderr: err.join('') };
};

describe('baton --stage, through the signed operator URL', () => {
  it('signs the command with SigV4 for lambda, and the signature verifies', async () => {
    // Act
    const result = await baton(
      'status',
      '--app',
      'web',
      '--stage',
      'prod',
      '--region',
      'us-east-1',
      '--json',
    );
    // Assess
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [request] = received;
    expect(request?.body).toBe('{"command":"status","application":"web"}');
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/us-east-1\/lambda\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(request?.verified).toBe(true);
  });

  it('sends no operator name: who asked is whoever signed', async () => {
    await baton(
      'deploy',
      '--app',
      'web',
      '--env',
      'dev',
      '--commit',
      '3f78685',
      '--stage',
      'prod',
      '--region',
      'us-east-1',
    );
    expect(JSON.parse(received[0]?.body ?? '{}')).toEqual({
      command: 'deploy',
      application: 'web',
      environment: 'dev',
      commit: '3f78685',
    });
    expect((await baton('deploy', '--app', 'web', '--operator', 'bob')).stderr).toContain(
      'unknown flag --operator',
    );
  });

  it("exits 1 with the operator's refusal, naming the missing permission", async () => {
    reply = {
      status: 403,
      body: {
        ok: false,
        kind: 'PermissionRefusedError',
        error:
          'arn:aws:iam::123456789012:user/carol may not force: add force to its entry under operators in pipeline.yml (principal arn:aws:iam::123456789012:user/carol)',
      },
    };
    const result = await baton(
      'promote',
      '--app',
      'web',
      '--release',
      'v1.2.0',
      '--env',
      'production',
      '--force',
      '--reason',
      'hotfix',
      '--stage',
      'prod',
      '--region',
      'us-east-1',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'carol may not force: add force to its entry under operators in pipeline.yml',
    );
  });

  it('exits 3 when AWS refuses the signer, and when the stack has no operator URL', async () => {
    reply = { status: 403, body: { Message: 'Forbidden' } };
    const refused = await baton('status', '--app', 'web', '--stage', 'prod', '--region', 'us-east-1');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('AWS refused the call to the operator URL (HTTP 403: Forbidden)');
    expect(refused.stderr).toContain('lambda:InvokeFunctionUrl and lambda:InvokeFunction');
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        { StackName: 'baton-prod', CreationTime: new Date(), StackStatus: 'UPDATE_COMPLETE', Outputs: [] },
      ],
    });
    expect(await baton('status', '--app', 'web', '--stage', 'prod', '--region', 'us-east-1')).toMatchObject({
      code: 3,
      stderr:
        'baton status: the stack baton-prod has no OperatorUrl output: deploy this version of Baton to it first\n',
    });
  });

  it('takes --url instead of the stack output', async () => {
    expect(await baton('approvals', '--url', url, '--region', 'us-east-1')).toMatchObject({ code: 0 });
    expect(cfn.calls()).toHaveLength(0);
    expect(received[0]?.verified).toBe(true);
  });

  it('sends every read command again after a 5xx, board and metrics among them, and the others once', async () => {
    reply = { status: 502, body: { message: 'Internal Server Error' } };
    const sent = async (...argv: string[]) => {
      received.length = 0;
      await baton(...argv, '--stage', 'prod', '--region', 'us-east-1', '--json');
      return received.length;
    };
    expect(await sent('board')).toBe(3);
    expect(await sent('metrics')).toBe(3);
    expect(await sent('status', '--app', 'web')).toBe(3);
    expect(await sent('stop', 'd-ABCDEFGH1', '--reason', 'bad')).toBe(1);
  });

  it('exits 1 when the answer to board is not a board, writing no file', async () => {
    reply = { status: 200, body: { ok: true, result: { applications: 'all fine' } } };
    const out = join(mkdtempSync(join(tmpdir(), 'baton-board-')), 'board.html');
    const ran = await baton('board', '--stage', 'prod', '--region', 'us-east-1', '--out', out, '--no-open');
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('not a board answer (version skew?)');
    expect(existsSync(out)).toBe(false);
  });
});

describe('baton board, opening the page', () => {
  it('opens with explorer on Windows, so no shell reads the file name', () => {
    expect(openerOf('win32', 'C:\\boards\\a&calc.html')).toEqual(['explorer', ['C:\\boards\\a&calc.html']]);
    expect(openerOf('darwin', '/tmp/b.html')).toEqual(['open', ['/tmp/b.html']]);
    expect(openerOf('linux', '/tmp/b.html')).toEqual(['xdg-open', ['/tmp/b.html']]);
  });
});
