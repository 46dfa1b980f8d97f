// Launching a deployment for a request that holds its group's slot, and the request records around it.

import { bundleTypeOf } from '../artifacts/rules/artifact';
import type { Core, Deployer } from '../core/ports';
import type { CommitTime } from '../core/rules/commit-time';
import { DeploymentOutcomeUnknownError, GroupBusyError } from '../core/rules/errors';
import { keys } from '../ledger/keys';
import type {
  ArtifactRef,
  Cause,
  DeploymentRecord,
  DeploymentRequest,
  EnvironmentHead,
  GroupSlot,
} from '../ledger/records';
import { headRecords, queueRecords, requestRecords } from '../ledger/schemas';
import type { Stored } from '../ledger/store';
import type { Pipeline } from '../pipeline/rules/config';
import { findApplication, findEnvironment } from '../pipeline/rules/config';
import { releasesEnter } from '../releases/rules/promotion';
import {
  type LambdaRevisionDeps,
  lambdaDepsOf,
  lambdaTargetOf,
  writeLambdaRevision,
} from './lambda-revisions';

export interface DeployDeps extends Core {
  pipeline: Pipeline;
  deployer: Deployer;
  /** What a Lambda environment's revision is made with (the artifact's AppSpec, the alias's version). */
  lambda?: LambdaRevisionDeps;
}

export interface DeployRequestInput {
  application: string;
  environment: string;
  artifact: ArtifactRef;
  cause: Cause;
  release?: string;
  /** The best time known for the commit (a push's); else the artifact's upload time is taken. */
  commitTime?: CommitTime;
  /** Same key, same request: a duplicate event finds the request already there. */
  dedupeKey: string;
  /**
   * No earlier invocation can have made this request: its cause (an artifact, a release) was recorded
   * just now by this one. The request then goes straight for the group's slot, which carries it, and
   * its record is written once the deployment started (see deployments.ts).
   */
  fresh?: boolean;
}

/**
 * The request's record as this invocation holds it (read or written, with its ETag), so that changing
 * it needs no read; 'unwritten' while only the group's slot carries it.
 */
export type RequestHeld = Stored<DeploymentRequest> | 'unwritten';

export type DeployOutcome =
  | { outcome: 'started'; requestId: string; deploymentId: string }
  | { outcome: 'queued'; requestId: string; reason: string }
  | { outcome: 'duplicate'; requestId: string; state: DeploymentRequest['state'] }
  /** Nothing to deploy: the environment serves the revision already (a Lambda alias on its version). */
  | { outcome: 'unchanged'; requestId: string; note: string };

// The queue entry first: a request marked queued always has one, even if this invocation stops here.
export const enqueue = async (
  deps: DeployDeps,
  request: DeploymentRequest,
  note: string,
  held?: RequestHeld,
) => {
  await queueRecords(deps.store).put(
    keys.queueEntry(request.application, request.environment, request.requestedAt, request.id),
    { v: 1, requestId: request.id },
  );
  // A duplicate delivery may have started it meanwhile: never back from started or superseded, and
  // then take back the entry just written.
  const updatedAt = deps.clock.now().toISOString();
  const requests = requestRecords(deps.store);
  const key = keys.request(request.application, request.environment, request.id);
  const toQueued = (r: DeploymentRequest): DeploymentRequest | undefined =>
    r.state === 'started' || r.state === 'superseded' || r.state === 'done'
      ? undefined
      : { ...r, state: 'queued', note, updatedAt };
  let after: DeploymentRequest | undefined;
  if (held === 'unwritten') {
    const queued: DeploymentRequest = { ...request, state: 'queued', note, updatedAt };
    after = (await requests.create(key, queued)) ? queued : await requests.update(key, toQueued);
  } else after = await requests.update(key, toQueued, 5, held);
  if (after?.state === 'started' || after?.state === 'superseded' || after?.state === 'done')
    await deps.store.delete(
      keys.queueEntry(request.application, request.environment, request.requestedAt, request.id),
    );
};

