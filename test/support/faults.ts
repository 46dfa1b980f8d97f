// Fault injection for the SDK clients Baton builds. One middleware per client, innermost in its stack
// (deserialize step, low priority: inside the retry loop, after signing, under the deserializer), turns
// chosen attempts into what AWS or the network does: throttling and 5xx answers in the service's own
// error shape, parsed by the SDK's own deserializer and classified by its own retry strategy; and
// timeouts, connection resets and lost responses played with real sockets by a loopback fault server.
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { HttpRequest, HttpResponse } from '@smithy/core/protocols';
import type { DeserializeHandler, DeserializeHandlerArguments, HandlerExecutionContext } from '@smithy/types';

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
export const RETRYABLE: readonly FaultKind[] = ['throttle', 'server-500', 'server-503', 'timeout', 'reset'];

export interface Attempt {
  service: string;
  operation: string;
  input: Record<string, unknown>;
  /** The SDK's amz-sdk-invocation-id: the same for every attempt of one call. */
  call: string;
  attempt: number;
  max: number;
  fault?: FaultKind;
  at: number;
}
export type Match = (a: Omit<Attempt, 'fault' | 'at'>) => boolean;

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
const SERVICES: Record<string, { service: string } & Record<string, Reply | string>> = {
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

const replyOf = (client: string, kind: FaultKind, method: string): HttpResponse => {
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

/** mulberry32: a small seeded generator, so that a failing run can be replayed with its seed. */
const seeded = (seed: number) => {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
};

interface Rule {
  match: Match;
  /** For the one call the rule was bound to, attempt by attempt. */
  kinds: FaultKind[];
  call?: string;
  /** Every attempt of the matched calls fails, `calls` calls long. */
  exhaust?: { kind: FaultKind; calls: number };
}

export interface RandomFaults {
  rates: Partial<Record<FaultKind, number>>;
  /** Never fault a call's last attempt: the faults stay within what retries absorb. */
  spareLastAttempt?: boolean;
  /** Which attempts may get which kinds (e.g. no lost responses for calls that are not idempotent). */
  allow?: (a: Omit<Attempt, 'fault' | 'at'>, kind: FaultKind) => boolean;
}

interface Client {
  middlewareStack: { add(m: unknown, o: { step: 'deserialize'; priority: 'low'; name: string }): void };
}

export class FaultInjector {
  readonly attempts: Attempt[] = [];
  private random: () => number;
  private randomFaults: RandomFaults | undefined;
  private rules: Rule[] = [];
  private readonly exhausting = new Map<string, FaultKind>();
  /** Calls a scripted rule was bound to: once its faults are spent, they get real answers. */
  private readonly scripted = new Set<string>();

  constructor(
    private readonly server: FaultServer,
    seed = 1,
  ) {
    this.random = seeded(seed);
  }

  /** Adds the fault middleware to a client (once); returns the client. */
  attach<C extends Client>(client: C, clientName?: string): C {
    client.middlewareStack.add(
      (next: DeserializeHandler<object, object>, context: HandlerExecutionContext) =>
        (args: DeserializeHandlerArguments<object>) =>
          this.handle(next, args, clientName ?? context.clientName ?? '', context.commandName ?? ''),
      { step: 'deserialize', priority: 'low', name: 'batonFaultInjection' },
    );
    return client;
  }

  /** Random faults on every client from now on (a seeded draw per attempt); undefined stops them. */
  randomly(faults: RandomFaults | undefined, seed?: number) {
    this.randomFaults = faults;
    if (seed !== undefined) this.random = seeded(seed);
  }

  /** The next call that matches gets these faults on its attempts, in order (then the real answer). */
  next(match: Match, ...kinds: FaultKind[]) {
    this.rules.push({ match, kinds });
  }

  /** Every attempt of the next `calls` matching calls fails with `kind`: the retries run out. */
  exhaust(match: Match, kind: FaultKind, calls = 1) {
    this.rules.push({ match, kinds: [], exhaust: { kind, calls } });
  }

  /** No scripted or random faults any more (the attempt log stays). */
  off() {
    this.rules = [];
    this.randomFaults = undefined;
    this.exhausting.clear();
    this.scripted.clear();
  }

  /** The attempts of each call, by operation: e.g. {PutObject: [1, 1, 3]}. */
  callsBy(filter: Match = () => true): Record<string, number[]> {
    const calls = new Map<string, Attempt[]>();
    for (const a of this.attempts.filter(filter)) calls.set(a.call, [...(calls.get(a.call) ?? []), a]);
    const out: Record<string, number[]> = {};
    for (const list of calls.values()) {
      const op = list[0]?.operation ?? '?';
      out[op] = [...(out[op] ?? []), list.length];
    }
    return out;
  }

  faulted = () => this.attempts.filter((a) => a.fault).length;

  private choose(a: Omit<Attempt, 'fault' | 'at'>): FaultKind | undefined {
    const held = this.exhausting.get(a.call);
    if (held) return held;
    const bound = this.rules.find((r) => r.call === a.call);
    if (!bound && this.scripted.has(a.call)) return undefined;
    const rule = bound ?? this.rules.find((r) => !r.call && r.match(a));
    if (rule?.exhaust) {
      rule.exhaust.calls -= 1;
      if (rule.exhaust.calls <= 0) this.rules.splice(this.rules.indexOf(rule), 1);
      this.exhausting.set(a.call, rule.exhaust.kind);
      return rule.exhaust.kind;
    }
    if (rule) {
      rule.call = a.call;
      this.scripted.add(a.call);
      const kind = rule.kinds.shift();
      if (rule.kinds.length === 0) this.rules.splice(this.rules.indexOf(rule), 1);
      return kind;
    }
    const r = this.randomFaults;
    if (!r || (r.spareLastAttempt && a.attempt >= a.max)) return undefined;
    let draw = this.random();
    for (const [kind, rate] of Object.entries(r.rates) as [FaultKind, number][]) {
      if (draw < rate) return !r.allow || r.allow(a, kind) ? kind : undefined;
      draw -= rate;
    }
    return undefined;
  }

  private async handle(
    next: DeserializeHandler<object, object>,
    args: DeserializeHandlerArguments<object>,
    clientName: string,
    commandName: string,
  ) {
    const request = args.request;
    if (!HttpRequest.isInstance(request)) return next(args);
    const [, attempt = '1', max = '1'] =
      /attempt=(\d+); max=(\d+)/.exec(request.headers['amz-sdk-request'] ?? '') ?? [];
    const info = {
      service: SERVICES[clientName]?.service ?? clientName,
      operation: commandName.replace(/Command$/, ''),
      input: { ...args.input },
      call: request.headers['amz-sdk-invocation-id'] ?? `${Math.random()}`,
      attempt: Number(attempt),
      max: Number(max),
    };
    const fault = this.choose(info);
    this.attempts.push({ ...info, ...(fault ? { fault } : {}), at: Date.now() });
    if (!fault) return next(args);
    if (['timeout', 'reset', 'lost-response'].includes(fault)) {
      const detour = new HttpRequest({
        ...request,
        hostname: '127.0.0.1',
        port: this.server.port,
        headers: {
          ...request.headers,
          'x-baton-fault': fault,
          'x-baton-upstream': `${request.hostname}:${request.port ?? 80}`,
        },
      });
      return next({ ...args, request: detour });
    }
    return { response: replyOf(clientName, fault, request.method) };
  }
}
