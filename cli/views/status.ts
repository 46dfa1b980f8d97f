// `baton status`: one row per environment: the latest deployment and its verdict, the one in flight, the queue.
import * as z from 'zod/mini';
import { lines, NONE, short, table, when } from './table';
import { view } from './view';

const brief = z.looseObject({
  deploymentId: z.string(),
  commit: z.string(),
  release: z.optional(z.string()),
  cause: z.string(),
  createdAt: z.string(),
  verdict: z.optional(z.string()),
});

export const statusSchema = z.looseObject({
  application: z.string(),
  environments: z.array(
    z.looseObject({
      environment: z.string(),
      deploymentGroup: z.string(),
      latest: z.optional(brief),
      inFlight: z.optional(brief),
      queued: z.array(z.looseObject({ requestId: z.string(), commit: z.string(), requestedAt: z.string() })),
    }),
  ),
});

type Brief = z.output<typeof brief>;

const what = (d: Brief) => `${d.deploymentId} ${short(d.commit)}${d.release ? ` ${d.release}` : ''}`;

export const statusView = view(statusSchema, (r) => {
  const rows = r.environments.map((e) => {
    const latest = e.latest;
    const verdict = latest?.verdict ?? (latest ? 'no verdict yet' : NONE);
    const inFlight = e.inFlight
      ? e.inFlight.deploymentId === latest?.deploymentId
        ? e.inFlight.deploymentId
        : what(e.inFlight)
      : NONE;
    const queued = e.queued.length
      ? `${e.queued.length}: ${e.queued.map((q) => short(q.commit)).join(', ')}`
      : NONE;
    return [
      e.environment,
      latest ? what(latest) : NONE,
      verdict,
      latest ? when(latest.createdAt) : NONE,
      inFlight,
      queued,
      latest?.cause ?? NONE,
    ];
  });
  return lines(
    `${r.application}: deployments by environment`,
    '',
    table(['ENVIRONMENT', 'LATEST', 'VERDICT', 'STARTED', 'IN FLIGHT', 'QUEUED', 'CAUSE'], rows),
  );
});
