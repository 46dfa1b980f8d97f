// Changes to a release record: attaching its artifact once, and an operator forcing it past a gate.

import { emailSubject } from '../core/rules/email-subject';
import { ConfigError } from '../core/rules/errors';
import { releaseKeys } from '../ledger/keys';
import type { ArtifactRecord } from '../ledger/records';
import { type Advance, advanceRelease, type PromotionDeps } from './promotion';
import {
  appendTimeline,
  artifactRefOf,
  type ReleaseRecord,
  readTimeline,
  releaseRecords,
  timelineId,
} from './records';
import { latestAttempt } from './release-facts';

/** Attaches the commit's artifact to a release that waited for it (once), then forgets the wait. */
export const attachArtifact = async (
  deps: PromotionDeps,
  application: string,
  tag: string,
  artifact: ArtifactRecord,
  by: string,
): Promise<ReleaseRecord | undefined> => {
  const at = deps.clock.now().toISOString();
  const release = await releaseRecords(deps.store).update(releaseKeys.release(application, tag), (r) =>
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

/** A new attempt of the release in the environment (a force's or a retry's), on its timeline. */
const newAttempt = async (
  deps: PromotionDeps,
  input: { application: string; release: string; environment: string; by: string },
  what: 'forced' | 'retried',
  entry: { reason?: string; detail: string },
): Promise<number> => {
  const timeline = await readTimeline(deps.store, input.application, input.release);
  const attempt = 1 + latestAttempt(timeline, input.environment);
  await appendTimeline(
    deps.store,
    input.application,
    input.release,
    timelineId(what, input.environment, attempt),
    {
      at: deps.clock.now().toISOString(),
      what,
      environment: input.environment,
      attempt,
      by: input.by,
      ...entry,
    },
  );
  return attempt;
};

/**
 * The operator's way past a gate: a new attempt in `environment`, with the reason on the timeline and
 * announced on the alert topic (refused where that topic is not wired: a force is never silent).
 */
export const forceRelease = async (
  deps: PromotionDeps,
  input: { application: string; release: string; environment: string; by: string; reason: string },
): Promise<Advance | undefined> => {
  if (!deps.alerts)
    throw new ConfigError(['force: the alert topic is not wired here, and a force must be announced']);
  const attempt = await newAttempt(deps, input, 'forced', {
    reason: input.reason,
    detail: `forced into ${input.environment} by ${input.by}: ${input.reason}`,
  });
  await deps.alerts.notifier.publish(deps.alerts.alertTopicArn, {
    subject: emailSubject(input, `forced past its gate: release ${input.release}`),
    message: [
      `Release ${input.release} was forced into ${input.environment}, past its gate (attempt ${attempt}).`,
      `By: ${input.by}`,
      `Reason: ${input.reason}`,
    ].join('\n'),
    attributes: { event: 'forced', application: input.application, environment: input.environment },
  });
  return advanceRelease(deps, input.application, input.release, `operator ${input.by}`);
};

/**
 * The operator's retry of a release in an environment where its deployment did not end VERIFIED: a new
 * attempt there, kept on the timeline, and the release advanced. It goes through the gates as before:
 * an approval given for the release stays valid, a force that let it in still does, and nothing else
 * is skipped.
 */
export const retryRelease = async (
  deps: PromotionDeps,
  input: {
    application: string;
    release: string;
    environment: string;
    by: string;
    reason?: string;
    deploymentId: string;
    verdict: string;
  },
): Promise<Advance | undefined> => {
  await newAttempt(deps, input, 'retried', {
    ...(input.reason ? { reason: input.reason } : {}),
    detail: `retry in ${input.environment} after ${input.verdict} of ${input.deploymentId}, by ${input.by}${input.reason ? `: ${input.reason}` : ''}`,
  });
  return advanceRelease(deps, input.application, input.release, `operator ${input.by}`);
};
