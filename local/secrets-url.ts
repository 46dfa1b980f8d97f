// The secrets function URL on loopback, for local runs: each HTTP request becomes the payload-2.0 event
// a Lambda function URL with AuthType AWS_IAM would deliver, its requestContext.authorizer.iam naming
// the calling local instance (header x-baton-local-instance, sent by codedeploy/after-install.sh) as an
// instance-profile session of its role. This plays IAM for loopback only: nothing is verified, and the
// handler itself never reads the header. Shape: https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { instanceSessionArn } from '../shared/secrets/rules/caller';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_INSTANCE_HEADER = 'x-baton-local-instance';

export interface FunctionUrlResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface LocalCaller {
  instanceId: string;
  role: string;
}

export interface LocalRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const functionUrlEvent = (req: LocalRequest, caller: LocalCaller, account = LOCAL_ACCOUNT) => {
  const url = new URL(req.url, 'http://localhost');
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const arn = instanceSessionArn(account, caller.role, caller.instanceId);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: req.headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: account,
      apiId: 'local',
      authentication: null,
      authorizer: {
        iam: {
          accessKey: 'local',
          accountId: account,
          callerId: `AROALOCAL:${caller.instanceId}`,
          userArn: arn,
          userId: `AROALOCAL:${caller.instanceId}`,
        },
      },
      domainName: req.headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: req.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: req.body,
    isBase64Encoded: false,
  };
};

const read = (req: IncomingMessage): Promise<LocalRequest> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', reject);
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = String(v);
      resolve({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
    });
  });

/**
 * Serves `handler` on 127.0.0.1. `roleOf` gives a local instance's role (the application's instance
 * role); a request naming no known instance gets Lambda's own 403, without reaching the handler.
 */
export const serveFunctionUrl = async (
  handler: (event: unknown) => Promise<FunctionUrlResult>,
  roleOf: (instanceId: string) => string | undefined,
  port = 0,
) => {
  const server = createServer((req, res) => {
    void (async () => {
      const request = await read(req);
      const instanceId = request.headers[LOCAL_INSTANCE_HEADER] ?? '';
      const role = instanceId ? roleOf(instanceId) : undefined;
      const result = role
        ? await handler(functionUrlEvent(request, { instanceId, role }))
        : { statusCode: 403, body: JSON.stringify({ Message: 'Forbidden' }) };
      res.writeHead(result.statusCode, { 'content-type': 'application/json', ...result.headers });
      res.end(result.body ?? '');
    })().catch(() => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Message: 'Internal Server Error' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
