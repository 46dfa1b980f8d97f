// Reads what the ledger knows about a release in each environment of its path: its deployment request,
// the audit's verdict, the approval, an operator's force, and whether a newer release got there first.

import { passesGate } from '../audit/rules/gate';
import type { Approvals, Core, VerdictSeen } from '../core/ports';
import { requestId } from '../deployments/deployments';
import { deploymentRecords, headRecords, requestRecords } from '../ledger/schemas';
import { type Environment, findApplication, type Pipeline } from '../pipeline/rules/config';
import { bakePassed } from '../verification/rules/bake';
import { type ReleaseRecord, readTimeline, releaseRecords, type TimelineEntry } from './records';
import { type EnvironmentFacts, type ReleaseFacts, releasePath } from './rules/promotion';

export interface FactsDeps extends Core {
  pipeline: Pipeline;
  approvals?: Approvals;
}

/** Attempt 0 is the release's own request; each operator force and each retry makes a new attempt. */
export const releaseDedupeKey = (tag: string, attempt: number) =>
  attempt === 0 ? `release:${tag}` : `release:${tag}#${attempt}`;

export const releaseRequestId = (application: string, environment: string, tag: string, attempt = 0) =>
  requestId(application, environment, releaseDedupeKey(tag, attempt));

/** The release's newest attempt in the environment: 0, or the last force's or retry's. */
export const latestAttempt = (timeline: TimelineEntry[], environment: string): number =>
  Math.max(
    0,
    ...timeline
      .filter((e) => (e.what === 'forced' || e.what === 'retried') && e.environment === environment)
      .map((e) => e.attempt ?? 0),
  );

const latestForce = (timeline: TimelineEntry[], environment: string) =>
  timeline
    .filter((e) => e.what === 'forced' && e.environment === environment)
    .reduce<TimelineEntry | undefined>((a, e) => ((e.attempt ?? 0) > (a?.attempt ?? 0) ? e : a), undefined);

/** The release pushed after this one that started last in the environment, if any. */
const newerReleaseIn = async (
  deps: FactsDeps,
  application: string,
  environment: string,
  release: ReleaseRecord,
): Promise<string | undefined> => {
  const head = await headRecords(deps.store).get(application, environment);
  if (!head) return undefined;
  // Heads written before they carried the release name it through their request.
  const tag =
    head.record.release ??
    (await requestRecords(deps.store).get(application, environment, head.record.requestId))?.record.release;
  if (!tag || tag === release.tag) return undefined;
  const other = await releaseRecords(deps.store).get(application, tag);
  return other && other.record.pushedAt > release.pushedAt ? tag : undefined;
};

/** A branch release promoted from its branch environment: the deployment the branch push made there. */
const originFacts = async (deps: FactsDeps, deploymentId: string): Promise<EnvironmentFacts> => {
  const deployment = await deploymentRecords(deps.store).get(deploymentId);
  return {
    attempt: 0,
    request: { id: `origin:${deploymentId}`, state: 'started', deploymentId },
    ...(deployment?.record.verdict ? { verdict: deployment.record.verdict } : {}),
    ...(deployment?.record.bake ? { bake: deployment.record.bake } : {}),
  };
};

const environmentFacts = async (
  deps: FactsDeps,
  application: string,
  env: Environment,
  release: ReleaseRecord,
  timeline: TimelineEntry[],
  fresh: boolean,
  seen?: VerdictSeen,
): Promise<EnvironmentFacts> => {
  // A retry keeps what let the release in (a force, an approval): it is the same entry, again.
  const force = latestForce(timeline, env.name);
  const attempt = latestAttempt(timeline, env.name);
  if (release.origin && release.entry === env.name && attempt === 0)
    return originFacts(deps, release.origin.deploymentId);
  const id = releaseRequestId(application, env.name, release.tag, attempt);
  if (seen?.environment === env.name && seen.requestId === id)
    return {
      attempt,
      ...(force ? { forced: { by: force.by, reason: force.reason ?? '' } } : {}),
      request: { id, state: 'started', deploymentId: seen.deploymentId },
      verdict: seen.verdict,
      ...(seen.bake ? { bake: seen.bake } : {}),
    };
  // A release created by this invocation has no request and no approval anywhere yet.
  const request = fresh
    ? undefined
    : (await requestRecords(deps.store).get(application, env.name, id))?.record;
  const facts: EnvironmentFacts = {
    attempt,
    ...(force ? { forced: { by: force.by, reason: force.reason ?? '' } } : {}),
  };
  if (request) {
    facts.request = {
      id,
      state: request.state,
      ...(request.deploymentId ? { deploymentId: request.deploymentId } : {}),
      ...(request.supersededBy ? { supersededBy: request.supersededBy } : {}),
    };
    if (request.deploymentId) {
      const deployment = await deploymentRecords(deps.store).get(request.deploymentId);
      if (deployment?.record.verdict) facts.verdict = deployment.record.verdict;
      if (deployment?.record.bake) facts.bake = deployment.record.bake;
    }
    return facts;
  }
  if (env.approval && deps.approvals && !fresh) {
    const approval = await deps.approvals.state(application, release.tag, env.name);
    if (approval) facts.approval = approval;
  }
  const newer = await newerReleaseIn(deps, application, env.name, release);
  if (newer) facts.newerRelease = newer;
  return facts;
};

export interface GatherOptions {
  /**
   * Only what `decide` looks at: the environments an operator forced the release into, and the walk
   * from the furthest of them up to the first environment the release has not passed. A view of the
   * release (the operator's commands) gathers every environment.
   */
  forDecision?: boolean;
  /** The release was created by this invocation: no request or approval of it exists yet. */
  fresh?: boolean;
  /** A verdict the caller just recorded: its request and deployment are taken as read. */
  seen?: VerdictSeen;
}

/** The walk of `decide` goes past an environment only where the release's deployment is VERIFIED and baked. */
const passed = (f: EnvironmentFacts) =>
  f.request?.state === 'started' && f.verdict !== undefined && passesGate(f.verdict) && bakePassed(f.bake);

export const gatherFacts = async (
  deps: FactsDeps,
  release: ReleaseRecord,
  timeline?: TimelineEntry[],
  options: GatherOptions = {},
): Promise<ReleaseFacts> => {
  const app = findApplication(deps.pipeline, release.application);
  const entries = timeline ?? (await readTimeline(deps.store, release.application, release.tag));
  const path = releasePath(app, release.entry);
  const factsOf = (env: Environment) =>
    environmentFacts(deps, release.application, env, release, entries, options.fresh ?? false, options.seen);
  let environments: (readonly [string, EnvironmentFacts])[];
  if (!options.forDecision)
    environments = await Promise.all(path.map(async (env) => [env.name, await factsOf(env)] as const));
  else {
    environments = [];
    const start = Math.max(
      0,
      path.findLastIndex((env) => latestForce(entries, env.name)),
    );
    let walking = true;
    for (const [i, env] of path.entries()) {
      const forced = latestForce(entries, env.name) !== undefined;
      if (!forced && (i < start || !walking)) continue;
      const f = await factsOf(env);
      environments.push([env.name, f]);
      if (i >= start && !passed(f)) walking = false;
    }
  }
  return {
    tag: release.tag,
    commit: release.commit,
    ...(release.entry ? { entry: release.entry } : {}),
    hasArtifact: Boolean(release.artifact),
    environments: Object.fromEntries(environments),
  };
};
