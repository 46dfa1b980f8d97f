// A release tag was pushed: bind the tag to its commit for good, with the artifact built for that
// commit (or wait for it), and let the release enter its first environment.

import type { Notifier } from '../core/ports';
import { emailSubject } from '../core/rules/email-subject';
import { releaseKeys } from '../ledger/keys';
import { artifactRecords } from '../ledger/schemas';
import type { Application } from '../pipeline/rules/config';
import type { RefChange } from '../pushes/rules/codecommit-events';
import { recordRejection } from '../refusals/rejections';
import { advanceRelease, type PromotionDeps, type StepOutcome } from './promotion';
import {
  appendTimeline,
  artifactRefOf,
  type ReleaseRecord,
  releaseRecords,
  type TimelineEntry,
  timelineId,
  timelineRecords,
  waitingRecords,
} from './records';
import { attachArtifact } from './release-actions';

export interface ReleaseTagDeps extends PromotionDeps {
  notifier: Notifier;
  alertTopicArn: string;
}

export type TagOutcome =
  | { outcome: 'ignored' | 'refused'; ref: string; reason: string }
  | {
      outcome: 'release';
      ref: string;
      release: string;
      commit: string;
      state: 'created' | 'exists' | 'waiting-for-artifact';
      next?: string;
      result?: StepOutcome['outcome'];
    };

export const describePush = (change: RefChange) =>
  `push of ${change.ref}${change.by ? ` by ${change.by}` : ''} (event ${change.event})`;

/** A release never changes under you: a moved tag is refused, recorded, and alerted once. */
const refuseMove = async (
  deps: ReleaseTagDeps,
  release: ReleaseRecord,
  change: RefChange & { commit: string },
): Promise<TagOutcome> => {
  const reason = `tag ${release.tag} now points to commit ${change.commit}, but release ${release.tag} is commit ${release.commit}; a release never changes (push a new tag)`;
  await recordRejection(deps, 'source-pushed', `${reason} [repository ${change.repository}]`);
  const id = timelineId('tag-move-refused', undefined, change.commit);
  if (!(await timelineRecords(deps.store).get(release.application, release.tag, id))) {
    await deps.notifier.publish(deps.alertTopicArn, {
      subject: emailSubject(release, `release tag ${release.tag} was moved; refused`),
      message: [
        reason,
        `Repository: ${change.repository}`,
        `Pushed by: ${change.by ?? 'unknown'} at ${change.pushedAt} (event ${change.event})`,
        `The release keeps deploying commit ${release.commit}.`,
      ].join('\n'),
      attributes: { event: 'tag-moved', application: release.application },
    });
    await appendTimeline(deps.store, release.application, release.tag, id, {
      at: deps.clock.now().toISOString(),
      what: 'tag-move-refused',
      detail: reason,
      by: describePush(change),
    });
  }
  return { outcome: 'refused', ref: change.ref, reason };
};

export const tagPushed = async (
  deps: ReleaseTagDeps,
  application: string,
  app: Application,
  change: RefChange & { commit: string },
): Promise<TagOutcome> => {
  const tag = change.name;
  if (!new RegExp(app.releaseTagPattern).test(tag))
    return {
      outcome: 'ignored',
      ref: change.ref,
      reason: `tag ${tag} does not match the release pattern ${app.releaseTagPattern}`,
    };
  const by = describePush(change);
  const now = deps.clock.now().toISOString();
  const artifact = await artifactRecords(deps.store).get(application, change.commit);
  const record: ReleaseRecord = {
    v: 1,
    kind: 'release',
    application,
    tag,
    commit: change.commit,
    ...(artifact ? { artifact: artifactRefOf(artifact.record), artifactAttachedAt: now } : {}),
    pushedAt: change.pushedAt,
    createdBy: by,
    createdAt: now,
  };
  const key = releaseKeys.release(application, tag);
  const created = await deps.store.create(key, record);
  const release = created ? record : (await releaseRecords(deps.store).at(key))?.record;
  if (!release) throw new Error(`release ${key} vanished after a conflicting write`);
  if (release.commit !== change.commit) return refuseMove(deps, release, change);
  const createdEntry: TimelineEntry = {
    v: 1,
    kind: 'timeline',
    at: now,
    what: 'created',
    detail: `release ${tag} is commit ${change.commit}${artifact ? `, artifact ${artifact.record.key}` : ''}`,
    by,
  };
  if (created) await appendTimeline(deps.store, application, tag, timelineId('created'), createdEntry);
  if (!release.artifact) {
    // Mark the wait first, then look again: the artifact's arrival records itself before it looks
    // for waiting releases, so one of the two always finds the other.
    await waitingRecords(deps.store).put(releaseKeys.waiting(application, change.commit, tag), {
      v: 1,
      tag,
      since: now,
    });
    await appendTimeline(deps.store, application, tag, timelineId('waiting-for-artifact'), {
      at: now,
      what: 'waiting-for-artifact',
      detail: `no artifact recorded yet for commit ${change.commit}`,
      by,
    });
    const arrived = await artifactRecords(deps.store).get(application, change.commit);
    if (!arrived) {
      deps.log.info('release waits for its artifact', { application, release: tag, commit: change.commit });
      return {
        outcome: 'release',
        ref: change.ref,
        release: tag,
        commit: change.commit,
        state: 'waiting-for-artifact',
      };
    }
    await attachArtifact(deps, application, tag, arrived.record, by);
  }
  // Created just now, with its artifact: its record and timeline are known, and nothing of it exists
  // anywhere else yet, so the release goes for its first environment without reading them back.
  const advance = await advanceRelease(
    deps,
    application,
    tag,
    by,
    created && release.artifact ? { release, timeline: [createdEntry] } : undefined,
  );
  return {
    outcome: 'release',
    ref: change.ref,
    release: tag,
    commit: change.commit,
    state: created ? 'created' : 'exists',
    ...(advance ? { next: advance.next, result: advance.result.outcome } : {}),
  };
};
