// Operator command `retry`: the same artifact again into the same environment, after its newest
// deployment (a rollback aside) ended PARTIAL, FAILED or INCOMPLETE. A release's deployment is retried
// as a new attempt of the release there, through its gates: an approval given for the release stays
// valid, and nothing is skipped. Any other deployment is requested again where no gate stands; in a
// gated environment only a release (or a force, with deploy) enters.
import type * as z from 'zod/mini';
import { passesGate } from '../audit/rules/gate';
import { BatonError, NotFoundError } from '../core/rules/errors';
import { requestDeployment } from '../deployments/deployments';
import { findApplication, findEnvironment } from '../pipeline/rules/config';
import type { PromotionDeps } from '../releases/promotion';
import { retryRelease } from '../releases/release-actions';
import { isGated } from '../releases/rules/promotion';
import { environmentCommand, startedIn } from './environment-deployments';
import { GateRefusedError, gateRule } from './gate';

/** There is nothing to retry, or not yet; the message says what stands. */
export class RetryRefusedError extends BatonError {
  override readonly name = 'RetryRefusedError';
}

export const retrySchema = environmentCommand('retry');

export const retry = async (deps: PromotionDeps, cmd: z.output<typeof retrySchema>, by: string) => {
  const app = findApplication(deps.pipeline, cmd.application);
  const env = findEnvironment(deps.pipeline, cmd.application, cmd.environment);
  // A rollback that followed the failure is not what is retried: the deployment it undid is.
  const last = (await startedIn(deps, cmd.application, cmd.environment)).find(
    (s) => s.deployment.cause.type !== 'rollback',
  )?.deployment;
  if (!last) throw new NotFoundError(`nothing was deployed to ${cmd.application} ${cmd.environment} yet`);
  const { deploymentId, verdict } = last;
  if (!verdict)
    throw new RetryRefusedError(
      `deployment ${deploymentId} in ${cmd.environment} has no verdict yet: wait for it, or stop it first`,
    );
  if (passesGate(verdict) && last.bake?.state === 'held')
    throw new RetryRefusedError(
      `deployment ${deploymentId} in ${cmd.environment} is VERIFIED and its bake is held: nothing to deploy again; audit it again (audit with its deploymentId) to read the alarms and bake again, or force on with a reason`,
    );
  if (passesGate(verdict))
    throw new RetryRefusedError(
      `deployment ${deploymentId} in ${cmd.environment} is VERIFIED: nothing to retry`,
    );
  const base = {
    application: cmd.application,
    environment: cmd.environment,
    retried: { deploymentId, verdict, commit: last.artifact.commit },
  };
  if (last.release) {
    const advance = await retryRelease(deps, {
      application: cmd.application,
      release: last.release,
      environment: cmd.environment,
      by,
      deploymentId,
      verdict,
      ...(cmd.reason ? { reason: cmd.reason } : {}),
    });
    return { ...base, release: last.release, next: advance?.next, result: advance?.result };
  }
  if (isGated(env)) {
    const previous = app.environments[app.environments.findIndex((e) => e.name === env.name) - 1];
    const rule = gateRule(env, previous);
    throw new GateRefusedError(
      rule.code,
      `cannot retry commit ${last.artifact.commit.slice(0, 12)} in ${env.name}: no release brought it there, and ${rule.text}. To skip the gate, use deploy with force and a reason.`,
    );
  }
  const result = await requestDeployment(deps, {
    application: cmd.application,
    environment: cmd.environment,
    artifact: last.artifact,
    ...(last.commitTime ? { commitTime: last.commitTime } : {}),
    cause: {
      type: 'operator',
      detail: `retry by ${by} after ${verdict} of ${deploymentId}${cmd.reason ? `: ${cmd.reason}` : ''}`,
    },
    // One retry per failed deployment: asked twice (a double run, a CLI retry), it is one request.
    dedupeKey: `retry:${deploymentId}`,
  });
  return { ...base, result };
};
