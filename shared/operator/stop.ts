// Operator command `stop`: StopDeployment on a deployment in flight, optionally with CodeDeploy's own
// rollback, with who and why recorded first (stops/<id>.json, and the release's timeline). CodeDeploy
// then reports the deployment Stopped; its finish event brings the audit, whose verdict is FAILED with
// the stop as its reason, and whose follow-up frees the group for the next request in the queue.
import * as z from 'zod/mini';
import type { DeploymentReader } from '../audit/ports';
import type { Core, DeploymentStopper } from '../core/ports';
import { ConfigError, DeploymentFinishedError, errorName, NotFoundError } from '../core/rules/errors';
import * as fields from '../core/rules/fields';
import { keys } from '../ledger/keys';
import type { StopRecord } from '../ledger/records';
import { deploymentRecords, stopRecords } from '../ledger/schemas';
import { environmentForGroup, type Pipeline } from '../pipeline/rules/config';
import { appendTimeline, timelineId } from '../releases/records';

export const stopSchema = z.strictObject({
  command: z.literal('stop'),
  deploymentId: fields.deploymentId,
  reason: fields.text(500),
  autoRollback: z._default(z.boolean(), false),
});

export interface StopDeps extends Core {
  pipeline: Pipeline;
  /** Optional so that operator deps built for other commands need not carry it. */
  stopping?: DeploymentStopper;
  /** For a deployment Baton did not start: where CodeDeploy says it runs. */
  auditing?: { reader: DeploymentReader };
}

/** Where the deployment runs, from the ledger or, for one Baton did not start, from CodeDeploy. */
const placeOf = async (deps: StopDeps, deploymentId: string) => {
  const recorded = (await deploymentRecords(deps.store).get(deploymentId))?.record;
  if (recorded) {
    if (recorded.verdict)
      throw new DeploymentFinishedError(
        `deployment ${deploymentId} has already finished (verdict ${recorded.verdict}): there is nothing to stop`,
      );
    return {
      application: recorded.application,
      environment: recorded.environment,
      ...(recorded.release ? { release: recorded.release } : {}),
    };
  }
  const facts = deps.auditing ? await deps.auditing.reader.deployment(deploymentId) : undefined;
  const found =
    facts && environmentForGroup(deps.pipeline, facts.codedeployApplication, facts.deploymentGroup);
  if (!found)
    throw new NotFoundError(`deployment ${deploymentId} belongs to no environment of this pipeline`);
  return { application: found.application, environment: found.environment.name };
};

export const stop = async (deps: StopDeps, cmd: z.output<typeof stopSchema>, by: string) => {
  if (!deps.stopping) throw new ConfigError(['the operator function is not wired to stop deployments']);
  const place = await placeOf(deps, cmd.deploymentId);
  const at = deps.clock.now().toISOString();
  const record: StopRecord = {
    v: 1,
    kind: 'stop',
    deploymentId: cmd.deploymentId,
    ...place,
    by,
    reason: cmd.reason,
    autoRollback: cmd.autoRollback,
    at,
  };
  const key = keys.stop(cmd.deploymentId);
  // Recorded first, so that the audit of the Stopped deployment always finds who stopped it and why.
  if (!(await stopRecords(deps.store).create(key, record))) {
    const earlier = (await stopRecords(deps.store).at(key))?.record;
    return {
      deploymentId: cmd.deploymentId,
      outcome: 'already-stopped' as const,
      by: earlier?.by,
      reason: earlier?.reason,
      at: earlier?.at,
    };
  }
  let answer: Awaited<ReturnType<DeploymentStopper['stop']>>;
  try {
    answer = await deps.stopping.stop(cmd.deploymentId, cmd.autoRollback);
  } catch (error) {
    // Not stopped: the record must not say it was.
    await deps.store.delete(key).catch(() => {
      deps.log.warn('stop record left after a failed StopDeployment', {
        deploymentId: cmd.deploymentId,
        error: errorName(error),
      });
    });
    throw error;
  }
  const detail = `deployment ${cmd.deploymentId} stopped by ${by}${cmd.autoRollback ? ', with CodeDeploy rolling it back' : ''}: ${cmd.reason}`;
  if (place.release)
    await appendTimeline(
      deps.store,
      place.application,
      place.release,
      timelineId('stopped', place.environment, cmd.deploymentId),
      { at, what: 'stopped', environment: place.environment, by, reason: cmd.reason, detail },
    );
  return {
    deploymentId: cmd.deploymentId,
    outcome: 'stopped' as const,
    application: place.application,
    environment: place.environment,
    ...(place.release ? { release: place.release } : {}),
    autoRollback: cmd.autoRollback,
    codedeploy: answer,
    by,
    reason: cmd.reason,
    next: 'once CodeDeploy reports it Stopped, the audit records FAILED (stopped) and the group takes the next request in its queue',
    ledgerKey: key,
  };
};
