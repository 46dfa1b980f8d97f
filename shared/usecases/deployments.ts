// Starting deployments: one active deployment per group; a busy group queues the request, and
// when the group frees up the newest queued request starts and older ones are superseded.

import { bundleTypeOf } from '../domain/artifact';
import type { Pipeline } from '../domain/config';
import { findApplication, findEnvironment } from '../domain/config';
import { DeploymentOutcomeUnknown, GroupBusyError, ValidationError } from '../domain/errors';
import { stableId } from '../domain/ids';
import { keys } from '../ledger/keys';
import { type OpenRequestMark, openRequestKeys } from '../ledger/open-requests';
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
  // Written ahead: should this invocation stop before the request is queued or started, reconcile
  // finds the request by its mark (stalled-launches.ts).
  const mark = openRequestKeys.mark(input.application, input.environment, now, id);
  await deps.store.put(mark, {
    v: 1,
    requestId: id,
    application: input.application,
    environment: input.environment,
    at: now,
  } satisfies OpenRequestMark);
  let outcome: DeployOutcome;
  if (await deps.store.create(requestKey, request)) outcome = await place(deps, request, now);
  else {
    const existing = (await deps.store.get<DeploymentRequest>(requestKey))?.record;
    outcome =
      existing?.state === 'pending'
        ? await resumeRequest(deps, existing, now)
        : { outcome: 'duplicate', requestId: id, state: existing?.state ?? 'pending' };
  }
  await deps.store.delete(mark);
  return outcome;
};

/**
 * A request still pending: the invocation that wrote it stopped (failed, timed out) before it was
 * queued or started. This one takes it on, unless a launch of it holds the group's slot.
 */
export const resumeRequest = async (
  deps: DeployDeps,
  request: DeploymentRequest,
  now: string,
): Promise<DeployOutcome> => {
  const slot = await deps.store.get<GroupSlot>(keys.slot(request.application, request.environment));
  if (slot?.record.requestId === request.id)
    return { outcome: 'duplicate', requestId: request.id, state: 'pending' };
  return place(deps, request, now);
};

/** A new (or resumed) request: deploy at once if the group is free, otherwise queue it. */
const place = async (deps: DeployDeps, request: DeploymentRequest, now: string): Promise<DeployOutcome> => {
  const { application, environment, id } = request;
  // Fast path: take the group's slot and deploy at once.
  const slot: GroupSlot = { v: 1, requestId: id, takenAt: now };
  if (await deps.store.create(keys.slot(application, environment), slot)) return launch(deps, request);
  await enqueue(deps, request, 'the deployment group is busy');
  // The group may have freed up between our attempt and the enqueue: look again.
  await startNext(deps, application, environment);
  const after = await deps.store.get<DeploymentRequest>(keys.request(application, environment, id));
  if (after?.record.state === 'started' && after.record.deploymentId)
    return { outcome: 'started', requestId: id, deploymentId: after.record.deploymentId };
  return { outcome: 'queued', requestId: id, reason: after?.record.note ?? 'the deployment group is busy' };
};

// The queue entry first: a request marked queued always has one, even if this invocation stops here.
const enqueue = async (deps: DeployDeps, request: DeploymentRequest, note: string) => {
  await deps.store.put(
    keys.queueEntry(request.application, request.environment, request.requestedAt, request.id),
    {
      v: 1,
      requestId: request.id,
    },
  );
  // A duplicate delivery may have started it meanwhile: never back from started or superseded.
  await update<DeploymentRequest>(
    deps.store,
    keys.request(request.application, request.environment, request.id),
    (r) =>
      r.state === 'started' || r.state === 'superseded'
        ? undefined
        : { ...r, state: 'queued', note, updatedAt: deps.clock.now().toISOString() },
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

/** How a deployment's description names its request: reconcile finds a launch it lost track of by it. */
export const requestMarker = (requestId: string) => `[request ${requestId}]`;

const deploymentDescription = (request: DeploymentRequest) => {
  const commit = request.artifact.commit.slice(0, 12);
  const what = request.release ? `${request.release} (commit ${commit})` : `commit ${commit}`;
  return `Baton: ${request.application} ${what} to ${request.environment}, ${request.cause.detail} ${requestMarker(request.id)}`;
};

/** Holding the slot: create the deployment and record it. */
export const launch = async (deps: DeployDeps, request: DeploymentRequest): Promise<DeployOutcome> => {
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
    // CodeDeploy may have created it (an answer lost, the retry refused as busy): the slot stays with
    // this request, the mark of a launch to check; reconcile asks CodeDeploy once the lease runs out.
    if (error instanceof DeploymentOutcomeUnknown) {
      deps.log.warn('CreateDeployment outcome unknown; reconcile will look it up', { requestId: request.id });
      throw error;
    }
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
  await recordLaunch(deps, request, deploymentId);
  return { outcome: 'started', requestId: request.id, deploymentId };
};

/** The request holding the slot has its deployment: record it, the slot, the head, the request. */
export const recordLaunch = async (
  deps: DeployDeps,
  request: DeploymentRequest,
  deploymentId: string,
  /** When CodeDeploy created it, if known; otherwise now. */
  createdAt?: string,
) => {
  const slotKey = keys.slot(request.application, request.environment);
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
    createdAt: createdAt ?? now,
  };
  // Created, not overwritten: a record written before (and the verdict on it) stays.
  await deps.store.create(keys.deployment(deploymentId), record);
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
    for (const [i, entry] of entries.entries()) {
      if (!entry) continue;
      const r = await deps.store.get<DeploymentRequest>(
        keys.request(application, environment, entry.record.requestId),
      );
      // The environment's head already started (a duplicate delivery queued it while it launched).
      if (r && r.record.id === head?.record.requestId) await deps.store.delete(queued[i] ?? '');
      else if (r) requests.push(r.record);
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
