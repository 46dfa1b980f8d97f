// Operator command `audit`: read a deployment's evidence again, record the new verdict, and answer
// with the report. Follow-ups are not repeated (no second rollback; an alert only if the verdict
// changed), but the release flow hears of the new verdict and the group is freed if it was held.

import * as z from 'zod/mini';
import { audit } from '../audit/audit';
import type { AuditDeps } from '../audit/ports';
import { LIST_MAX } from '../audit/rules/verdict-text';
import { ConfigError } from '../core/rules/errors';
import * as fields from '../core/rules/fields';
import { auditKeys } from '../ledger/keys';
import { type PromotionDeps, releaseFlow } from '../releases/promotion';
import { describeBake, verdictWithBake } from '../verification/rules/bake';

export const auditSchema = z.strictObject({
  command: z.literal('audit'),
  deploymentId: fields.deploymentId,
});

export interface AuditCommandDeps extends PromotionDeps {
  /** Optional so that operator deps built for other commands need not carry them. */
  auditing?: Pick<AuditDeps, 'reader' | 'notifier' | 'alertTopicArn' | 'metrics' | 'origin'>;
}

export const auditCommand = async (deps: AuditCommandDeps, cmd: z.output<typeof auditSchema>, by: string) => {
  if (!deps.auditing) throw new ConfigError(['the operator function is not wired for audits']);
  const result = await audit(
    { ...deps, ...deps.auditing, releaseFlow: releaseFlow(deps) },
    { deploymentId: cmd.deploymentId, trigger: `operator ${by}`, again: true },
  );
  if (result.outcome === 'unfinished')
    return {
      deploymentId: cmd.deploymentId,
      status: result.status,
      note: 'CodeDeploy has not finished this deployment; nothing was recorded',
    };
  const { report, bake } = result;
  return {
    deploymentId: cmd.deploymentId,
    verdict: result.verdict,
    /** The verdict with its bake: "VERIFIED (audit), baking until …", "VERIFIED (baked)". */
    standing: verdictWithBake(result.verdict, bake),
    ...(bake ? { bake: describeBake(bake) } : {}),
    text: result.text,
    // A response stays small; the ledger keeps every failing target.
    report: { ...report, failing: report.failing.slice(0, LIST_MAX) },
    failingTargets: report.failing.length,
    ledgerKey: auditKeys.audit(cmd.deploymentId),
  };
};
