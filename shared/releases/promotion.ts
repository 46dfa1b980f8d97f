// The release flow: gather a release's facts, let the state machine pick the next step, take it, and
// keep the release's timeline. Safe to run any number of times for the same release.

import type { Approvals, Notifier, ReleaseFlow, VerdictSeen } from '../core/ports';
import type { DeployDeps, DeployOutcome } from '../deployments/deployment-launch';
import { requestDeployment } from '../deployments/deployments';
import { findApplication } from '../pipeline/rules/config';
import {
  appendTimeline,
  idOf,
  type ReleaseRecord,
  readTimeline,
  releaseRecords,
  type TimelineEntry,
  timelineId,
} from './records';
import { gatherFacts, releaseDedupeKey } from './release-facts';
import { decide, type ReleaseFacts, type Step } from './rules/promotion';
import { describeStep } from './rules/standing';

export interface PromotionDeps extends DeployDeps {
  /** Absent where approvals are not wired: a step that needs one waits for another caller. */
  approvals?: Approvals;
  /** The alert topic, where forcing past a gate is announced; a force is refused without it. */
  alerts?: { notifier: Notifier; alertTopicArn: string };
}

export type StepOutcome =
  | DeployOutcome
  | { outcome: 'approval-requested' | 'approval-unavailable' | 'recorded' | 'waiting' };

export interface Advance {
  release: string;
  step: Step;
  next: string;
  result: StepOutcome;
}

/** Verdicts and decisions made elsewhere, entered in the timeline the first time they are seen. */
const observe = async (
  deps: PromotionDeps,
  release: ReleaseRecord,
  facts: ReleaseFacts,
  timeline: TimelineEntry[],
  by: string,
) => {
  const seen = new Set(timeline.map(idOf));
  const at = deps.clock.now().toISOString();
  for (const [environment, f] of Object.entries(facts.environments)) {
    if (!f) continue;
    const add = (what: 'verdict' | 'approval', detail: string) =>
      seen.has(timelineId(what, environment, f.attempt))
        ? Promise.resolve(false)
        : appendTimeline(
            deps.store,
            release.application,
            release.tag,
            timelineId(what, environment, f.attempt),
            {
              at,
              what,
              environment,
              attempt: f.attempt,
              detail,
              by,
            },
          );
    if (f.verdict && f.request?.deploymentId)
      await add('verdict', `deployment ${f.request.deploymentId}: ${f.verdict}`);
    if (f.approval && f.approval !== 'pending') await add('approval', `approval ${f.approval}`);
  }
};

const causeOf = (release: ReleaseRecord, step: Extract<Step, { step: 'deploy' }>, facts: ReleaseFacts) => {
  if (step.cause === 'release') return { type: 'release' as const, detail: `release ${release.tag}` };
  if (step.cause === 'promotion')
    return { type: 'promotion' as const, detail: `release ${release.tag} promoted from ${step.from ?? '?'}` };
  const force = facts.environments[step.environment]?.forced;
  return {
    type: 'operator' as const,
    detail: `release ${release.tag} forced by ${force?.by ?? 'an operator'}: ${force?.reason ?? ''}`,
  };
};

const describeDeploy = (o: DeployOutcome) =>
  o.outcome === 'started'
    ? `deployment ${o.deploymentId} started`
    : o.outcome === 'queued'
      ? `queued: ${o.reason}`
      : o.outcome === 'unchanged'
        ? `nothing to deploy: ${o.note}`
        : `already requested (${o.state})`;

