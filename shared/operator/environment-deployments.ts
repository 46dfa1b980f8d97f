// The deployments Baton started in an environment, newest first: from its requests (the ledger keeps one
// per deployment it started, under the environment), each with its deployment record.
import type { Core } from '../core/ports';
import { keys } from '../ledger/keys';
import type { DeploymentRecord, DeploymentRequest } from '../ledger/records';
import { deploymentRecords, requestRecords } from '../ledger/schemas';

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
