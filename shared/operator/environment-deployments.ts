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

export const startedIn = async (
  deps: Pick<Core, 'store'>,
  application: string,
  environment: string,
): Promise<Started[]> => {
  const requests = await Promise.all(
    (await deps.store.list(keys.requests(application, environment))).map((k) =>
      requestRecords(deps.store).at(k),
    ),
  );
  const started = await Promise.all(
    requests.map(async (r) => {
      const id = r?.record.deploymentId;
      const deployment = id ? (await deploymentRecords(deps.store).get(id))?.record : undefined;
      return r && deployment ? [{ request: r.record, deployment }] : [];
    }),
  );
  return started.flat().sort((a, b) => b.deployment.createdAt.localeCompare(a.deployment.createdAt));
};
