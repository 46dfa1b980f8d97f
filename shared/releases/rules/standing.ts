// How a release stands, in words for people: per environment of its path, and its next step.
import type { Application } from '../../pipeline/rules/config';
import { type EnvironmentFacts, type ReleaseFacts, releasePath, type Step } from './promotion';

export interface Standing {
  environment: string;
  state: string;
  deploymentId?: string;
  attempt?: number;
}

/** A verdict with its bake: "VERIFIED (baking until …)", "VERIFIED (baked)", "VERIFIED (bake held)". */
const verdictOf = (f: EnvironmentFacts): string => {
  if (!f.verdict) return 'deploying';
  if (!f.bake || f.verdict !== 'VERIFIED') return f.verdict;
  const bake = {
    baking: `baking until ${f.bake.until}`,
    passed: 'baked',
    held: 'bake held',
    failed: 'bake failed',
    superseded: 'bake superseded',
  };
  return `${f.verdict} (${bake[f.bake.state]})`;
};

/** Where the release stands in every environment of its path, for people. */
export const standings = (app: Application, facts: ReleaseFacts): Standing[] =>
  releasePath(app, facts.entry).map((env) => {
    const f = facts.environments[env.name] ?? { attempt: 0 };
    const extra = f.attempt > 0 ? { attempt: f.attempt } : {};
    const r = f.request;
    if (r) {
      const deployment = r.deploymentId ? { deploymentId: r.deploymentId } : {};
      if (r.state !== 'started') return { environment: env.name, state: r.state, ...deployment, ...extra };
      return { environment: env.name, state: verdictOf(f), ...deployment, ...extra };
    }
    if (f.forced) return { environment: env.name, state: 'forced, not yet requested', ...extra };
    if (f.approval) return { environment: env.name, state: `approval ${f.approval}`, ...extra };
    return { environment: env.name, state: 'not entered', ...extra };
  });

export const describeStep = (step: Step): string => {
  switch (step.step) {
    case 'deploy':
      return `deploy to ${step.environment}${step.cause === 'forced' ? ' (forced)' : ''}`;
    case 'request-approval':
      return `request approval for ${step.environment}`;
    case 'wait':
      return `wait for ${step.for}: ${step.detail}`;
    case 'done':
      return 'done: in every environment';
    case 'blocked':
      return `blocked: ${step.reason}`;
  }
};
