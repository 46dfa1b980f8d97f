// Whether a newer deployment started in an environment: a bake there then watches the newer code, so it
// no longer says anything of its own deployment, and its failure must not roll the newer one back.
import { deploymentRecords, headRecords, slotRecords } from '../ledger/schemas';
import type { RecordStore } from '../ledger/store';

interface Placed {
  deploymentId: string;
  application: string;
  environment: string;
}

/**
 * The deployment that started in the environment after `rec` (created after `since`): the one holding
 * the group now, or the environment's head when it is another, newer deployment (a rollback names no
 * head; it holds the group while it runs).
 */
export const newerDeployment = async (
  store: RecordStore,
  rec: Placed,
  since: string,
): Promise<string | undefined> => {
  const [slot, head] = await Promise.all([
    slotRecords(store).get(rec.application, rec.environment),
    headRecords(store).get(rec.application, rec.environment),
  ]);
  const holder = slot?.record.deploymentId;
  if (holder && holder !== rec.deploymentId) return holder;
  const headId = head?.record.deploymentId;
  if (!headId || headId === rec.deploymentId) return undefined;
  const created = (await deploymentRecords(store).get(headId))?.record.createdAt;
  return created && created > since ? headId : undefined;
};
