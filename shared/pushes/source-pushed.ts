// A reference changed in CodeCommit: branch pushes set what auto-deploy environments expect, release
// tags make releases. Everything else is recorded and ignored, or refused with a reason.

import { stableId } from '../core/rules/ids';
import { releaseKeys } from '../ledger/keys';
import { applicationForRepository, environmentsForBranch, findApplication } from '../pipeline/rules/config';
import { refuseAndAlert } from '../refusals/rejection-alerts';
import { recordRejection } from '../refusals/rejections';
import type { PushRecord } from '../releases/records';
import { type ReleaseTagDeps, type TagOutcome, tagPushed } from '../releases/release-tag';
import { type ExpectOutcome, expectCommit } from './expectations';
import type { RefChange } from './rules/codecommit-events';

export type SourcePushedDeps = ReleaseTagDeps;

export type PushOutcome =
  | TagOutcome
  | { outcome: 'branch'; ref: string; commit: string; environments: Record<string, ExpectOutcome> };

const SOURCE = 'source-pushed';

const summary = (o: PushOutcome): string => {
  if (o.outcome === 'branch')
    return Object.entries(o.environments)
      .map(([env, e]) =>
        e.expectation === 'stale'
          ? `${env}: older than the push of ${e.expects}, ignored`
          : e.deployment.outcome === 'release'
            ? `${env}: expects ${o.commit}, gated: branch release ${e.deployment.release}, next: ${e.deployment.next}`
            : `${env}: expects ${o.commit}, deployment ${e.deployment.outcome}`,
      )
      .join('; ');
  if (o.outcome === 'release') return `release ${o.release}: ${o.state}${o.next ? `, next: ${o.next}` : ''}`;
  return o.reason;
};

const branchPushed = async (
  deps: SourcePushedDeps,
  application: string,
  change: RefChange & { commit: string },
): Promise<PushOutcome> => {
  const envs = environmentsForBranch(findApplication(deps.pipeline, application), change.name);
  if (envs.length === 0)
    return { outcome: 'ignored', ref: change.ref, reason: `branch ${change.name} deploys to no environment` };
  const environments: Record<string, ExpectOutcome> = {};
  for (const env of envs)
    environments[env.name] = await expectCommit(deps, application, env, change.name, change);
  return { outcome: 'branch', ref: change.ref, commit: change.commit, environments };
};

const dispatch = async (
  deps: SourcePushedDeps,
  application: string,
  change: RefChange,
): Promise<PushOutcome> => {
  const { ref } = change;
  if (change.kind === 'other') {
    const reason = `${ref} is neither a branch (refs/heads/…) nor a tag (refs/tags/…)`;
    await refuseAndAlert(deps, SOURCE, `${reason} [repository ${change.repository}]`, {
      rule: 'ref-kind',
      application,
      owner: `repository ${change.repository} (application ${application})`,
      subject: ref,
    });
    return { outcome: 'refused', ref, reason };
  }
  const commit = change.commit;
  if (change.action === 'deleted' || !commit)
    return {
      outcome: 'ignored',
      ref,
      reason: `${change.kind} ${change.name} was deleted; nothing is undeployed`,
    };
  if (change.kind === 'branch') return branchPushed(deps, application, { ...change, commit });
  return tagPushed(deps, application, findApplication(deps.pipeline, application), { ...change, commit });
};

/** One reference change, recorded in the application's push log with what was done about it. */
export const sourcePushed = async (deps: SourcePushedDeps, change: RefChange): Promise<PushOutcome> => {
  const application = applicationForRepository(deps.pipeline, change.repository);
  if (!application) {
    const reason = `unknown repository "${change.repository}": no application lists it under repositories`;
    await recordRejection(deps, SOURCE, `${reason} [${change.ref}]`);
    return { outcome: 'refused', ref: change.ref, reason };
  }
  const outcome = await dispatch(deps, application, change);
  if (outcome.outcome === 'ignored') deps.log.info(`push ignored: ${outcome.reason}`, { ref: change.ref });
  const record: PushRecord = {
    v: 1,
    kind: 'push',
    application,
    repository: change.repository,
    ref: change.ref,
    action: change.action,
    ...(change.commit ? { commit: change.commit } : {}),
    ...(change.oldCommit ? { oldCommit: change.oldCommit } : {}),
    pushedAt: change.pushedAt,
    ...(change.committedAt ? { committedAt: change.committedAt } : {}),
    ...(change.by ? { by: change.by } : {}),
    event: change.event,
    outcome: outcome.outcome,
    detail: summary(outcome),
    at: deps.clock.now().toISOString(),
    ...(change.head ? { head: change.head } : {}),
    ...(change.commits ? { commits: change.commits } : {}),
    ...(change.commitCount ? { commitCount: change.commitCount } : {}),
  };
  // Keyed by event and reference: a redelivered event rewrites its own record.
  await deps.store.put(
    releaseKeys.push(application, change.pushedAt, stableId(change.event, change.ref)),
    record,
  );
  return outcome;
};
