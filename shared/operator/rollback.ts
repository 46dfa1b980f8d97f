// Operator command `rollback`: the environment's last VERIFIED revision (the ledger's verified pointer)
// deployed again through CodeDeploy, with who and why recorded (rollbacks/…, the deployment's cause,
// and the timeline of the release it rolls back from). The revision passed this environment's gate and
// its audit here already, so no gate is asked again, as for the audit's own onFailure rollback; the
// deployment is a rollback, so its own failure is never rolled back in turn.
import type * as z from 'zod/mini';
import { verifiedRecords } from '../audit/records';
import { BatonError, NotFoundError } from '../core/rules/errors';
import { stableId } from '../core/rules/ids';
import type { DeployDeps } from '../deployments/deployment-launch';
import { requestDeployment } from '../deployments/deployments';
import { keys } from '../ledger/keys';
import type { ArtifactRef } from '../ledger/records';
import { findEnvironment } from '../pipeline/rules/config';
import { appendTimeline, timelineId } from '../releases/records';
import { environmentCommand, startedIn } from './environment-deployments';

/** There is nothing to roll back to, or the environment already runs it. */
export class RollbackRefusedError extends BatonError {
  override readonly name = 'RollbackRefusedError';
}

export const rollbackSchema = environmentCommand('rollback');

const sameRevision = (a: ArtifactRef, b: ArtifactRef) =>
  a.key === b.key && a.etag === b.etag && a.versionId === b.versionId;

const revisionOf = (v: { release?: string; artifact: { commit: string } }) =>
  v.release ?? `commit ${v.artifact.commit.slice(0, 12)}`;

export const rollback = async (deps: DeployDeps, cmd: z.output<typeof rollbackSchema>, by: string) => {
  findEnvironment(deps.pipeline, cmd.application, cmd.environment);
  const [verified, started] = await Promise.all([
    verifiedRecords(deps.store).get(cmd.application, cmd.environment),
    startedIn(deps, cmd.application, cmd.environment),
  ]);
  const to = verified?.record;
  if (!to)
    throw new NotFoundError(
      `${cmd.application} ${cmd.environment} has no VERIFIED deployment to roll back to`,
    );
  const current = started[0]?.deployment;
  if (current && (current.deploymentId === to.deploymentId || sameRevision(current.artifact, to.artifact)))
    throw new RollbackRefusedError(
      `${cmd.environment} already runs its last VERIFIED revision, ${revisionOf(to)} (deployment ${current.deploymentId})`,
    );
  if (current && !current.verdict)
    throw new RollbackRefusedError(
      `deployment ${current.deploymentId} is in flight in ${cmd.environment}: stop it first (baton stop ${current.deploymentId} --reason …), then roll back`,
    );
  const at = deps.clock.now().toISOString();
  const why = cmd.reason ? `: ${cmd.reason}` : '';
  const target = `${revisionOf(to)} (VERIFIED in ${to.deploymentId})`;
  const result = await requestDeployment(deps, {
    application: cmd.application,
    environment: cmd.environment,
    artifact: to.artifact,
    cause: { type: 'rollback', detail: `rollback by ${by} to ${target}${why}` },
    // One rollback per (revision, deployment rolled back): asked twice, it is one request.
    dedupeKey: `operator-rollback:${to.deploymentId}:${current?.deploymentId ?? '-'}`,
  });
  const from = current
    ? {
        deploymentId: current.deploymentId,
        commit: current.artifact.commit,
        ...(current.release ? { release: current.release } : {}),
        ...(current.verdict ? { verdict: current.verdict } : {}),
      }
    : undefined;
  const toBrief = {
    deploymentId: to.deploymentId,
    commit: to.artifact.commit,
    ...(to.release ? { release: to.release } : {}),
  };
  const ledgerKey = keys.rollback(cmd.application, cmd.environment, at, stableId(to.deploymentId, at));
  await deps.store.put(ledgerKey, {
    v: 1,
    kind: 'rollback',
    application: cmd.application,
    environment: cmd.environment,
    to: toBrief,
    ...(from ? { from } : {}),
    by,
    ...(cmd.reason ? { reason: cmd.reason } : {}),
    at,
    outcome: result.outcome,
    ...('deploymentId' in result ? { deploymentId: result.deploymentId } : {}),
  });
  if (from?.release)
    await appendTimeline(
      deps.store,
      cmd.application,
      from.release,
      timelineId('rolled-back', cmd.environment, at),
      {
        at,
        what: 'rolled-back',
        environment: cmd.environment,
        by,
        ...(cmd.reason ? { reason: cmd.reason } : {}),
        detail: `${cmd.environment} rolled back from deployment ${from.deploymentId} to ${target} by ${by}${why}`,
      },
    );
  return {
    application: cmd.application,
    environment: cmd.environment,
    to: toBrief,
    ...(from ? { from } : {}),
    result,
    ledgerKey,
  };
};
