// Starting deployments: one active deployment per group; a busy group queues the request, and
// when the group frees up the newest queued request starts and older ones are superseded.

import { bundleTypeOf } from '../domain/artifact';
import type { Pipeline } from '../domain/config';
import { findApplication, findEnvironment } from '../domain/config';
import { GroupBusyError, ValidationError } from '../domain/errors';
import { stableId } from '../domain/ids';
import { keys } from '../ledger/keys';
import type {
  ArtifactRef,
  Cause,
  DeploymentRecord,
  DeploymentRequest,
  EnvironmentHead,
  GroupSlot,
} from '../ledger/records';
import { update } from '../ledger/store';
import type { Core, Deployer } from '../ports';

export interface DeployDeps extends Core {
  pipeline: Pipeline;
  deployer: Deployer;
}

export interface DeployRequestInput {
  application: string;
  environment: string;
  artifact: ArtifactRef;
  cause: Cause;
  release?: string;
  /** Same key, same request: a duplicate event finds the request already there. */
  dedupeKey: string;
}

export type DeployOutcome =
  | { outcome: 'started'; requestId: string; deploymentId: string }
  | { outcome: 'queued'; requestId: string; reason: string }
  | { outcome: 'duplicate'; requestId: string; state: DeploymentRequest['state'] };

export const requestId = (application: string, environment: string, dedupeKey: string) =>
  stableId('request', application, environment, dedupeKey);

export const requestDeployment = async (
  deps: DeployDeps,
  input: DeployRequestInput,
): Promise<DeployOutcome> => {
  const env = findEnvironment(deps.pipeline, input.application, input.environment);
  if (!bundleTypeOf(input.artifact.key))
    throw new ValidationError([`artifact.key: must end in .zip, .tar or .tgz`]);
  const now = deps.clock.now().toISOString();
  const id = requestId(input.application, input.environment, input.dedupeKey);
  const request: DeploymentRequest = {
    v: 1,
    kind: 'request',
    id,
    application: input.application,
    environment: input.environment,
    deploymentGroup: env.deploymentGroup,
    artifact: input.artifact,
    cause: input.cause,
    ...(input.release ? { release: input.release } : {}),
    requestedAt: now,
    state: 'pending',
    updatedAt: now,
  };
  const requestKey = keys.request(input.application, input.environment, id);
  if (!(await deps.store.create(requestKey, request))) {
    const existing = await deps.store.get<DeploymentRequest>(requestKey);
    return { outcome: 'duplicate', requestId: id, state: existing?.record.state ?? 'pending' };
  }
  // Fast path: take the group's slot and deploy at once.
  const slot: GroupSlot = { v: 1, requestId: id, takenAt: now };
  if (await deps.store.create(keys.slot(input.application, input.environment), slot)) {
    return launch(deps, request);
  }
  await enqueue(deps, request, 'the deployment group is busy');
  // The group may have freed up between our attempt and the enqueue: look again.
  await startNext(deps, input.application, input.environment);
  const after = await deps.store.get<DeploymentRequest>(requestKey);
  if (after?.record.state === 'started' && after.record.deploymentId)
    return { outcome: 'started', requestId: id, deploymentId: after.record.deploymentId };
  return { outcome: 'queued', requestId: id, reason: after?.record.note ?? 'the deployment group is busy' };
};

const enqueue = async (deps: DeployDeps, request: DeploymentRequest, note: string) => {
  await setRequest(deps, request, { state: 'queued', note });
  await deps.store.put(
    keys.queueEntry(request.application, request.environment, request.requestedAt, request.id),
    {
      v: 1,
      requestId: request.id,
    },
  );
};

const setRequest = (deps: DeployDeps, request: DeploymentRequest, change: Partial<DeploymentRequest>) =>
  update<DeploymentRequest>(
    deps.store,
    keys.request(request.application, request.environment, request.id),
    (r) => ({
      ...r,
      ...change,
      updatedAt: deps.clock.now().toISOString(),
    }),
  );

const deploymentDescription = (request: DeploymentRequest) => {
  const commit = request.artifact.commit.slice(0, 12);
  const what = request.release ? `${request.release} (commit ${commit})` : `commit ${commit}`;
  return `Baton: ${request.application} ${what} to ${request.environment}, ${request.cause.detail} [request ${request.id}]`;
};

