// Runs codedeploy/after-install.sh (and other hook scripts) with bash against loopback stand-ins of
// the secrets URL and of the instance metadata service (IMDSv2), and checks SigV4 signatures the way
// Lambda would.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { root } from './fixtures';
import { type Ran, runProcess } from './subprocess';

export const HOOK = join(root, 'codedeploy', 'after-install.sh');

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Reply = { status: number; body: string; headers?: Record<string, string> };

/** A loopback HTTP server answering with `reply`, keeping every request. */
export const standIn = async (reply: (req: Received) => Reply) => {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(r);
      const answer = reply(r);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** Runs the hook with exactly `env` (plus PATH), as the CodeDeploy agent runs hook scripts. */
export const runHook = (env: Record<string, string>, timeoutMs = 20_000): Promise<Ran> =>
  runScript([HOOK], env, timeoutMs);

/** Runs a bash script (its path, then its arguments) with exactly `env` (plus PATH). */
export const runScript = (
  script: [string, ...string[]],
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<Ran> =>
  runProcess('bash', script, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...env },
    timeoutMs,
  });

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

/**
 * Recomputes a request's SigV4 signature (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html)
 * from what arrived and the secret key; equal signatures mean Lambda would have accepted it.
 */
export const signatureMatches = (req: Received, secretKey: string): boolean => {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      String(req.headers.authorization),
    );
  if (!auth) return false;
  const [, , date = '', region = '', service = '', signed = '', signature] = auth;
  const [path = '/', query = ''] = req.url.split('?');
  const canonicalQuery = query.split('&').filter(Boolean).sort().join('&');
  const names = signed.split(';');
  const headers = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim()}\n`).join('');
  const canonical = [req.method, path, canonicalQuery, headers, signed, sha256(req.body)].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', String(req.headers['x-amz-date']), scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretKey}`, date), region), service), 'aws4_request');
  return hmac(key, toSign).toString('hex') === signature;
};
