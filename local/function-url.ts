// Serves a Lambda function URL handler over node:http on loopback: each HTTP request becomes the
// function URL event (payload format 2.0, https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html)
// and the handler's result becomes the HTTP response, as Lambda does. Used by `npm start` and the tests.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';

export interface FunctionUrlEvent {
  version: '2.0';
  routeKey: '$default';
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: '$default';
    stage: '$default';
    time: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
}

export interface FunctionUrlResult {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  cookies?: string[];
}

export type FunctionUrlHandler = (event: FunctionUrlEvent) => Promise<unknown>;

// Lambda passes these bodies as text; any other content type arrives base64-encoded.
const TEXT_TYPES = /^(text\/|application\/(json|javascript|xml|yaml)|.*\+(json|xml))/i;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');
/** "20/Nov/2026:18:05:12 +0000", the requestContext.time format. */
const clf = (d: Date) =>
  `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;

export const toFunctionUrlEvent = (
  req: IncomingMessage,
  body: Buffer,
  now = new Date(),
): FunctionUrlEvent => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headersDistinct)) {
    if (value && name !== 'cookie') headers[name] = value.join(',');
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const cookies = req.headers.cookie?.split(/;\s*/).filter(Boolean);
  const host = req.headers.host ?? '127.0.0.1';
  const apiId = 'local';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId,
      domainName: host,
      domainPrefix: apiId,
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: req.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: clf(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0
      ? TEXT_TYPES.test(req.headers['content-type'] ?? '')
        ? { body: body.toString('utf8'), isBase64Encoded: false }
        : { body: body.toString('base64'), isBase64Encoded: true }
      : { isBase64Encoded: false }),
  };
};

const isResult = (value: unknown): value is FunctionUrlResult =>
  typeof value === 'object' && value !== null && 'statusCode' in value;

/** Writes a handler's result as Lambda would: a result without statusCode is JSON with status 200. */
export const writeResult = (res: ServerResponse, result: unknown): void => {
  if (!isResult(result)) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(result === undefined ? '' : typeof result === 'string' ? result : JSON.stringify(result));
    return;
  }
  const headers: Record<string, string | string[]> = { ...(result.headers ?? {}) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined);
};

/** A node:http listener for one handler; the router can mount it under a path of its own. */
export const functionUrlListener =
  (handler: FunctionUrlHandler, onError: (error: unknown) => void = () => {}): RequestListener =>
  (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handler(toFunctionUrlEvent(req, Buffer.concat(chunks)))
        .then((result) => writeResult(res, result))
        .catch((error: unknown) => {
          onError(error);
          // Lambda answers a function error with 502 and no detail.
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end('{"message":"Internal Server Error"}');
        });
    });
  };

export interface ServedFunctionUrl {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const serveFunctionUrl = (
  handler: FunctionUrlHandler,
  options: { port?: number; host?: string; onError?: (error: unknown) => void } = {},
): Promise<ServedFunctionUrl> =>
  new Promise((resolve, reject) => {
    const server = createServer(functionUrlListener(handler, options.onError));
    server.on('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const bound = server.address();
      const port = typeof bound === 'object' && bound ? bound.port : 0;
      resolve({
        url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
