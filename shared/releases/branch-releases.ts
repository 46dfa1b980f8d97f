// Branch releases: a commit pushed to a branch environment becomes a release of its own where a gate
// stands in its way. Either the branch environment needs approval (the release asks, then deploys
// there), or the environment after it is entered by promotion (the release starts once the branch
// deployment is VERIFIED, and is promoted like a tag's). Tags keep their own releases.

import type { AuditRecord } from '../audit/records';
import { passesGate } from '../audit/rules/gate';
import type { Core } from '../core/ports';
import { releaseKeys } from '../ledger/keys';
import type { ArtifactRef } from '../ledger/records';
import { artifactRecords } from '../ledger/schemas';
import { type Environment, findApplication, findEnvironment, type Pipeline } from '../pipeline/rules/config';
import {
  appendTimeline,
  artifactRefOf,
  type ReleaseRecord,
  releaseRecords,
  timelineId,
  waitingRecords,
} from './records';
import { promotesFrom } from './rules/promotion';

/** A branch release's name: its branch and commit. `@` never ends a release tag's pattern here. */
export const branchReleaseName = (branch: string, commit: string) => `${branch}@${commit.slice(0, 12)}`;

export interface BranchReleaseInput {
  application: string;
  environment: Environment;
  branch: string;
  commit: string;
  /** Orders branch releases: the push's time, or the branch deployment's creation. */
  pushedAt: string;
  by: string;
  artifact?: ArtifactRef;
  origin?: { deploymentId: string };
}

/** Creates the release once; returns its name. Waits for the artifact when it has not arrived. */
export const recordBranchRelease = async (deps: Core, input: BranchReleaseInput): Promise<string> => {
  const tag = branchReleaseName(input.branch, input.commit);
  const now = deps.clock.now().toISOString();
  const record: ReleaseRecord = {
    v: 1,
    kind: 'release',
    application: input.application,
    tag,
    commit: input.commit,
    ...(input.artifact ? { artifact: input.artifact, artifactAttachedAt: now } : {}),
    pushedAt: input.pushedAt,
    createdBy: input.by,
    createdAt: now,
    entry: input.environment.name,
    ...(input.origin ? { origin: input.origin } : {}),
  };
  if (!(await deps.store.create(releaseKeys.release(input.application, tag), record))) return tag;
  const from = input.origin
    ? `VERIFIED in ${input.environment.name} (${input.origin.deploymentId}), to be promoted`
    : `pushed to ${input.branch}, gated in ${input.environment.name}`;
  await appendTimeline(deps.store, input.application, tag, timelineId('created'), {
    at: now,
    what: 'created',
    detail: `branch release ${tag} is commit ${input.commit}: ${from}`,
    by: input.by,
  });
  if (!input.artifact) {
    await waitingRecords(deps.store).put(releaseKeys.waiting(input.application, input.commit, tag), {
      v: 1,
      tag,
      since: now,
    });
    // Marked first, then looked for again: an artifact recorded meanwhile may have missed the mark.
    const arrived = await artifactRecords(deps.store).get(input.application, input.commit);
    if (arrived) {
      await releaseRecords(deps.store).update(releaseKeys.release(input.application, tag), (r) =>
        r.artifact ? undefined : { ...r, artifact: artifactRefOf(arrived.record), artifactAttachedAt: now },
      );
      await deps.store.delete(releaseKeys.waiting(input.application, input.commit, tag));
    }
  }
  return tag;
};

/** Branch environments whose entry is gated: a push there becomes a branch release. */
export const gatedBranch = (env: Environment): boolean =>
  typeof env.enter === 'object' && Boolean(env.approval);

/**
 * A commit VERIFIED in a branch environment whose next environment is entered by promotion becomes a
 * branch release that starts there, already VERIFIED, and is promoted like a tag's release.
 */
export const promotableRelease = async (
  deps: Core & { pipeline: Pipeline },
  rec: AuditRecord,
): Promise<string | undefined> => {
  if (!passesGate(rec.verdict) || !rec.artifact || !rec.deploymentCreatedAt) return undefined;
  const app = findApplication(deps.pipeline, rec.application);
  const env = findEnvironment(deps.pipeline, rec.application, rec.environment);
  if (typeof env.enter !== 'object' || !promotesFrom(app, env)) return undefined;
  return recordBranchRelease(deps, {
    application: rec.application,
    environment: env,
    branch: env.enter.branch,
    commit: rec.artifact.commit,
    pushedAt: rec.deploymentCreatedAt,
    by: `audit VERIFIED of ${rec.deploymentId}`,
    artifact: rec.artifact,
    origin: { deploymentId: rec.deploymentId },
  });
};