const take = async (
  deps: PromotionDeps,
  release: ReleaseRecord,
  step: Step,
  facts: ReleaseFacts,
  by: string,
  fresh: boolean,
  seen?: VerdictSeen,
): Promise<StepOutcome> => {
  const at = deps.clock.now().toISOString();
  const note = (id: string, entry: Omit<TimelineEntry, 'v' | 'kind' | 'at' | 'by'>) =>
    appendTimeline(deps.store, release.application, release.tag, id, { at, by, ...entry });
  switch (step.step) {
    case 'deploy': {
      if (!release.artifact) return { outcome: 'waiting' };
      const outcome = await requestDeployment(deps, {
        application: release.application,
        environment: step.environment,
        artifact: release.artifact,
        cause: causeOf(release, step, facts),
        release: release.tag,
        dedupeKey: releaseDedupeKey(release.tag, step.attempt),
        fresh,
      });
      await note(timelineId('deploy-requested', step.environment, step.attempt), {
        what: 'deploy-requested',
        environment: step.environment,
        attempt: step.attempt,
        detail: describeDeploy(outcome),
      });
      return outcome;
    }
    case 'request-approval': {
      if (!deps.approvals || !release.artifact) {
        deps.log.warn('release waits for an approval request this function cannot send', {
          release: release.tag,
          environment: step.environment,
        });
        return { outcome: 'approval-unavailable' };
      }
      await deps.approvals.request({
        application: release.application,
        release: release.tag,
        commit: release.commit,
        artifact: release.artifact,
        environment: step.environment,
        fromEnvironment: step.from?.environment ?? '',
        fromDeploymentId: step.from?.deploymentId ?? '',
        pushedAt: release.pushedAt,
        ...(seen && seen.deploymentId === step.from?.deploymentId ? { fromAudit: seen.audit } : {}),
      });
      const attempt = facts.environments[step.environment]?.attempt ?? 0;
      await note(timelineId('approval-requested', step.environment, attempt), {
        what: 'approval-requested',
        environment: step.environment,
        detail: step.from
          ? `after ${step.from.environment} (${step.from.deploymentId})`
          : 'approval requested',
      });
      return { outcome: 'approval-requested' };
    }
    case 'blocked': {
      const attempt = step.environment ? (facts.environments[step.environment]?.attempt ?? 0) : 0;
      const entry = { what: 'blocked' as const, code: step.code, detail: step.reason, attempt };
      await note(timelineId('blocked', step.environment, attempt), {
        ...entry,
        ...(step.environment ? { environment: step.environment } : {}),
      });
      deps.log.warn('release blocked', { release: release.tag, code: step.code, reason: step.reason });
      return { outcome: 'recorded' };
    }
    case 'done':
      await note(timelineId('done'), { what: 'done', detail: 'in every environment of its path' });
      return { outcome: 'recorded' };
    case 'wait':
      return { outcome: 'waiting' };
  }
};

/** A release this invocation created just now: its record and timeline, known without reading them. */
export interface CreatedRelease {
  release: ReleaseRecord;
  timeline: TimelineEntry[];
}

/** Re-reads a release's facts and takes its next step. Undefined when there is no such release. */
export const advanceRelease = async (
  deps: PromotionDeps,
  application: string,
  tag: string,
  by: string,
  created?: CreatedRelease,
  seen?: VerdictSeen,
): Promise<Advance | undefined> => {
  const found = created
    ? { record: created.release }
    : await releaseRecords(deps.store).get(application, tag);
  if (!found) {
    deps.log.warn('no such release to advance', { application, release: tag, trigger: by });
    return undefined;
  }
  const release = found.record;
  const timeline = created?.timeline ?? (await readTimeline(deps.store, application, tag));
  const fresh = created !== undefined;
  const facts = await gatherFacts(deps, release, timeline, {
    forDecision: true,
    fresh,
    ...(seen ? { seen } : {}),
  });
  await observe(deps, release, facts, timeline, by);
  const step = decide(findApplication(deps.pipeline, application), facts);
  const result = await take(deps, release, step, facts, by, fresh, seen);
  deps.log.info('release advanced', { application, release: tag, step: describeStep(step), trigger: by });
  return { release: tag, step, next: describeStep(step), result };
};

/** The ReleaseFlow port, for the audit and the approvals to call when they learn something new. */
export const releaseFlow = (deps: PromotionDeps): ReleaseFlow => ({
  advance: async (application, release, trigger, seen) => {
    await advanceRelease(deps, application, release, trigger, undefined, seen);
  },
});
