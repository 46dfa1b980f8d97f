// The group's queue: when the group frees up, the newest queued request starts and older ones are
// superseded; a queued rollback goes first.
import { keys } from '../ledger/keys';
import type { DeploymentRequest, GroupSlot } from '../ledger/records';
import { headRecords, queueRecords, requestRecords, slotRecords } from '../ledger/schemas';
import type { Stored } from '../ledger/store';
import {
  type DeployDeps,
  type DeployOutcome,
  launch,
  type RequestHeld,
  setRequest,
} from './deployment-launch';

export type StartNextOutcome = 'busy' | 'idle' | DeployOutcome;

/**
 * Launches a request holding its group's slot; one with nothing to deploy frees the slot at once, so
 * what is queued behind it starts now.
 */
export const launchThenNext = async (
  deps: DeployDeps,
  request: DeploymentRequest,
  held: RequestHeld | undefined,
  slotEtag: string | undefined,
): Promise<DeployOutcome> => {
  const outcome = await launch(deps, request, held, slotEtag);
  if (outcome.outcome === 'unchanged') await startNext(deps, request.application, request.environment);
  return outcome;
};

/**
 * Starts the newest queued request if the group is free. Older queued requests, and queued requests
 * older than the last one started, are marked superseded. A queued rollback goes first and supersedes
 * nothing: the newest queued request starts after it. Safe to call any number of times.
 */
export const startNext = async (
  deps: DeployDeps,
  application: string,
  environment: string,
): Promise<StartNextOutcome> => {
  const slotKey = keys.slot(application, environment);
  for (let round = 0; round < 5; round++) {
    // Nothing queued, nothing to start, and no slot to take: whoever queues a request after this
    // listing writes its entry first and then calls this itself (deployments.ts, enqueue), and
    // releaseGroup frees the slot before it calls this.
    if ((await deps.store.list(keys.queue(application, environment))).length === 0) return 'idle';
    const now = deps.clock.now().toISOString();
    if (!(await deps.store.create(slotKey, { v: 1, requestId: 'queue', takenAt: now } satisfies GroupSlot)))
      return 'busy';
    // Listed again while holding the slot: another pick may have taken entries meanwhile.
    const queued = await deps.store.list(keys.queue(application, environment));
    if (queued.length === 0) {
      await deps.store.delete(slotKey);
      continue;
    }
    const head = await headRecords(deps.store).get(application, environment);
    const entries = await Promise.all(queued.map((k) => queueRecords(deps.store).at(k)));
    const requests: DeploymentRequest[] = [];
    const held = new Map<string, Stored<DeploymentRequest>>();
    for (const [i, entry] of entries.entries()) {
      if (!entry) continue;
      const r = await requestRecords(deps.store).get(application, environment, entry.record.requestId);
      // An entry left behind for a request that already started or was superseded (a duplicate
      // delivery queued it while it launched) is dropped, never launched again.
      const settled = r && ['started', 'superseded', 'done'].includes(r.record.state);
      if (r && (settled || r.record.id === head?.record.requestId)) await deps.store.delete(queued[i] ?? '');
      else if (r) {
        requests.push(r.record);
        held.set(r.record.id, r);
      }
    }
    requests.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id));
    const rollback = requests.filter((r) => r.cause.type === 'rollback').at(-1);
    if (rollback) {
      const taken = await deps.store.put(slotKey, {
        v: 1,
        requestId: rollback.id,
        takenAt: now,
      } satisfies GroupSlot);
      await deps.store.delete(keys.queueEntry(application, environment, rollback.requestedAt, rollback.id));
      return launchThenNext(deps, rollback, held.get(rollback.id), taken);
    }
    const newest = requests.at(-1);
    for (const r of requests) {
      const stale = r !== newest || (head && r.requestedAt < head.record.requestedAt);
      if (!stale) continue;
      const by = r === newest ? head?.record.requestId : newest?.id;
      await setRequest(deps, r, { state: 'superseded', ...(by ? { supersededBy: by } : {}) }, held.get(r.id));
      await deps.store.delete(keys.queueEntry(application, environment, r.requestedAt, r.id));
      deps.log.info('queued deployment superseded', { requestId: r.id, supersededBy: by });
    }
    if (!newest || (head && newest.requestedAt < head.record.requestedAt)) {
      await deps.store.delete(slotKey);
      continue;
    }
    const taken = await deps.store.put(slotKey, {
      v: 1,
      requestId: newest.id,
      takenAt: now,
    } satisfies GroupSlot);
    await deps.store.delete(keys.queueEntry(application, environment, newest.requestedAt, newest.id));
    return launchThenNext(deps, newest, held.get(newest.id), taken);
  }
  return 'busy';
};

/**
 * Frees the group after its deployment finished, then starts what waits for it. `held`: the caller
 * knows the slot is this deployment's (the first follow-up of its first verdict: nothing else frees
 * it, and no later launch can hold it yet), so it is freed without being read.
 */
export const releaseGroup = async (
  deps: DeployDeps,
  application: string,
  environment: string,
  deploymentId: string,
  held = false,
): Promise<StartNextOutcome> => {
  const slotKey = keys.slot(application, environment);
  if (held) await deps.store.delete(slotKey);
  else {
    const slot = await slotRecords(deps.store).at(slotKey);
    // Only as read: a slot taken by the next launch in between stays with it.
    if (slot?.record.deploymentId === deploymentId) await deps.store.delete(slotKey, slot.etag);
  }
  return startNext(deps, application, environment);
};
