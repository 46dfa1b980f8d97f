// Operator command `releases`: each release of an application, where it stands in every environment of
// its path and what comes next; with `release`, that one release's whole timeline.

import * as z from 'zod/mini';
import { NotFoundError } from '../core/rules/errors';
import * as fields from '../core/rules/fields';
import { findApplication } from '../pipeline/rules/config';
import type { PromotionDeps } from '../releases/promotion';
import { type ReleaseRecord, readTimeline, releaseRecords } from '../releases/records';
import { gatherFacts } from '../releases/release-facts';
import { decide } from '../releases/rules/promotion';
import { describeStep, standings } from '../releases/rules/standing';
import { allReleases } from './promote';

export const releasesSchema = z.strictObject({
  command: z.literal('releases'),
  application: fields.name,
  release: z.optional(fields.text(200)),
  limit: z._default(z.int().check(z.minimum(1), z.maximum(100)), 20),
});

/** One release where it stands, what comes next and, `withTimeline`, its whole timeline. */
export const describeRelease = async (deps: PromotionDeps, r: ReleaseRecord, withTimeline: boolean) => {
  const app = findApplication(deps.pipeline, r.application);
  const timeline = await readTimeline(deps.store, r.application, r.tag);
  const facts = await gatherFacts(deps, r, timeline);
  const step = decide(app, facts);
  return {
    release: r.tag,
    commit: r.commit,
    pushedAt: r.pushedAt,
    artifact: r.artifact
      ? { key: r.artifact.key, versionId: r.artifact.versionId, etag: r.artifact.etag }
      : 'waiting for the artifact of its commit',
    environments: standings(app, facts),
    next: describeStep(step),
    ...(step.step === 'blocked' ? { blocked: step.code } : {}),
    ...(withTimeline
      ? {
          timeline: timeline.map((e) => ({
            at: e.at,
            what: e.what,
            ...(e.environment ? { environment: e.environment } : {}),
            detail: e.detail,
            ...(e.code ? { code: e.code } : {}),
            by: e.by,
          })),
        }
      : {}),
  };
};

export const releases = async (deps: PromotionDeps, cmd: z.output<typeof releasesSchema>) => {
  findApplication(deps.pipeline, cmd.application);
  if (cmd.release) {
    const found = await releaseRecords(deps.store).get(cmd.application, cmd.release);
    if (!found) throw new NotFoundError(`${cmd.application} has no release ${cmd.release}`);
    return { application: cmd.application, releases: [await describeRelease(deps, found.record, true)] };
  }
  const all = (await allReleases(deps, cmd.application)).sort((a, b) => b.pushedAt.localeCompare(a.pushedAt));
  return {
    application: cmd.application,
    total: all.length,
    releases: await Promise.all(all.slice(0, cmd.limit).map((r) => describeRelease(deps, r, false))),
  };
};
