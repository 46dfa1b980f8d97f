// Fault injection for the SDK clients Baton builds. One middleware per client, innermost in its stack
// (deserialize step, low priority: inside the retry loop, after signing, under the deserializer), turns
// chosen attempts into what AWS or the network does: throttling and 5xx answers in the service's own
// error shape, parsed by the SDK's own deserializer and classified by its own retry strategy; and
// timeouts, connection resets and lost responses played with real sockets by a loopback fault server.
import { HttpRequest } from '@smithy/core/protocols';
import type { DeserializeHandler, DeserializeHandlerArguments, HandlerExecutionContext } from '@smithy/types';
import { FAULT_KINDS, type FaultKind, type FaultServer, replyOf, SERVICES } from './fault-wire';

export { FAULT_KINDS, type FaultKind, type FaultServer, startFaultServer } from './fault-wire';

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
    for (const kind of FAULT_KINDS) {
      const rate = r.rates[kind] ?? 0;
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
