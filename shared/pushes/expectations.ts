// Branch pushes and artifacts meet here. A push records the commit each auto-deploy environment now
// expects; the deployment starts on whichever of push and artifact comes second, once.
//
// Ordering: the push writes its expectation, then looks for the artifact; the artifact's arrival
// records the artifact, then reads the expectation. Whatever the interleaving, at least one of the
// two sees the other, and both use the expectation's dedupeKey, so a duplicate request is harmless.

import { type CommitTime, commitTimeOf } from '../core/rules/commit-time';
import type { DeployDeps, DeployOutcome } from '../deployments/deployment-launch';
import { requestDeployment, requestId } from '../deployments/deployments';
import { releaseKeys } from '../ledger/keys';
import type { ArtifactRecord } from '../ledger/records';
import { artifactRecords, requestRecords } from '../ledger/schemas';
import type { Application, Environment } from '../pipeline/rules/config';
import { gatedBranch, recordBranchRelease } from '../releases/branch-releases';
import { advanceRelease, type PromotionDeps } from '../releases/promotion';
import { artifactRefOf, type BranchExpectation, expectationRecords } from '../releases/records';
import type { RefChange } from './rules/codecommit-events';
import { comparePush } from './rules/pushes';

/** A gated branch environment is entered through a branch release: it asks for approval first. */
export type GatedOutcome = { outcome: 'release'; release: string; next: string };

export type ExpectOutcome =
  | { expectation: 'stale'; expects: string }
  | {
      expectation: 'recorded' | 'same';
      deployment: DeployOutcome | GatedOutcome | { outcome: 'waiting-for-artifact' };
    };

const enterGated = async (
  deps: PromotionDeps,
  application: string,
  env: Environment,
  expectation: Pick<BranchExpectation, 'branch' | 'commit' | 'pushedAt'> & { by?: string },
  artifact: ArtifactRecord | undefined,
): Promise<GatedOutcome> => {
  const by = `push to ${expectation.branch}${expectation.by ? ` by ${expectation.by}` : ''}`;
  const release = await recordBranchRelease(deps, {
    application,
    environment: env,
    branch: expectation.branch,
    commit: expectation.commit,
    pushedAt: expectation.pushedAt,
    by,
    ...(artifact ? { artifact: artifactRefOf(artifact) } : {}),
  });
  const advance = await advanceRelease(deps, application, release, by);
  return { outcome: 'release', release, next: advance?.next ?? 'no such release' };
};

const earlier = (a: string, b: string | undefined) => (b && b < a ? b : a);

/**
 * The commit's best time as the push path knows it, with no read: the commit's own timestamp, else its
 * push (the expectation's, or this one's if earlier), else the artifact's upload.
 */
const commitTimeFrom = (
  expectation: BranchExpectation | undefined,
  artifact: ArtifactRecord,
  change?: RefChange,
): CommitTime | undefined => {
  const own = expectation?.commit === artifact.commit ? expectation : undefined;
  const pushedAt = own && earlier(own.pushedAt, change?.pushedAt);
  return commitTimeOf({
    committedAt: own?.committedAt ?? change?.committedAt,
    firstPushedAt: pushedAt ?? change?.pushedAt,
    uploadedAt: artifact.uploadedAt,
  });
};

const baseKey = (commit: string) => `artifact:${commit}`;

/**
 * The key the deployment of `commit` uses in this environment. Normally one per commit (so push and
 * artifact agree); a branch moved back to a commit the environment had before deploys it anew.
 */
const dedupeKeyFor = async (
  deps: DeployDeps,
  application: string,
  environment: string,
  commit: string,
  pushedAt: string,
  current: BranchExpectation | undefined,
): Promise<string> => {
  if (!current) return baseKey(commit);
  if (current.commit === commit) return current.dedupeKey;
  const earlier = await requestRecords(deps.store).get(
    application,
    environment,
    requestId(application, environment, baseKey(commit)),
  );
  return earlier && earlier.record.requestedAt < current.pushedAt
    ? `${baseKey(commit)}@${pushedAt}`
    : baseKey(commit);
};

