// Launches left half-way. A group's slot that names a request but no deployment means the function
// that took it stopped between taking the slot and recording the deployment: it timed out, crashed, or
// CreateDeployment's outcome was unknown (an answer lost). Once the lease has run out, CodeDeploy is
// asked whether the deployment exists (Baton's descriptions name their request): found, it is recorded
// as started, and audited if it finished meanwhile; not found, it is created now. Either way once.

import { audit } from '../audit/audit';
import { auditRecords } from '../audit/records';
import { isFinished } from '../audit/rules/evidence';
import { errorName } from '../core/rules/errors';
import { keys, openRequestKeys } from '../ledger/keys';
import type { DeploymentRequest } from '../ledger/records';
import { deploymentRecords, requestRecords, slotRecords } from '../ledger/schemas';
import { findApplication } from '../pipeline/rules/config';
import type { ReconcileDeps, ReconcileStep } from '../reconcile/reconcile-step';
import { type RequestHeld, recordLaunch, requestMarker } from './deployment-launch';
import { launchThenNext, releaseGroup, type StartNextOutcome, startNext } from './deployment-queue';
import { resumeRequest } from './deployments';
import { openRequestRecords } from './open-requests';

/** Longer than any Baton function runs (the longest timeout is 110 s): an older claim was abandoned. */
export const LAUNCH_LEASE_MS = 5 * 60_000;
/** CodeDeploy's clock and ours may differ; the look-up starts this much before the slot was taken. */
const CLOCK_SKEW_MS = 5 * 60_000;

const described = (o: StartNextOutcome) => (typeof o === 'string' ? o : `${o.outcome} ${o.requestId}`);

/** The deployment finished before the ledger knew it: its audit (if any) could not free the group. */
const settleFinished = async (deps: ReconcileDeps, deploymentId: string, request: DeploymentRequest) => {
  const earlier = (await auditRecords(deps.store).get(deploymentId))?.record;
  if (earlier?.inLedger) {
    if (earlier.followUp.state !== 'done') return 'its audit follow-up is resumed by reconcile';
    const next = await releaseGroup(deps, request.application, request.environment, deploymentId);
    return `audited earlier (${earlier.verdict}); group released, ${described(next)}`;
  }
  // Audited as a stranger (not in the ledger then), or not at all: audit it as Baton's own.
  const outcome = await audit(deps, { deploymentId, trigger: 'reconcile', again: Boolean(earlier) });
  return outcome.outcome === 'unfinished' ? `still ${outcome.status}` : `audited ${outcome.verdict}`;
};

export const recoverLaunch = async (
  deps: ReconcileDeps,
  application: string,
  environment: string,
): Promise<string> => {
  const slotKey = keys.slot(application, environment);
  const held = await slotRecords(deps.store).at(slotKey);
  const slot = held?.record;
  if (!held || !slot || slot.deploymentId) return 'nothing stalled';
  const now = deps.clock.now();
  if (now.getTime() - Date.parse(slot.takenAt) < LAUNCH_LEASE_MS) return 'launch under way';
  const requestKey = keys.request(application, environment, slot.requestId);
  const recorded = await requestRecords(deps.store).at(requestKey);
  // A launch on the fast path carries its request in the slot until the deployment started.
  const request = recorded?.record ?? slot.request;
  const requestHeld: RequestHeld | undefined = recorded ?? (slot.request ? 'unwritten' : undefined);
  if (!request) {
    // A queue pick that stopped before it chose (requestId "queue"), or a slot of no known request.
    await deps.store.delete(slotKey);
    return `abandoned slot freed; ${described(await startNext(deps, application, environment))}`;
  }
  if (!deps.lookup) return `request ${request.id} stalled: no CodeDeploy look-up wired`;
  // Claimed anew, so that a concurrent run leaves it alone.
  const claimed = await deps.store.replace(slotKey, { ...slot, takenAt: now.toISOString() }, held.etag);
  if (!claimed) return 'taken over meanwhile';
  const found = await deps.lookup.find({
    codedeployApplication: findApplication(deps.pipeline, application).codedeployApplication,
    deploymentGroup: request.deploymentGroup,
    marker: requestMarker(request.id),
    since: new Date(Date.parse(slot.takenAt) - CLOCK_SKEW_MS),
  });
  if (!found) {
    const outcome = await launchThenNext(deps, request, requestHeld, claimed);
    return outcome.outcome === 'started'
      ? `request ${request.id}: not in CodeDeploy, created ${outcome.deploymentId}`
      : `request ${request.id}: not in CodeDeploy, ${outcome.outcome}`;
  }
  // Recorded as far as its deployment record: its request and head are too (recordLaunch's order), and
  // its audit may already have freed the slot for the next launch, whose head must stay.
  if (await deploymentRecords(deps.store).get(found.deploymentId))
    await deps.store.replace(
      slotKey,
      { v: 1, requestId: request.id, deploymentId: found.deploymentId, takenAt: now.toISOString() },
      claimed,
    );
  else await recordLaunch(deps, request, found.deploymentId, found.createdAt, requestHeld, claimed);
  const what = `request ${request.id}: found ${found.deploymentId} in CodeDeploy, recorded`;
  if (!isFinished(found.status)) return `${what} (${found.status})`;
  return `${what}; ${await settleFinished(deps, found.deploymentId, request)}`;
};

/** Requests whose invocation stopped before they were queued or started (found by their open mark). */
export const resumePending = async (deps: ReconcileDeps): Promise<Record<string, string>> => {
  const results: Record<string, string> = {};
  const now = deps.clock.now();
  for (const key of await deps.store.list(openRequestKeys.all())) {
    const mark = (await openRequestRecords(deps.store).at(key))?.record;
    if (!mark || now.getTime() - Date.parse(mark.at) < LAUNCH_LEASE_MS) continue;
    try {
      const requestKey = keys.request(mark.application, mark.environment, mark.requestId);
      const held = await requestRecords(deps.store).at(requestKey);
      const request = held?.record;
      let note = request ? `already ${request.state}` : 'never recorded (its event is retried or kept)';
      if (held && request?.state === 'pending') {
        const outcome = await resumeRequest(deps, held, now.toISOString());
        note = outcome.outcome === 'started' ? `started ${outcome.deploymentId}` : outcome.outcome;
      }
      await deps.store.delete(key);
      results[mark.requestId] = note;
    } catch (error) {
      results[mark.requestId] = `failed: ${errorName(error)}`;
    }
  }
  return results;
};

export const resumePendingRequests: ReconcileStep = { name: 'resumePendingRequests', run: resumePending };

/** Every environment's stalled launch, if any. */
export const recoverLaunches = async (deps: ReconcileDeps): Promise<Record<string, string>> => {
  const results: Record<string, string> = {};
  for (const [application, spec] of Object.entries(deps.pipeline.applications))
    for (const env of spec.environments) {
      try {
        results[`${application}/${env.name}`] = await recoverLaunch(deps, application, env.name);
      } catch (error) {
        const name = errorName(error);
        deps.log.error('reconcile could not recover a launch', {
          application,
          environment: env.name,
          error: name,
        });
        results[`${application}/${env.name}`] = `failed: ${name}`;
      }
    }
  return results;
};

export const recoverStalledLaunches: ReconcileStep = { name: 'recoverStalledLaunches', run: recoverLaunches };
