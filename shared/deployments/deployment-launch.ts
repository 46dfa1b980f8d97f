// Launching a deployment for a request that holds its group's slot, and the request records around it.

import { bundleTypeOf } from '../artifacts/rules/artifact';
import type { Core, Deployer } from '../core/ports';
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
import { headRecords, requestRecords } from '../ledger/schemas';
import type { Pipeline } from '../pipeline/rules/config';
import { findApplication } from '../pipeline/rules/config';

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

// The queue entry first: a request marked queued always has one, even if this invocation stops here.
export const enqueue = async (deps: DeployDeps, request: DeploymentRequest, note: string) => {
  await deps.store.put(
    keys.queueEntry(request.application, request.environment, request.requestedAt, request.id),
    {
      v: 1,
      requestId: request.id,
    },
  );
  // A duplicate delivery may have started it meanwhile: never back from started or superseded, and
  // then take back the entry just written.
  const after = await requestRecords(deps.store).update(
    keys.request(request.application, request.environment, request.id),
    (r) =>
      r.state === 'started' || r.state === 'superseded'
        ? undefined
        : { ...r, state: 'queued', note, updatedAt: deps.clock.now().toISOString() },
  );
  if (after?.state === 'started' || after?.state === 'superseded')
    await deps.store.delete(
      keys.queueEntry(request.application, request.environment, request.requestedAt, request.id),
    );
};

export const setRequest = (
  deps: DeployDeps,
  request: DeploymentRequest,
  change: Partial<DeploymentRequest>,
) =>
  requestRecords(deps.store).update(
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
    if (error instanceof DeploymentOutcomeUnknownError) {
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
    const headKey = keys.head(request.application, request.environment);
    const release = request.release ?? (await headRecords(deps.store).at(headKey))?.record.release;
    const head: EnvironmentHead = {
      v: 1,
      requestId: request.id,
      requestedAt: request.requestedAt,
      deploymentId,
      ...(release ? { release } : {}),
    };
    await deps.store.put(headKey, head);
  }
  await setRequest(deps, request, { state: 'started', deploymentId, note: undefined });
  deps.log.info('deployment started', {
    deploymentId,
    requestId: request.id,
    environment: request.environment,
  });
};
