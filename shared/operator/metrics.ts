// Operator command `metrics`: delivery metrics per environment over a window (30 days unless `since`
// says otherwise), from the ledger's deployment records: deployment frequency, lead time from commit,
// change failure rate and time to restore (rules/delivery-metrics.ts says how each is counted).
import * as z from 'zod/mini';
import type { Core } from '../core/ports';
import { BatonError } from '../core/rules/errors';
import * as fields from '../core/rules/fields';
import type { DeploymentRecord } from '../ledger/records';
import { findApplication, type Pipeline } from '../pipeline/rules/config';
import { commitTimesOf, deploymentsOf } from './delivery-facts';
import {
  type CommitTimeSource,
  DEFAULT_SINCE,
  type Delivered,
  environmentMetrics,
  isSince,
  sinceDate,
  type Window,
} from './rules/delivery-metrics';

export const metricsSchema = z.strictObject({
  command: z.literal('metrics'),
  application: z.optional(fields.name),
  since: z.optional(
    z
      .string()
      .check(
        z.refine(
          isSince,
          'an ISO date or date and time (2026-11-01, 2026-11-01T12:00Z) or a duration back from now (7d, 24h, 90m)',
        ),
      ),
  ),
});

export interface MetricsDeps extends Core {
  pipeline: Pipeline;
}

/** A window that would start after now. */
export class MetricsWindowError extends BatonError {
  override readonly name = 'MetricsWindowError';
}

const delivered = (d: DeploymentRecord): Delivered => ({
  deploymentId: d.deploymentId,
  createdAt: d.createdAt,
  ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
  ...(d.verdict ? { verdict: d.verdict } : {}),
  cause: d.cause.type,
  commit: d.artifact.commit,
});

const applicationMetrics = async (
  deps: MetricsDeps,
  application: string,
  all: DeploymentRecord[],
  w: Window,
) => {
  const mine = all.filter((d) => d.application === application);
  const verifiedInWindow = mine.filter(
    (d) => d.verdict === 'VERIFIED' && Date.parse(d.finishedAt ?? d.createdAt) >= w.since.getTime(),
  );
  const times = await commitTimesOf(
    deps,
    application,
    new Set(verifiedInWindow.map((d) => d.artifact.commit)),
  );
  const order = findApplication(deps.pipeline, application).environments.map((e) => e.name);
  const environments = order.map((env) =>
    environmentMetrics(env, mine.filter((d) => d.environment === env).map(delivered), w, times),
  );
  return {
    application,
    /** The last environment in order: its lead time is the lead time to production. */
    production: order[order.length - 1] ?? '',
    environments,
  };
};

export const LEAD_TIME_FROM: Record<CommitTimeSource, string> = {
  commit: "the commit's own timestamp, where its push event carried it (GitHub)",
  push: 'the first push of the commit Baton recorded',
  upload: "the artifact's upload time",
};

export const metrics = async (deps: MetricsDeps, cmd: z.output<typeof metricsSchema>) => {
  const until = deps.clock.now();
  const since = sinceDate(cmd.since ?? DEFAULT_SINCE, until);
  if (since.getTime() >= until.getTime())
    throw new MetricsWindowError(`since: ${since.toISOString()} is not in the past`);
  if (cmd.application) findApplication(deps.pipeline, cmd.application);
  const names = cmd.application ? [cmd.application] : Object.keys(deps.pipeline.applications);
  const { deployments, read, unreadable } = await deploymentsOf(deps, new Set(names));
  const w = { since, until };
  return {
    window: {
      since: since.toISOString(),
      until: until.toISOString(),
      days: Math.round((until.getTime() - since.getTime()) / 864_000) / 100,
    },
    deploymentRecordsRead: read,
    /** Records skipped because they do not match their schema (the first keys named). */
    deploymentRecordsUnreadable: unreadable,
    leadTimeFrom: LEAD_TIME_FROM,
    applications: await Promise.all(names.map((name) => applicationMetrics(deps, name, deployments, w))),
  };
};