export const setRequest = (
  deps: DeployDeps,
  request: DeploymentRequest,
  change: Partial<DeploymentRequest>,
  held?: Stored<DeploymentRequest>,
) =>
  requestRecords(deps.store).update(
    keys.request(request.application, request.environment, request.id),
    (r) => ({
      ...r,
      ...change,
      updatedAt: deps.clock.now().toISOString(),
    }),
    5,
    held,
  );

/** The request started, or was done without a deployment: its record says so (written now if only the slot carried it). */
const markLaunched = async (
  deps: DeployDeps,
  request: DeploymentRequest,
  change: Pick<DeploymentRequest, 'state' | 'deploymentId' | 'note'>,
  held?: RequestHeld,
) => {
  if (held !== 'unwritten') return setRequest(deps, request, change, held);
  const key = keys.request(request.application, request.environment, request.id);
  const { note: _, deploymentId: __, ...rest } = request;
  const record: DeploymentRequest = { ...rest, ...change, updatedAt: deps.clock.now().toISOString() };
  // Another path (a racing push, a duplicate delivery) recorded the same request first.
  if (!(await requestRecords(deps.store).create(key, record))) return setRequest(deps, request, change);
  return record;
};

/** How a deployment's description names its request: reconcile finds a launch it lost track of by it. */
export const requestMarker = (requestId: string) => `[request ${requestId}]`;

const deploymentDescription = (request: DeploymentRequest) => {
  const commit = request.artifact.commit.slice(0, 12);
  const what = request.release ? `${request.release} (commit ${commit})` : `commit ${commit}`;
  return `Baton: ${request.application} ${what} to ${request.environment}, ${request.cause.detail} ${requestMarker(request.id)}`;
};

/**
 * What CreateDeployment names: the artifact, or for Lambda the revision written for this environment;
 * `unchanged` when a Lambda alias serves the target version already.
 */
const revisionOf = async (
  deps: DeployDeps,
  request: DeploymentRequest,
  platform: Pipeline['applications'][string]['computePlatform'],
) => {
  const { artifact } = request;
  if (platform !== 'Lambda')
    return {
      revision: {
        bucket: artifact.bucket,
        key: artifact.key,
        bundleType: bundleTypeOf(artifact.key, platform) ?? ('zip' as const),
        etag: artifact.etag,
        ...(artifact.versionId ? { versionId: artifact.versionId } : {}),
      },
    };
  const env = findEnvironment(deps.pipeline, request.application, request.environment);
  const target = lambdaTargetOf(request.application, env);
  const written = await writeLambdaRevision(
    { ...lambdaDepsOf(deps), store: deps.store },
    request.application,
    env.name,
    artifact,
    target,
  );
  if ('unchanged' in written) return written;
  return { revision: { ...written.revision, bundleType: 'JSON' as const } };
};

/** Nothing to deploy: the request is done, with why, and its group's slot (if still its own) is free. */
const settleUnchanged = async (
  deps: DeployDeps,
  request: DeploymentRequest,
  note: string,
  held?: RequestHeld,
  slotEtag?: string,
): Promise<DeployOutcome> => {
  await markLaunched(deps, request, { state: 'done', deploymentId: undefined, note }, held);
  await deps.store.delete(keys.slot(request.application, request.environment), slotEtag);
  deps.log.info('nothing to deploy', { requestId: request.id, environment: request.environment, note });
  return { outcome: 'unchanged', requestId: request.id, note };
};

/**
 * Holding the slot: create the deployment and record it. `slotEtag`: the slot as this invocation took
 * it, so that naming the deployment in it never overwrites a slot someone else took meanwhile.
 */
