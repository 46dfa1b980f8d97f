// The scheduled backstop: EventBridge delivers CodeDeploy's events on a best-effort basis, so
// deployments still without a verdict after `staleAfterMinutes` are looked up and audited when
// finished, abandoned follow-ups are resumed, INCOMPLETE verdicts are audited again when due, bakes end
// when their time is up (verification/bakes.ts), and queued
// deployments start where the group is free.
// Each step is one entry of a list; a step that fails does not stop the others.

import { expireApprovalsStep } from '../approvals/approval-sweep';
import { audit } from '../audit/audit';
import { reauditIncomplete } from '../audit/reaudit-incomplete';
import { auditRecords, followUpMarkRecords } from '../audit/records';
import { isFinished } from '../audit/rules/evidence';
import { ConfiguredRefusalError, errorName } from '../core/rules/errors';
import { releaseGroup, startNext } from '../deployments/deployment-queue';
import { recoverStalledLaunches, resumePendingRequests } from '../deployments/stalled-launches';
import { auditKeys } from '../ledger/keys';
import { deploymentRecords, slotRecords } from '../ledger/schemas';
import { refuseAndAlert } from '../refusals/rejection-alerts';
import { endDueBakes } from '../verification/bakes';
import type { ReconcileDeps, ReconcileStep, ReconcileStepResult } from './reconcile-step';

export type { ReconcileDeps, ReconcileStep, ReconcileStepResult } from './reconcile-step';

const environments = (deps: ReconcileDeps) =>
  Object.entries(deps.pipeline.applications).flatMap(([application, spec]) =>
    spec.environments.map((env) => ({ application, environment: env.name })),
  );

/**
 * A deployment Baton started holds its group's slot until its audit's follow-up frees it, so the slots
 * name every deployment that may still lack a verdict, or whose first follow-up stopped half-way (it
 * has no open follow-up mark: audit.ts), without scanning the ledger's whole history.
 */
const settleVerdict = async (deps: ReconcileDeps, application: string, environment: string, id: string) => {
  const rec = (await auditRecords(deps.store).get(id))?.record;
  if (rec?.followUp.state === 'done') {
    // Finished before its launch was recorded as holding the slot: free the group now.
    const next = await releaseGroup(deps, application, environment, id);
    return `follow-up done; group released (${typeof next === 'string' ? next : next.outcome})`;
  }
  // Resumed once its lease ran out; under way otherwise.
  const outcome = await audit(deps, { deploymentId: id, trigger: 'reconcile' });
  return outcome.outcome === 'audited' ? 'follow-up resumed' : 'follow-up under way';
};

export const auditStaleDeployments: ReconcileStep = {
  name: 'auditStaleDeployments',
  async run(deps) {
    const staleBefore = deps.clock.now().getTime() - deps.pipeline.staleAfterMinutes * 60_000;
    const results: Record<string, string> = {};
    for (const { application, environment } of environments(deps)) {
      const slot = (await slotRecords(deps.store).get(application, environment))?.record;
      const id = slot?.deploymentId;
      if (!id) continue;
      const deployment = (await deploymentRecords(deps.store).get(id))?.record;
      if (!deployment) continue;
      if (deployment.verdict) {
        try {
          results[id] = await settleVerdict(deps, application, environment, id);
        } catch (error) {
          results[id] = `failed: ${errorName(error)}`;
        }
        continue;
      }
      if (Date.parse(deployment.createdAt) > staleBefore) continue;
      try {
        const facts = await deps.reader.deployment(id);
        if (!isFinished(facts.status)) {
          results[id] = `still ${facts.status}`;
          continue;
        }
        let outcome = await audit(deps, { deploymentId: id, trigger: 'reconcile' });
        // Audited before Baton had recorded the launch (the finish event won the race), so as a
        // deployment Baton did not start: audit again with the ledger's facts, which frees the group.
        const earlier = (await auditRecords(deps.store).get(id))?.record;
        if (outcome.outcome === 'recorded-earlier' && earlier?.inLedger === false)
          outcome = await audit(deps, { deploymentId: id, trigger: 'reconcile', again: true });
        results[id] = outcome.outcome === 'unfinished' ? `still ${outcome.status}` : outcome.verdict;
      } catch (error) {
        deps.log.error('reconcile could not audit a deployment', {
          deploymentId: id,
          error: errorName(error),
        });
        results[id] = `failed: ${errorName(error)}`;
      }
    }
    return results;
  },
};

/** Audits whose follow-up (alert, rollback, release…) was left half-way, once their lease ran out. */
export const resumeFollowUps: ReconcileStep = {
  name: 'resumeFollowUps',
  async run(deps) {
    const results: Record<string, string> = {};
    for (const key of await deps.store.list(auditKeys.openFollowUps())) {
      const entry = await followUpMarkRecords(deps.store).at(key);
      if (!entry) continue;
      const id = entry.record.deploymentId;
      try {
        const outcome = await audit(deps, { deploymentId: id, trigger: 'reconcile' });
        results[id] = outcome.outcome;
      } catch (error) {
        results[id] = `failed: ${errorName(error)}`;
      }
    }
    return results;
  },
};

/**
 * A launch refused for what pipeline.yml configures (a Lambda alias on $LATEST, say) reaches a person,
 * once per cause, as the event functions' refusals do; other failures are only answered.
 */
const refusedHere = async (deps: ReconcileDeps, error: unknown): Promise<string | undefined> => {
  if (!(error instanceof ConfiguredRefusalError)) return undefined;
  await refuseAndAlert(deps, 'reconcile', error.message, error.refusal);
  return `refused: ${error.message}`;
};

/** One environment's failure does not keep the others' queues waiting. */
export const startQueuedDeployments: ReconcileStep = {
  name: 'startQueuedDeployments',
  async run(deps) {
    const results: Record<string, string> = {};
    for (const { application, environment } of environments(deps)) {
      const at = `${application}/${environment}`;
      try {
        const outcome = await startNext(deps, application, environment);
        results[at] = typeof outcome === 'string' ? outcome : outcome.outcome;
      } catch (error) {
        deps.log.error('queued deployment not started', { at, error: errorName(error) });
        results[at] = (await refusedHere(deps, error)) ?? `failed: ${errorName(error)}`;
      }
    }
    return results;
  },
};

/** The steps, in order. */
export const reconcileSteps: ReconcileStep[] = [
  auditStaleDeployments,
  resumeFollowUps,
  reauditIncomplete,
  endDueBakes,
  startQueuedDeployments,
  expireApprovalsStep,
  recoverStalledLaunches,
  resumePendingRequests,
];

export const reconcile = async (
  deps: ReconcileDeps,
  steps: readonly ReconcileStep[] = reconcileSteps,
): Promise<ReconcileStepResult[]> => {
  const results: ReconcileStepResult[] = [];
  for (const step of steps) {
    try {
      results.push({ step: step.name, ok: true, result: await step.run(deps) });
    } catch (error) {
      deps.log.error('reconcile step failed', { step: step.name, error: errorName(error) });
      results.push({
        step: step.name,
        ok: false,
        error: (await refusedHere(deps, error)) ?? errorName(error),
      });
    }
  }
  return results;
};
