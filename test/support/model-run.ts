// One interleaving of the model world, run from start to finish: the steps, then every event still on
// its way, then the checks. Shared by the property test and bench/property.ts.
import fc from 'fast-check';
import type { Pipeline } from '../../shared/pipeline/rules/config';
import { samplePipeline } from './fixtures';
import { type Action, actionArb } from './model-actions';
import {
  checkApprovalsBaked,
  checkEnd,
  checkReaudits,
  checkStep,
  watchDeployments,
} from './model-invariants';
import { applyAction, BAKE_ALARM, drain } from './model-steps';
import { World } from './model-world';

export type Variant = 'sample' | 'strict' | 'baking';

/**
 * pipeline.yml; or stricter: two of two approvers for production, rollback on failure; or baking:
 * staging bakes 30 minutes on one alarm before anything leaves it.
 */
export const pipelineFor = (variant: Variant): Pipeline => {
  const pipeline = samplePipeline();
  if (variant === 'sample') return pipeline;
  if (variant === 'baking') {
    for (const env of pipeline.applications.web?.environments ?? [])
      if (env.name === 'staging')
        env.verify = { bakeMinutes: 30, alarms: [BAKE_ALARM], inconclusive: 'hold' };
    return pipeline;
  }
  for (const env of pipeline.applications.web?.environments ?? []) {
    if (env.name !== 'dev') env.onFailure = 'rollback';
    if (env.approval)
      env.approval = {
        ...env.approval,
        approvers: ['release-manager@example.com', 'cto@example.com'],
        required: 2,
      };
  }
  return pipeline;
};

export interface Reached {
  releaseDeployments: Record<string, number>;
  rollbacks: number;
  verified: number;
  duplicates: number;
  decisions: number;
  expiries: number;
  lostEvents: number;
  /** Bakes, by how they stand at the end (baking, passed, failed, held). */
  bakes: Record<string, number>;
  /** Releases that entered production after their staging bake (the baking variant). */
  promotedAfterBake: number;
}

export const emptyReached = (): Reached => ({
  releaseDeployments: {},
  rollbacks: 0,
  verified: 0,
  duplicates: 0,
  decisions: 0,
  expiries: 0,
  lostEvents: 0,
  bakes: {},
  promotedAfterBake: 0,
});

/** One interleaving: every step, then every event still on its way; the violations found. */
export const interleave = async (variant: Variant, actions: Action[], reached = emptyReached()) => {
  const w = new World(pipelineFor(variant));
  watchDeployments(w);
  const approvals = new Set<string>();
  for (const action of actions) {
    await applyAction(w, action);
    checkStep(w);
    await checkApprovalsBaked(w, approvals);
  }
  await drain(w);
  checkStep(w);
  await checkApprovalsBaked(w, approvals);
  await checkEnd(w);
  await checkReaudits(w);
  for (const d of w.codedeploy.created) {
    const release = /^Baton: web (v\S+) /.exec(d.input.description)?.[1];
    const env = d.input.deploymentGroup;
    if (release) reached.releaseDeployments[env] = (reached.releaseDeployments[env] ?? 0) + 1;
    const promoted = release && env === 'web-production' && !d.input.description.includes('forced by');
    if (variant === 'baking' && promoted) reached.promotedAfterBake += 1;
    if (d.input.description.includes('rollback after')) reached.rollbacks += 1;
  }
  reached.verified += [...w.store.records.keys()].filter((k) => k.startsWith('verified/')).length;
  for (const [key, entry] of w.store.records) {
    if (!key.startsWith('audits/')) continue;
    const state = (JSON.parse(entry.body) as { bake?: { state?: string } }).bake?.state;
    if (state) reached.bakes[state] = (reached.bakes[state] ?? 0) + 1;
  }
  for (const k of ['duplicates', 'decisions', 'expiries', 'lostEvents'] as const) reached[k] += w.reached[k];
  return w.violations;
};

export const interleavingArb = fc.record({
  variant: fc.constantFrom<Variant>('sample', 'strict', 'baking'),
  actions: fc.array(actionArb, { minLength: 10, maxLength: 120, size: 'max' }),
});