export const launch = async (
  deps: DeployDeps,
  request: DeploymentRequest,
  held?: RequestHeld,
  slotEtag?: string,
): Promise<DeployOutcome> => {
  const app = findApplication(deps.pipeline, request.application);
  const slotKey = keys.slot(request.application, request.environment);
  let deploymentId: string;
  try {
    const launchable = await revisionOf(deps, request, app.computePlatform);
    if ('unchanged' in launchable)
      return await settleUnchanged(deps, request, launchable.unchanged, held, slotEtag);
    const { revision } = launchable;
    deploymentId = await deps.deployer.createDeployment({
      codedeployApplication: app.codedeployApplication,
      deploymentGroup: request.deploymentGroup,
      ...revision,
      description: deploymentDescription(request),
    });
  } catch (error) {
    // CodeDeploy may have created it (an answer lost, the retry refused as busy): the slot stays with
    // this request, the mark of a launch to check; reconcile asks CodeDeploy once the lease runs out.
    if (error instanceof DeploymentOutcomeUnknownError) {
      deps.log.warn('CreateDeployment outcome unknown; reconcile will look it up', { requestId: request.id });
      throw error;
    }
    // Queued first, the slot freed second: stopping in between leaves a claim reconcile recovers.
    if (error instanceof GroupBusyError) {
      const note = 'the deployment group has an active deployment not started by Baton';
      await enqueue(deps, request, note, held);
      await deps.store.delete(slotKey);
      deps.log.warn('deployment group busy outside Baton; request queued', { requestId: request.id });
      return { outcome: 'queued', requestId: request.id, reason: note };
    }
    // Keep the request: queued, it is retried by the next group release or by reconcile.
    await enqueue(deps, request, `CreateDeployment failed: ${(error as Error).name}`, held);
    await deps.store.delete(slotKey);
    throw error;
  }
  await recordLaunch(deps, request, deploymentId, undefined, held, slotEtag);
  return { outcome: 'started', requestId: request.id, deploymentId };
};

/** The request holding the slot has its deployment: record it, the request, the slot, the head. */
export const recordLaunch = async (
  deps: DeployDeps,
  request: DeploymentRequest,
  deploymentId: string,
  /** When CodeDeploy created it, if known; otherwise now. */
  createdAt?: string,
  held?: RequestHeld,
  /** The slot as the launcher took it: the slot is named only if it is still that one. */
  slotEtag?: string,
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
    ...(request.commitTime ? { commitTime: request.commitTime } : {}),
    createdAt: createdAt ?? now,
  };
  // In this order: the request, the head, the deployment, the slot. A deployment record therefore
  // means its request and head are recorded, and its group's slot is its own (naming it, or still the
  // claim of its request): the audit's first follow-up frees that slot without reading it. Should
  // this stop half-way, the slot is a claim without a deployment, which reconcile finishes recording
  // (stalled-launches.ts); an audit meanwhile finds no deployment record and leaves the slot alone.
  await markLaunched(deps, request, { state: 'started', deploymentId, note: undefined }, held);
  await recordHead(deps, request, deploymentId);
  // Created, not overwritten: a record written before (and the verdict on it) stays.
  await deps.store.create(keys.deployment(deploymentId), record);
  const named: GroupSlot = { v: 1, requestId: request.id, deploymentId, takenAt: now };
  // A slot that changed since it was taken was freed by this deployment's own audit (it finished
  // meanwhile) and may already be the next launch's: it is left alone.
  if (slotEtag === undefined) await deps.store.put(slotKey, named);
  else if (!(await deps.store.replace(slotKey, named, slotEtag)))
    deps.log.info('slot changed since taken; left to its holder', { deploymentId, requestId: request.id });
  deps.log.info('deployment started', {
    deploymentId,
    requestId: request.id,
    environment: request.environment,
  });
};

/** The latest request started in the environment: queued requests older than it are superseded. */
const recordHead = async (deps: DeployDeps, request: DeploymentRequest, deploymentId: string) => {
  // A rollback restores the last good revision without superseding what was queued behind it.
  if (request.cause.type !== 'rollback') {
    const headKey = keys.head(request.application, request.environment);
    // Where releases enter, the head keeps naming the release there until another one starts.
    const carries = releasesEnter(findApplication(deps.pipeline, request.application), request.environment);
    const release =
      request.release ?? (carries ? (await headRecords(deps.store).at(headKey))?.record.release : undefined);
    const head: EnvironmentHead = {
      v: 1,
      requestId: request.id,
      requestedAt: request.requestedAt,
      deploymentId,
      ...(release ? { release } : {}),
    };
    await deps.store.put(headKey, head);
  }
};
