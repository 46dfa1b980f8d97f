// Operator command `history`: an application's deployments (of one environment, or of all), newest
// first, each with CodeDeploy's status and Baton's verdict, who or what started it, and how long it took.
// Finished deployments are read from their audit; one still in flight is asked of CodeDeploy.
import * as z from 'zod/mini';
import type { DeploymentReader } from '../audit/ports';
import { auditRecords } from '../audit/records';
import type { Core } from '../core/ports';
import { errorName } from '../core/rules/errors';
import * as fields from '../core/rules/fields';
import { findApplication, findEnvironment, type Pipeline } from '../pipeline/rules/config';
import { type Started, startedIn } from './environment-deployments';

export const historySchema = z.strictObject({
  command: z.literal('history'),
  application: fields.name,
  environment: z.optional(fields.name),
  limit: z._default(z.int().check(z.minimum(1), z.maximum(100)), 20),
});

export interface HistoryDeps extends Core {
  pipeline: Pipeline;
  /** Optional so that operator deps built for other commands need not carry it. */
  auditing?: { reader: DeploymentReader };
}

const seconds = (from: string | undefined, to: string | undefined): number | undefined => {
  const ms = from && to ? Date.parse(to) - Date.parse(from) : Number.NaN;
  return Number.isNaN(ms) || ms < 0 ? undefined : Math.round(ms / 1000);
};

const entryOf = async (deps: HistoryDeps, { deployment: d }: Started) => {
  const audited = (await auditRecords(deps.store).get(d.deploymentId))?.record;
  const facts = audited?.report.codedeploy;
  let status = facts?.status;
  let live: { createdAt?: string; completedAt?: string } = {};
  if (!audited && deps.auditing) {
    try {
      const now = await deps.auditing.reader.deployment(d.deploymentId);
      status = now.status;
      live = {
        ...(now.createdAt ? { createdAt: now.createdAt } : {}),
        ...(now.completedAt ? { completedAt: now.completedAt } : {}),
      };
    } catch (error) {
      deps.log.warn('history: CodeDeploy status not read', {
        deploymentId: d.deploymentId,
        error: errorName(error),
      });
    }
  }
  const startedAt = facts?.createdAt ?? live.createdAt ?? d.createdAt;
  const endedAt = facts?.completedAt ?? live.completedAt ?? d.finishedAt;
  const stop = audited?.report.stop;
  return {
    environment: d.environment,
    deploymentId: d.deploymentId,
    commit: d.artifact.commit,
    ...(d.release ? { release: d.release } : {}),
    startedBy: d.cause.detail,
    cause: d.cause.type,
    createdAt: d.createdAt,
    ...(endedAt ? { finishedAt: endedAt } : {}),
    ...(endedAt ? { durationSeconds: seconds(startedAt, endedAt) } : {}),
    codedeployStatus: status ?? 'unknown',
    ...(d.verdict ? { verdict: d.verdict } : {}),
    ...(stop ? { stoppedBy: stop.by, stopReason: stop.reason } : {}),
  };
};

export const history = async (deps: HistoryDeps, cmd: z.output<typeof historySchema>) => {
  const app = findApplication(deps.pipeline, cmd.application);
  const environments = cmd.environment
    ? [findEnvironment(deps.pipeline, cmd.application, cmd.environment).name]
    : app.environments.map((e) => e.name);
  const started = (
    await Promise.all(environments.map((env) => startedIn(deps, cmd.application, env, cmd.limit)))
  )
    .flat()
    .sort((a, b) => b.deployment.createdAt.localeCompare(a.deployment.createdAt))
    .slice(0, cmd.limit);
  return {
    application: cmd.application,
    ...(cmd.environment ? { environment: cmd.environment } : {}),
    deployments: await Promise.all(started.map((s) => entryOf(deps, s))),
  };
};
