// Reconcile's re-audit of INCOMPLETE verdicts (the schedule: domain/reaudit.ts). Each mark names a
// deployment whose evidence could not be read; once its re-audit is due it is audited again, once per
// recorded verdict, and its follow-up moves the release on a final verdict.

import { errorName } from '../core/rules/errors';
import { auditKeys } from '../ledger/keys';
import type { ReconcileDeps, ReconcileStep } from '../reconcile/reconcile-step';
import { audit, FOLLOW_UP_LEASE_MS } from './audit';
import { auditRecords, type IncompleteMark, incompleteRecords } from './records';
import { reauditDue } from './rules/reaudit';

const reauditOne = async (deps: ReconcileDeps, key: string, mark: IncompleteMark, now: Date) => {
  const id = mark.deploymentId;
  const rec = (await auditRecords(deps.store).get(id))?.record;
  if (rec?.verdict !== 'INCOMPLETE' || !rec.reaudit?.nextDueAt) {
    // The mark is written before its verdict: a young mark may still get one.
    if (!rec && now.getTime() - Date.parse(mark.at) < FOLLOW_UP_LEASE_MS) return 'verdict not recorded yet';
    await deps.store.delete(key);
    return rec ? `nothing due (${rec.verdict})` : 'no audit recorded';
  }
  if (!reauditDue(rec.reaudit, now)) return `due at ${rec.reaudit.nextDueAt}`;
  if (
    rec.followUp.state !== 'done' &&
    now.getTime() - Date.parse(rec.followUp.claimedAt) < FOLLOW_UP_LEASE_MS
  )
    return 'its follow-up is under way';
  const outcome = await audit(deps, {
    deploymentId: id,
    trigger: `reconcile: re-audit ${rec.reaudit.attempts + 1} of INCOMPLETE`,
    again: true,
    reauditOf: rec.auditedAt,
  });
  if (outcome.outcome === 'unfinished') return `CodeDeploy says ${outcome.status}; due again`;
  return outcome.outcome === 'audited'
    ? `INCOMPLETE → ${outcome.verdict}`
    : `audited meanwhile: ${outcome.verdict}`;
};

export const reauditIncomplete: ReconcileStep = {
  name: 'reauditIncomplete',
  async run(deps) {
    const results: Record<string, string> = {};
    const now = deps.clock.now();
    for (const key of await deps.store.list(auditKeys.incompletes())) {
      const mark = (await incompleteRecords(deps.store).at(key))?.record;
      if (!mark) continue;
      try {
        results[mark.deploymentId] = await reauditOne(deps, key, mark, now);
      } catch (error) {
        deps.log.error('reconcile could not re-audit an INCOMPLETE verdict', {
          deploymentId: mark.deploymentId,
          error: errorName(error),
        });
        results[mark.deploymentId] = `failed: ${errorName(error)}`;
      }
    }
    return results;
  },
};
