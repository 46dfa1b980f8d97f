// Operator command `promote`: move a release into an environment through its gates, or past them with
// `force` and a reason, which the release's timeline keeps.

import * as z from 'zod/mini';
import { BatonError, NotFoundError, ValidationError } from '../core/rules/errors';
import * as fields from '../core/rules/fields';
import { releaseKeys } from '../ledger/keys';
import { findApplication, findEnvironment } from '../pipeline/rules/config';
import { advanceRelease, type PromotionDeps } from '../releases/promotion';
import type { ReleaseRecord } from '../releases/records';
import { releaseRecords } from '../releases/records';
import { forceRelease } from '../releases/release-actions';
import { gatherFacts } from '../releases/release-facts';
import { decide, releasePath } from '../releases/rules/promotion';
import { describeStep, standings } from '../releases/rules/standing';

/** The release cannot enter that environment now; the message says what it waits for. */
export class PromotionRefusedError extends BatonError {
  override readonly name = 'PromotionRefusedError';
}

export const promoteSchema = z
  .strictObject({
    command: z.literal('promote'),
    application: fields.name,
    release: z.optional(fields.text(200)),
    commit: z.optional(fields.commit),
    environment: fields.name,
    force: z._default(z.boolean(), false),
    reason: z.optional(fields.text(500)),
  })
  .check(
    z.refine((c) => Boolean(c.release) !== Boolean(c.commit), {
      message: 'give exactly one of release or commit',
      path: ['release'],
    }),
    z.refine((c) => !c.force || Boolean(c.reason?.trim()), {
      message: 'required when force is true (it is kept on the release timeline)',
      path: ['reason'],
    }),
  );

export const allReleases = async (deps: PromotionDeps, application: string): Promise<ReleaseRecord[]> => {
  const found = await Promise.all(
    (await deps.store.list(releaseKeys.releases(application))).map((k) => releaseRecords(deps.store).at(k)),
  );
  return found.flatMap((f) => (f ? [f.record] : []));
};

const releaseOfCommit = async (deps: PromotionDeps, application: string, commit: string): Promise<string> => {
  const matches = (await allReleases(deps, application)).filter((r) => r.commit.startsWith(commit));
  const [only, ...more] = matches;
  if (!only)
    throw new NotFoundError(`no release of ${application} is commit ${commit}; push a release tag first`);
  if (more.length > 0)
    throw new ValidationError([
      `commit: ${commit} is in releases ${matches.map((r) => r.tag).join(', ')}; name the release instead`,
    ]);
  return only.tag;
};

/** `by`: who asked, as the operator request proved it (actor.ts). */
export const promote = async (deps: PromotionDeps, cmd: z.output<typeof promoteSchema>, by: string) => {
  const app = findApplication(deps.pipeline, cmd.application);
  findEnvironment(deps.pipeline, cmd.application, cmd.environment);
  const tag = cmd.release ?? (await releaseOfCommit(deps, cmd.application, cmd.commit ?? ''));
  const found = await releaseRecords(deps.store).get(cmd.application, tag);
  if (!found) throw new NotFoundError(`${cmd.application} has no release ${tag}`);
  if (!releasePath(app, found.record.entry).some((e) => e.name === cmd.environment))
    throw new ValidationError([
      `environment: release ${tag} does not go through ${cmd.environment} (a branch environment is entered by pushes: use deploy)`,
    ]);
  const base = { release: tag, commit: found.record.commit, environment: cmd.environment };

  if (cmd.force) {
    const advance = await forceRelease(deps, {
      application: cmd.application,
      release: tag,
      environment: cmd.environment,
      by,
      reason: cmd.reason ?? '',
    });
    return { ...base, forced: true, next: advance?.next, result: advance?.result };
  }
  const facts = await gatherFacts(deps, found.record);
  const step = decide(app, facts);
  const here = standings(app, facts).find((s) => s.environment === cmd.environment);
  if ((step.step === 'deploy' || step.step === 'request-approval') && step.environment === cmd.environment) {
    const advance = await advanceRelease(deps, cmd.application, tag, `operator ${by}`);
    return { ...base, next: advance?.next, result: advance?.result };
  }
  if (here && here.state !== 'not entered') return { ...base, already: here, next: describeStep(step) };
  throw new PromotionRefusedError(
    `cannot promote ${tag} to ${cmd.environment} now; its next step is: ${describeStep(step)}. ` +
      'To skip a gate, use force with a reason.',
  );
};
