// A target group with its load balancer: an HTTP reverse proxy on loopback in front of local instances.
// AllowTraffic registers an instance once it passes the health check; BlockTraffic deregisters it and
// waits for the requests it is serving to finish (connection draining), as an ALB target group does.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { freePort } from '../ports';

export interface BalancerOptions {
  /** Path the health check requests (default /). */
  healthPath?: string;
  /** How long a new target may take to pass its health check (default 30 s). */
  healthTimeoutMs?: number;
  /** How long deregistration waits for in-flight requests (default 5 s; an ALB's deregistration delay). */
  drainMs?: number;
}

interface Backend {
  instanceId: string;
  port: number;
  inFlight: number;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One GET to the instance; true on a 2xx or 3xx answer. */
const healthy = (port: number, path: string): Promise<boolean> =>
  new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: 2000 },
      (res) => {
        res.resume();
        resolve((res.statusCode ?? 500) < 400);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });

export class LoadBalancer {
  private readonly backends: Backend[] = [];
  private next = 0;
  /** Requests answered by each instance, so one can tell who served traffic. */
  readonly served = new Map<string, number>();

  private constructor(
    readonly name: string,
    private readonly server: Server,
    readonly port: number,
    private readonly options: Required<BalancerOptions>,
  ) {}

  static async start(name: string, options: BalancerOptions = {}): Promise<LoadBalancer> {
    const port = await freePort();
    const server = createServer();
    const balancer = new LoadBalancer(name, server, port, {
      healthPath: options.healthPath ?? '/',
      healthTimeoutMs: options.healthTimeoutMs ?? 30_000,
      drainMs: options.drainMs ?? 5_000,
    });
    server.on('request', (req, res) => balancer.forward(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return balancer;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Instance ids receiving traffic, in registration order. */
  registered(): string[] {
    return this.backends.map((b) => b.instanceId);
  }

  /** Waits for the instance to pass the health check, then sends it traffic. */
  async register(instanceId: string, port: number): Promise<void> {
    if (this.backends.some((b) => b.instanceId === instanceId)) return;
    const deadline = Date.now() + this.options.healthTimeoutMs;
    while (!(await healthy(port, this.options.healthPath))) {
      if (Date.now() > deadline) {
        throw new Error(
          `the instance ${instanceId} did not pass the health check of target group ${this.name} ` +
            `(GET ${this.options.healthPath} on port ${port}) within ${this.options.healthTimeoutMs} ms`,
        );
      }
      await sleep(100);
    }
    this.backends.push({ instanceId, port, inFlight: 0 });
  }

  /** Sends the instance no new requests and waits (up to the drain time) for those it is serving. */
  async deregister(instanceId: string): Promise<void> {
    const index = this.backends.findIndex((b) => b.instanceId === instanceId);
    if (index < 0) return;
    const [backend] = this.backends.splice(index, 1);
    const deadline = Date.now() + this.options.drainMs;
    while (backend && backend.inFlight > 0 && Date.now() < deadline) await sleep(20);
  }

  async close(): Promise<void> {
    this.backends.length = 0;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private pick(): Backend | undefined {
    if (this.backends.length === 0) return undefined;
    this.next = (this.next + 1) % this.backends.length;
    return this.backends[this.next];
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const backend = this.pick();
    if (!backend) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end(`no healthy target in ${this.name}\n`);
      return;
    }
    backend.inFlight += 1;
    let done = false;
    const settle = () => {
      if (done) return;
      done = true;
      backend.inFlight -= 1;
    };
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([key]) => !HOP_BY_HOP.has(key.toLowerCase())),
    );
    // No keep-alive towards the instances: a reused socket an instance is closing would fail a request.
    const upstream = request(
      {
        host: '127.0.0.1',
        port: backend.port,
        path: req.url,
        method: req.method,
        headers: { ...headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
        agent: false,
      },
      (answer) => {
        const out = Object.fromEntries(
          Object.entries(answer.headers).filter(([key]) => !HOP_BY_HOP.has(key.toLowerCase())),
        );
        res.writeHead(answer.statusCode ?? 502, { ...out, 'x-baton-instance': backend.instanceId });
        answer.pipe(res);
        answer.on('end', () => {
          this.served.set(backend.instanceId, (this.served.get(backend.instanceId) ?? 0) + 1);
          settle();
        });
        answer.on('error', settle);
      },
    );
    upstream.on('error', (error) => {
      settle();
      if (!res.headersSent)
        res.writeHead(502, { 'content-type': 'text/plain', 'x-baton-instance': backend.instanceId });
      res.end(`bad gateway: ${backend.instanceId}: ${error.message}\n`);
    });
    res.on('close', settle);
    req.pipe(upstream);
  }
}
