// Changes to a release record: attaching its artifact once, and an operator forcing it past a gate.
import type { ArtifactRecord } from '../ledger/records';
import {
  appendTimeline,
  artifactRefOf,
  type ReleaseRecord,
  readTimeline,
  releaseKeys,
  timelineId,
} from '../ledger/releases';
import { update } from '../ledger/store';
import { type Advance, advanceRelease, type PromotionDeps } from './promotion';

/** Attaches the commit's artifact to a release that waited for it (once), then forgets the wait. */
export const attachArtifact = async (
  deps: PromotionDeps,
  application: string,
  tag: string,
  artifact: ArtifactRecord,
  by: string,
): Promise<ReleaseRecord | undefined> => {
  const at = deps.clock.now().toISOString();
  const release = await update<ReleaseRecord>(deps.store, releaseKeys.release(application, tag), (r) =>
    r.artifact || r.commit !== artifact.commit
      ? undefined
      : { ...r, artifact: artifactRefOf(artifact), artifactAttachedAt: at },
  );
  await deps.store.delete(releaseKeys.waiting(application, artifact.commit, tag));
  if (release?.artifact)
    await appendTimeline(deps.store, application, tag, timelineId('artifact-attached'), {
      at,
      what: 'artifact-attached',
      detail: `${release.artifact.key} version ${release.artifact.versionId ?? '(none)'} ETag ${release.artifact.etag}`,
      by,
    });
  return release;
};

/** The operator's way past a gate: a new attempt in `environment`, with the reason on the timeline. */
export const forceRelease = async (
  deps: PromotionDeps,
  input: { application: string; release: string; environment: string; by: string; reason: string },
): Promise<Advance | undefined> => {
  const timeline = await readTimeline(deps.store, input.application, input.release);
  const attempt =
    1 +
    Math.max(
      0,
      ...timeline
        .filter((e) => e.what === 'forced' && e.environment === input.environment)
        .map((e) => e.attempt ?? 0),
    );
  await appendTimeline(
    deps.store,
    input.application,
    input.release,
    timelineId('forced', input.environment, attempt),
    {
      at: deps.clock.now().toISOString(),
      what: 'forced',
      environment: input.environment,
      attempt,
      by: input.by,
      reason: input.reason,
      detail: `forced into ${input.environment} by ${input.by}: ${input.reason}`,
    },
  );
  return advanceRelease(deps, input.application, input.release, `operator ${input.by}`);
};
