// Starting deployments: one active deployment per group; a busy group queues the request, and
// when the group frees up the newest queued request starts and older ones are superseded.

import { bundleRule, bundleTypeOf } from '../artifacts/rules/artifact';
import { commitTimeOf } from '../core/rules/commit-time';
import { errorName, ValidationError } from '../core/rules/errors';
import { stableId } from '../core/rules/ids';
import { keys, openRequestKeys } from '../ledger/keys';
import type { DeploymentRequest, GroupSlot } from '../ledger/records';
import { requestRecords, slotRecords } from '../ledger/schemas';
import type { Stored } from '../ledger/store';
import { findApplication, findEnvironment } from '../pipeline/rules/config';
import { type DeployDeps, type DeployOutcome, type DeployRequestInput, enqueue } from './deployment-launch';
import { launchThenNext, startNext } from './deployment-queue';
import { lambdaAppSpecOf, lambdaTargetOf } from './lambda-revisions';
import { openRequestRecords } from './open-requests';

export const requestId = (application: string, environment: string, dedupeKey: string) =>
  stableId('request', application, environment, dedupeKey);

export const requestDeployment = async (
  deps: DeployDeps,
  input: DeployRequestInput,
): Promise<DeployOutcome> => {
  const env = findEnvironment(deps.pipeline, input.application, input.environment);
  const { computePlatform } = findApplication(deps.pipeline, input.application);
  if (!bundleTypeOf(input.artifact.key, computePlatform))
    throw new ValidationError([`artifact.key: ${bundleRule(computePlatform)}`]);
  // Refused now, naming the rule, rather than at launch: a Lambda AppSpec must name the function and
  // the version it promotes (the alias and current version are the environment's, written at launch).
  if (computePlatform === 'Lambda')
    await lambdaAppSpecOf(deps, input.application, input.artifact, lambdaTargetOf(input.application, env));
  const now = deps.clock.now().toISOString();
  const id = requestId(input.application, input.environment, input.dedupeKey);
  const commitTime = input.commitTime ?? commitTimeOf({ uploadedAt: input.artifact.uploadedAt });
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
    ...(commitTime ? { commitTime } : {}),
    requestedAt: now,
    state: 'pending',
    updatedAt: now,
  };
  const slotKey = keys.slot(input.application, input.environment);
  // The fast path: the slot taken with the request in it is the request's first record. A launch
  // that stops half-way is found by its slot (stalled-launches.ts); the request's record follows.
  // Should the slot's write fail, the request takes the way below, which leaves a mark first.
  let busy = false;
  if (input.fresh) {
    const taken = await deps.store
      .create(slotKey, { v: 1, requestId: id, takenAt: now, request })
      .catch((error: unknown) => {
        deps.log.warn('group slot not taken; the request is recorded first', {
          requestId: id,
          error: errorName(error),
        });
        return undefined;
      });
    if (taken) {
      // The request's record before CreateDeployment: another invocation for the same cause (a
      // duplicate delivery, a push) may have made and deployed it already, and freed the slot again.
      const etag = await deps.store.create(keys.request(input.application, input.environment, id), request);
      if (etag) return launchThenNext(deps, request, { record: request, etag }, taken);
      await deps.store.delete(slotKey, taken);
      await startNext(deps, input.application, input.environment);
      const existing = (await requestRecords(deps.store).get(input.application, input.environment, id))
        ?.record;
      return { outcome: 'duplicate', requestId: id, state: existing?.state ?? 'pending' };
    }
    busy = taken === false;
  }
  const requestKey = keys.request(input.application, input.environment, id);
  // Written ahead: should this invocation stop before the request is queued or started, reconcile
  // finds the request by its mark (stalled-launches.ts).
  const mark = openRequestKeys.mark(input.application, input.environment, now, id);
  await openRequestRecords(deps.store).put(mark, {
    v: 1,
    requestId: id,
    application: input.application,
    environment: input.environment,
    at: now,
  });
  let outcome: DeployOutcome;
  const etag = await deps.store.create(requestKey, request);
  // A fresh request found the group busy just now: no need to try its slot again.
  if (etag) outcome = await place(deps, { record: request, etag }, now, busy);
  else {
    const existing = await requestRecords(deps.store).at(requestKey);
    outcome =
      existing?.record.state === 'pending'
        ? await resumeRequest(deps, existing, now)
        : { outcome: 'duplicate', requestId: id, state: existing?.record.state ?? 'pending' };
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
  held: Stored<DeploymentRequest>,
  now: string,
): Promise<DeployOutcome> => {
  const request = held.record;
  const slot = await slotRecords(deps.store).get(request.application, request.environment);
  if (slot?.record.requestId === request.id)
    return { outcome: 'duplicate', requestId: request.id, state: 'pending' };
  return place(deps, held, now);
};

/** A new (or resumed) request: deploy at once if the group is free, otherwise queue it. */
const place = async (
  deps: DeployDeps,
  held: Stored<DeploymentRequest>,
  now: string,
  knownBusy = false,
): Promise<DeployOutcome> => {
  const request = held.record;
  const { application, environment, id } = request;
  // Take the group's slot and deploy at once.
  const slot: GroupSlot = { v: 1, requestId: id, takenAt: now };
  const taken = knownBusy ? false : await deps.store.create(keys.slot(application, environment), slot);
  if (taken) return launchThenNext(deps, request, held, taken);
  // Held by this very request: its launch (on the fast path) is under way, or stopped half-way and is
  // recovered by reconcile; queueing it would deploy it twice.
  const holder = await slotRecords(deps.store).get(application, environment);
  if (holder?.record.requestId === id) return { outcome: 'duplicate', requestId: id, state: request.state };
  await enqueue(deps, request, 'the deployment group is busy', held);
  // The group may have freed up between our attempt and the enqueue: look again.
  await startNext(deps, application, environment);
  const after = await requestRecords(deps.store).get(application, environment, id);
  if (after?.record.state === 'started' && after.record.deploymentId)
    return { outcome: 'started', requestId: id, deploymentId: after.record.deploymentId };
  return { outcome: 'queued', requestId: id, reason: after?.record.note ?? 'the deployment group is busy' };
};
