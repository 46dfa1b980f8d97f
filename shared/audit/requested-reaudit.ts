// A re-audit the operator asked for (its `audit` command): read the deployment's evidence again, record
// the new verdict, and answer with the report. Follow-ups are not repeated (no second rollback; an alert
// only if the verdict changed), but the release flow hears of the new verdict and the group is freed if
// it was held. Run by the function that audits (deployment-finished); the operator relays the answer.

import type { TokenKeySource } from '../approvals/rules/token';
import { BatonError } from '../core/rules/errors';
import { auditKeys } from '../ledger/keys';
import { parsedOrRefused } from '../refusals/parse-or-refuse';
import { recordRejection } from '../refusals/rejections';
import { describeBake, verdictWithBake } from '../verification/rules/bake';
import { audit } from './audit';
import type { AuditDeps } from './ports';
import {
  checkReaudit,
  type ReauditAnswer,
  type ReauditRefusal,
  type ReauditRequest,
  reauditRequestSchema,
} from './rules/reaudit-request';
import { LIST_MAX } from './rules/verdict-text';

export interface RequestedReauditDeps extends AuditDeps {
  /** The approval key, which the operator signs its requests with. */
  keys: TokenKeySource;
}

export const reauditReport = async (deps: AuditDeps, deploymentId: string, by: string) => {
  const result = await audit(deps, { deploymentId, trigger: `operator ${by}`, again: true });
  if (result.outcome === 'unfinished')
    return {
      deploymentId,
      status: result.status,
      note: 'CodeDeploy has not finished this deployment; nothing was recorded',
    };
  const { report, bake } = result;
  return {
    deploymentId,
    verdict: result.verdict,
    /** The verdict with its bake: "VERIFIED (audit), baking until …", "VERIFIED (baked)". */
    standing: verdictWithBake(result.verdict, bake),
    ...(bake ? { bake: describeBake(bake) } : {}),
    text: result.text,
    // An answer stays small; the ledger keeps every failing target.
    report: { ...report, failing: report.failing.slice(0, LIST_MAX) },
    failingTargets: report.failing.length,
    ledgerKey: auditKeys.audit(deploymentId),
  };
};

const HOW: Record<ReauditRefusal, string> = {
  'not signed with the approval key':
    "a request not made by the operator's audit command, or the key rotated within the last 30 s: run the command again",
  expired: 'it waited too long: run the command again',
  'expires too late': "a request not made by the operator's audit command",
};

export const answerReaudit = async (
  deps: RequestedReauditDeps,
  request: ReauditRequest,
  source: string,
): Promise<ReauditAnswer> => {
  const { deploymentId, by } = request.reaudit;
  const check = checkReaudit(await deps.keys(), request, deps.clock.now());
  // A rotation since the operator read the key: read it again once before refusing.
  const checked =
    !check.ok && check.reason === 'not signed with the approval key'
      ? checkReaudit(await deps.keys({ refresh: true }), request, deps.clock.now())
      : check;
  if (!checked.ok) {
    // Who it claims to be asked by is unverified: it is left out of the record.
    const reason = `re-audit of ${deploymentId} refused: ${checked.reason} (${HOW[checked.reason]})`;
    await recordRejection(deps, source, reason);
    // Nothing was audited: the signature did not hold, or the request waited too long.
    return { ok: false, kind: 'ReauditRefusedError', error: reason };
  }
  try {
    return { ok: true, result: await reauditReport(deps, deploymentId, by) };
  } catch (error) {
    // What a caller may read (no such deployment, say) goes back to the operator; the rest fails the call.
    if (error instanceof BatonError && error.expose)
      return { ok: false, kind: error.kind, error: error.message };
    throw error;
  }
};

/** The request as the function receives it: a malformed one is recorded and refused, in the answer's form. */
export const runRequestedReaudit = async (
  deps: RequestedReauditDeps,
  event: unknown,
  source: string,
): Promise<ReauditAnswer> => {
  const answer = await parsedOrRefused(
    { schema: reauditRequestSchema, source, deps: () => deps },
    (request) => answerReaudit(deps, request, source),
  )(event);
  return 'outcome' in answer
    ? { ok: false, kind: 'ReauditRefusedError', error: `re-audit request refused: ${answer.reason}` }
    : answer;
};
