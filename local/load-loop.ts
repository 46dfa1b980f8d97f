// A bounded load loop on loopback: a few concurrent clients send GET requests to a URL (the local load
// balancer) until stopped or until the bound, and count what failed, the latencies, and who answered.
import { request } from 'node:http';

export interface LoadOptions {
  url: string;
  /** Clients sending one request after another (default 4). */
  concurrency?: number;
  /** At most this many requests in all (default 20,000). */
  maxRequests?: number;
  /** At most this long (default 60 s). */
  maxMs?: number;
  /** Per-request timeout (default 5 s). */
  timeoutMs?: number;
  /** Pause of each client between two requests (default 0: back to back). */
  intervalMs?: number;
}

export interface LoadReport {
  sent: number;
  failed: number;
  /** Failures by reason: an HTTP status, or the socket error's code. */
  failures: Record<string, number>;
  p99Ms: number;
  maxMs: number;
  /** The longest run of failed requests, from the start of its first to the end of its last (0: none). */
  longestOutageMs: number;
  /** Answers per instance (x-baton-instance) and per release (x-release). */
  byInstance: Record<string, number>;
  byRelease: Record<string, number>;
}

export interface LoadLoop {
  stop(): Promise<LoadReport>;
}

const once = (url: URL, timeoutMs: number) =>
  new Promise<{ ok: boolean; reason?: string; instance?: string; release?: string }>((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        resolve({
          ok: status >= 200 && status < 400,
          ...(status >= 400 ? { reason: `HTTP ${status}` } : {}),
          instance: String(res.headers['x-baton-instance'] ?? ''),
          release: String(res.headers['x-release'] ?? ''),
        });
      });
      res.on('error', (e) => resolve({ ok: false, reason: (e as NodeJS.ErrnoException).code ?? e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ ok: false, reason: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end();
  });

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);

/** Requests in the order they were sent; a run of failures lasts from its first start to its last end. */
const longestOutage = (requests: { start: number; end: number; ok: boolean }[]): number => {
  let longest = 0;
  let from: number | undefined;
  let to = 0;
  for (const r of [...requests].sort((a, b) => a.start - b.start)) {
    if (r.ok) {
      if (from !== undefined) longest = Math.max(longest, to - from);
      from = undefined;
    } else {
      from ??= r.start;
      to = Math.max(to, r.end);
    }
  }
  return from === undefined ? longest : Math.max(longest, to - from);
};

const bump = (counts: Record<string, number>, key: string | undefined) => {
  if (key) counts[key] = (counts[key] ?? 0) + 1;
};

/** Starts the loop at once; stop() ends it and reports. */
export const startLoadLoop = (options: LoadOptions): LoadLoop => {
  const url = new URL(options.url);
  const maxRequests = options.maxRequests ?? 20_000;
  const deadline = Date.now() + (options.maxMs ?? 60_000);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const latencies: number[] = [];
  const timeline: { start: number; end: number; ok: boolean }[] = [];
  const report: LoadReport = {
    sent: 0,
    failed: 0,
    failures: {},
    p99Ms: 0,
    maxMs: 0,
    longestOutageMs: 0,
    byInstance: {},
    byRelease: {},
  };
  let stopped = false;
  const client = async () => {
    while (!stopped && report.sent < maxRequests && Date.now() < deadline) {
      report.sent += 1;
      const started = performance.now();
      const answer = await once(url, timeoutMs);
      const ended = performance.now();
      latencies.push(ended - started);
      timeline.push({ start: started, end: ended, ok: answer.ok });
      if (!answer.ok) {
        report.failed += 1;
        bump(report.failures, answer.reason);
      }
      bump(report.byInstance, answer.instance);
      bump(report.byRelease, answer.release);
      if (options.intervalMs) await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    }
  };
  const clients = Array.from({ length: options.concurrency ?? 4 }, client);
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(clients);
      const sorted = [...latencies].sort((a, b) => a - b);
      report.p99Ms = Number(percentile(sorted, 99).toFixed(1));
      report.maxMs = Number((sorted.at(-1) ?? 0).toFixed(1));
      report.longestOutageMs = Number(longestOutage(timeline).toFixed(1));
      return report;
    },
  };
};
