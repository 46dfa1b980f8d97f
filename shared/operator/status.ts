// Operator command `status`: per environment, the latest deployment started, the one in flight, the queue.

import * as z from 'zod/mini';
import type { Core } from '../core/ports';
import * as fields from '../core/rules/fields';
import { keys } from '../ledger/keys';
import type { DeploymentRecord } from '../ledger/records';
import { deploymentRecords, headRecords, requestRecords, slotRecords } from '../ledger/schemas';
import { findApplication, type Pipeline } from '../pipeline/rules/config';

export const statusSchema = z.strictObject({
  command: z.literal('status'),
  application: fields.name,
});

/** A deployment as the read commands show it. */
export const brief = (d: DeploymentRecord) => ({
  deploymentId: d.deploymentId,
  commit: d.artifact.commit,
  ...(d.release ? { release: d.release } : {}),
  cause: d.cause.detail,
  createdAt: d.createdAt,
  ...(d.verdict ? { verdict: d.verdict } : {}),
});

export const status = async (deps: Core & { pipeline: Pipeline }, cmd: z.output<typeof statusSchema>) => {
  const app = findApplication(deps.pipeline, cmd.application);
  const environments = await Promise.all(
    app.environments.map(async (env) => {
      const [head, slot, queued] = await Promise.all([
        headRecords(deps.store).get(cmd.application, env.name),
        slotRecords(deps.store).get(cmd.application, env.name),
        deps.store.list(keys.queue(cmd.application, env.name)),
      ]);
      const latest = head && (await deploymentRecords(deps.store).get(head.record.deploymentId));
      const inFlight = slot?.record.deploymentId
        ? await deploymentRecords(deps.store).get(slot.record.deploymentId)
        : undefined;
      const waiting = await Promise.all(
        queued.map(async (k) => {
          const id = k.slice(k.lastIndexOf('_') + 1, -'.json'.length);
          const r = await requestRecords(deps.store).get(cmd.application, env.name, id);
          return (
            r && {
              requestId: id,
              commit: r.record.artifact.commit,
              requestedAt: r.record.requestedAt,
              note: r.record.note,
            }
          );
        }),
      );
      return {
        environment: env.name,
        deploymentGroup: env.deploymentGroup,
        latest: latest ? brief(latest.record) : undefined,
        inFlight: inFlight ? brief(inFlight.record) : undefined,
        queued: waiting.filter((w) => w !== undefined),
      };
    }),
  );
  return { application: cmd.application, environments };
};