/** Holding the slot: create the deployment and record it. */
const launch = async (deps: DeployDeps, request: DeploymentRequest): Promise<DeployOutcome> => {
  const app = findApplication(deps.pipeline, request.application);
  const slotKey = keys.slot(request.application, request.environment);
  let deploymentId: string;
  try {
    deploymentId = await deps.deployer.createDeployment({
      codedeployApplication: app.codedeployApplication,
      deploymentGroup: request.deploymentGroup,
      bucket: request.artifact.bucket,
      key: request.artifact.key,
      bundleType: bundleTypeOf(request.artifact.key) ?? 'zip',
      etag: request.artifact.etag,
      ...(request.artifact.versionId ? { versionId: request.artifact.versionId } : {}),
      description: deploymentDescription(request),
    });
  } catch (error) {
    await deps.store.delete(slotKey);
    if (error instanceof GroupBusyError) {
      const note = 'the deployment group has an active deployment not started by Baton';
      await enqueue(deps, request, note);
      deps.log.warn('deployment group busy outside Baton; request queued', { requestId: request.id });
      return { outcome: 'queued', requestId: request.id, reason: note };
    }
    // Keep the request: queued, it is retried by the next group release or by reconcile.
    await enqueue(deps, request, `CreateDeployment failed: ${(error as Error).name}`);
    throw error;
  }
  const now = deps.clock.now().toISOString();
  const record: DeploymentRecord = {
    v: 1,
    kind: 'deployment',
    deploymentId,
    requestId: request.id,
    application: request.application,
    environment: request.environment,
    deploymentGroup: request.deploymentGroup,
    artifact: request.artifact,
    cause: request.cause,
    ...(request.release ? { release: request.release } : {}),
    createdAt: now,
  };
  await deps.store.put(keys.deployment(deploymentId), record);
  await deps.store.put(slotKey, {
    v: 1,
    requestId: request.id,
    deploymentId,
    takenAt: now,
  } satisfies GroupSlot);
  // A rollback restores the last good revision without superseding what was queued behind it.
  if (request.cause.type !== 'rollback') {
    const head: EnvironmentHead = {
      v: 1,
      requestId: request.id,
      requestedAt: request.requestedAt,
      deploymentId,
    };
    await deps.store.put(keys.head(request.application, request.environment), head);
  }
  await setRequest(deps, request, { state: 'started', deploymentId, note: undefined });
  deps.log.info('deployment started', {
    deploymentId,
    requestId: request.id,
    environment: request.environment,
  });
  return { outcome: 'started', requestId: request.id, deploymentId };
};

export type StartNextOutcome = 'busy' | 'idle' | DeployOutcome;

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
    const now = deps.clock.now().toISOString();
    if (!(await deps.store.create(slotKey, { v: 1, requestId: 'queue', takenAt: now } satisfies GroupSlot)))
      return 'busy';
    const queued = await deps.store.list(keys.queue(application, environment));
    if (queued.length === 0) {
      await deps.store.delete(slotKey);
      // A request may have been queued after our listing but before the delete: look again.
      if ((await deps.store.list(keys.queue(application, environment))).length === 0) return 'idle';
      continue;
    }
    const head = await deps.store.get<EnvironmentHead>(keys.head(application, environment));
    const entries = await Promise.all(queued.map((k) => deps.store.get<{ requestId: string }>(k)));
    const requests: DeploymentRequest[] = [];
    for (const entry of entries) {
      if (!entry) continue;
      const r = await deps.store.get<DeploymentRequest>(
        keys.request(application, environment, entry.record.requestId),
      );
      if (r) requests.push(r.record);
    }
    requests.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id));
    const rollback = requests.filter((r) => r.cause.type === 'rollback').at(-1);
    if (rollback) {
      await deps.store.put(slotKey, { v: 1, requestId: rollback.id, takenAt: now } satisfies GroupSlot);
      await deps.store.delete(keys.queueEntry(application, environment, rollback.requestedAt, rollback.id));
      return launch(deps, rollback);
    }
    const newest = requests.at(-1);
    for (const r of requests) {
      const stale = r !== newest || (head && r.requestedAt < head.record.requestedAt);
      if (!stale) continue;
      const by = r === newest ? head?.record.requestId : newest?.id;
      await setRequest(deps, r, { state: 'superseded', ...(by ? { supersededBy: by } : {}) });
      await deps.store.delete(keys.queueEntry(application, environment, r.requestedAt, r.id));
      deps.log.info('queued deployment superseded', { requestId: r.id, supersededBy: by });
    }
    if (!newest || (head && newest.requestedAt < head.record.requestedAt)) {
      await deps.store.delete(slotKey);
      continue;
    }
    await deps.store.put(slotKey, { v: 1, requestId: newest.id, takenAt: now } satisfies GroupSlot);
    await deps.store.delete(keys.queueEntry(application, environment, newest.requestedAt, newest.id));
    return launch(deps, newest);
  }
  return 'busy';
};

/** Frees the group after its deployment finished, then starts what waits for it. */
export const releaseGroup = async (
  deps: DeployDeps,
  application: string,
  environment: string,
  deploymentId: string,
): Promise<StartNextOutcome> => {
  const slotKey = keys.slot(application, environment);
  const slot = await deps.store.get<GroupSlot>(slotKey);
  if (slot?.record.deploymentId === deploymentId) await deps.store.delete(slotKey);
  return startNext(deps, application, environment);
};
