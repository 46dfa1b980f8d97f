// Commands on one environment (retry, rollback): their schema, and the deployments Baton started there,
// newest first: from its requests (the ledger keeps one per
// deployment it started, under the environment), each with its deployment record.
import * as z from 'zod/mini';
import type { Core } from '../core/ports';
import * as fields from '../core/rules/fields';
import { keys } from '../ledger/keys';
import type { DeploymentRecord, DeploymentRequest } from '../ledger/records';
import { deploymentRecords, requestRecords } from '../ledger/schemas';

/** The schema of a command that acts on one environment, with an optional reason kept in its records. */
export const environmentCommand = <C extends string>(command: C) =>
  z.strictObject({
    command: z.literal(command),
    application: fields.name,
    environment: fields.name,
    reason: z.optional(fields.text(500)),
  });

export interface Started {
  request: DeploymentRequest;
  deployment: DeploymentRecord;
}

/** `limit`: only the newest that many (by request time), reading no other deployment record. */
export const startedIn = async (
  deps: Pick<Core, 'store'>,
  application: string,
  environment: string,
  limit?: number,
): Promise<Started[]> => {
  const requests = await Promise.all(
    (await deps.store.list(keys.requests(application, environment))).map((k) =>
      requestRecords(deps.store).at(k),
    ),
  );
  const newest = requests
    .flatMap((r) => (r?.record.deploymentId ? [r.record] : []))
    .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))
    .slice(0, limit);
  const started = await Promise.all(
    newest.map(async (request) => {
      const deployment = (await deploymentRecords(deps.store).get(request.deploymentId ?? ''))?.record;
      return deployment ? [{ request, deployment }] : [];
    }),
  );
  return started.flat().sort((a, b) => b.deployment.createdAt.localeCompare(a.deployment.createdAt));
};
