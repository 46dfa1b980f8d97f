// What the fault injector puts on the wire: each service's own error answers (throttling, 5xx, access
// denied) and a loopback server that plays the network (hangs, resets, lost responses) with real sockets.
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { HttpResponse } from '@smithy/core/protocols';

/**
 * throttle, server-500, server-503, denied: answers in the service's error shape (denied is the
 * control: never retried). timeout: the request hangs unanswered until the client's requestTimeout.
 * reset: the connection is reset before the service sees the request. lost-response: the service
 * handles the request, then the connection is reset before its answer arrives.
 */
export type FaultKind =
  | 'throttle'
  | 'server-500'
  | 'server-503'
  | 'denied'
  | 'timeout'
  | 'reset'
  | 'lost-response';
export const FAULT_KINDS: readonly FaultKind[] = [
  'throttle',
  'server-500',
  'server-503',
  'denied',
  'timeout',
  'reset',
  'lost-response',
];

type Reply = { status: number; code: string; message: string };
const json = (codes: Partial<Record<FaultKind, string>> = {}) => ({
  protocol: 'json' as const,
  throttle: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
  'server-500': { status: 500, code: codes['server-500'] ?? 'InternalFailure', message: 'Internal failure' },
  'server-503': { status: 503, code: 'ServiceUnavailable', message: 'Service unavailable' },
  denied: { status: 400, code: 'AccessDeniedException', message: 'not authorized' },
});
// The shapes: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html (S3: 503 SlowDown),
// https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html, awsJson1_1 `{"__type": …}`.
export const SERVICES: Record<string, { service: string } & Record<string, Reply | string>> = {
  S3Client: {
    service: 'S3',
    protocol: 'rest-xml',
    throttle: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
    'server-500': { status: 500, code: 'InternalError', message: 'We encountered an internal error.' },
    'server-503': {
      status: 503,
      code: 'ServiceUnavailable',
      message: 'Service is unable to handle request.',
    },
    denied: { status: 403, code: 'AccessDenied', message: 'Access Denied' },
  },
  SNSClient: {
    service: 'SNS',
    protocol: 'query',
    throttle: { status: 400, code: 'Throttling', message: 'Rate exceeded' },
    'server-500': { status: 500, code: 'InternalError', message: 'Internal error' },
    'server-503': { status: 503, code: 'ServiceUnavailable', message: 'Service unavailable' },
    denied: { status: 403, code: 'AuthorizationError', message: 'not authorized' },
  },
  CodeDeployClient: { service: 'CodeDeploy', ...json() },
  SecretsManagerClient: { service: 'SecretsManager', ...json({ 'server-500': 'InternalServiceError' }) },
};

export const replyOf = (client: string, kind: FaultKind, method: string): HttpResponse => {
  const spec = SERVICES[client];
  const reply = spec?.[kind];
  if (!spec || typeof reply !== 'object') throw new Error(`no ${kind} reply for ${client}`);
  const id = `FAULT${Math.floor(Math.random() * 1e9)}`;
  const { status, code, message } = reply;
  const [type, body] =
    spec.protocol === 'json'
      ? ['application/x-amz-json-1.1', JSON.stringify({ __type: code, message })]
      : spec.protocol === 'query'
        ? [
            'text/xml',
            `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
          ]
        : [
            'application/xml',
            // S3 answers HEAD without a body: the SDK then knows the error by its status code only.
            method === 'HEAD'
              ? ''
              : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${id}</RequestId><HostId>fault</HostId></Error>`,
          ];
  return new HttpResponse({
    statusCode: status,
    headers: { 'content-type': type, 'x-amzn-requestid': id, 'x-amz-request-id': id },
    body: Readable.from([Buffer.from(body)]),
  });
};

/** A loopback server that plays the network: hangs, resets, or forwards and then resets. */
export interface FaultServer {
  port: number;
  /** Requests the real service received through lost-response faults. */
  forwarded: number;
  close(): Promise<void>;
}

const drain = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });

export const startFaultServer = async (): Promise<FaultServer> => {
  const sockets = new Set<Socket>();
  const state = { forwarded: 0 };
  const server = createServer(async (req) => {
    const mode = String(req.headers['x-baton-fault'] ?? '');
    const [host, port] = String(req.headers['x-baton-upstream'] ?? '').split(':');
    const body = await drain(req);
    if (mode === 'timeout') return; // never answered: the client's requestTimeout ends it
    if (mode === 'lost-response') {
      const headers = { ...req.headers };
      delete headers['x-baton-fault'];
      delete headers['x-baton-upstream'];
      await new Promise<void>((resolve) => {
        const up = httpRequest(
          { host, port: Number(port), method: req.method, path: req.url, headers },
          (res) => {
            res.resume();
            res.on('end', () => resolve());
          },
        );
        up.on('error', () => resolve());
        up.end(body);
      });
      state.forwarded += 1;
    }
    req.socket.destroy(); // reset: the client sees ECONNRESET ("socket hang up")
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    get forwarded() {
      return state.forwarded;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
};