/** Records the push as the environment's expectation unless a newer push is already recorded. */
const recordExpectation = async (
  deps: DeployDeps,
  application: string,
  env: Environment,
  branch: string,
  change: RefChange & { commit: string },
): Promise<{ order: 'stale' | 'recorded' | 'same'; expectation: BranchExpectation }> => {
  const expectations = expectationRecords(deps.store);
  const key = releaseKeys.expectation(application, env.name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await expectations.at(key);
    const order = comparePush(change, current?.record);
    if (current && order === 'older') return { order: 'stale', expectation: current.record };
    // The same commit pushed again later (e.g. a branch recreated) only moves the time forward, so a
    // late event of an intermediate push cannot take over.
    if (current && order === 'same-commit' && change.pushedAt <= current.record.pushedAt)
      return { order: 'same', expectation: current.record };
    const next: BranchExpectation = {
      v: 1,
      kind: 'expectation',
      application,
      environment: env.name,
      branch,
      commit: change.commit,
      ...(change.oldCommit ? { oldCommit: change.oldCommit } : {}),
      pushedAt: change.pushedAt,
      ...(change.committedAt ? { committedAt: change.committedAt } : {}),
      ...(change.by ? { by: change.by } : {}),
      event: change.event,
      dedupeKey: await dedupeKeyFor(
        deps,
        application,
        env.name,
        change.commit,
        change.pushedAt,
        current?.record,
      ),
      recordedAt: deps.clock.now().toISOString(),
    };
    const written = current
      ? await expectations.replace(key, next, current.etag)
      : await expectations.create(key, next);
    if (written) return { order: order === 'same-commit' ? 'same' : 'recorded', expectation: next };
  }
  throw new Error(`expectation ${key} kept changing under 5 attempts`);
};

/** A branch push: the environment now expects its commit; deploy it if its artifact is here. */
export const expectCommit = async (
  deps: PromotionDeps,
  application: string,
  env: Environment,
  branch: string,
  change: RefChange & { commit: string },
): Promise<ExpectOutcome> => {
  const { order, expectation } = await recordExpectation(deps, application, env, branch, change);
  if (order === 'stale') return { expectation: 'stale', expects: expectation.commit };
  const artifact = await artifactRecords(deps.store).get(application, change.commit);
  if (gatedBranch(env))
    return {
      expectation: order,
      deployment: await enterGated(deps, application, env, expectation, artifact?.record),
    };
  if (!artifact) return { expectation: order, deployment: { outcome: 'waiting-for-artifact' } };
  const deployment = await requestDeployment(deps, {
    application,
    environment: env.name,
    artifact: artifactRefOf(artifact.record),
    cause: { type: 'branch', detail: `push to ${branch}` },
    commitTime: commitTimeFrom(expectation, artifact.record, change),
    dedupeKey: expectation.dedupeKey,
  });
  return { expectation: order, deployment };
};

export type ArrivalOutcome = {
  deployments: Record<string, DeployOutcome>;
  /** Gated branch environments: the branch release that asks for approval before deploying. */
  releases: Record<string, GatedOutcome>;
  skipped: Record<string, string>;
};

/**
 * An artifact arrived (and is recorded): deploy it where an environment expects its commit, and where
 * its branch auto-deploys and no push was ever recorded. Not where a push expects another commit.
 */
export const deployExpected = async (
  deps: PromotionDeps,
  application: string,
  app: Application,
  artifact: ArtifactRecord,
  /** The artifact was recorded just now by the caller: its requests cannot exist yet. */
  fresh = false,
): Promise<ArrivalOutcome> => {
  const out: ArrivalOutcome = { deployments: {}, releases: {}, skipped: {} };
  for (const env of app.environments) {
    if (typeof env.enter !== 'object') continue;
    const byBranch = artifact.branch !== undefined && env.enter.branch === artifact.branch;
    const expected = (await expectationRecords(deps.store).get(application, env.name))?.record;
    if (expected && expected.commit !== artifact.commit) {
      if (byBranch)
        out.skipped[env.name] =
          `${env.name} expects commit ${expected.commit} (pushed ${expected.pushedAt}); only the expected commit deploys`;
      continue;
    }
    if (!expected && !byBranch) continue;
    const branch = expected?.branch ?? artifact.branch ?? env.enter.branch;
    if (gatedBranch(env)) {
      const pushedAt = expected?.pushedAt ?? artifact.recordedAt;
      out.releases[env.name] = await enterGated(
        deps,
        application,
        env,
        { branch, commit: artifact.commit, pushedAt, ...(expected?.by ? { by: expected.by } : {}) },
        artifact,
      );
      continue;
    }
    out.deployments[env.name] = await requestDeployment(deps, {
      application,
      environment: env.name,
      artifact: artifactRefOf(artifact),
      cause: { type: 'branch', detail: expected ? `push to ${branch}` : `artifact for a push to ${branch}` },
      commitTime: commitTimeFrom(expected, artifact),
      // One artifact per commit: a rebuilt object for the same commit never deploys a second time.
      dedupeKey: expected?.dedupeKey ?? baseKey(artifact.commit),
      fresh,
    });
  }
  return out;
};
