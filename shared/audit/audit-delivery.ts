// The delivery metrics of a verdict just recorded: lead time and time to restore, from the deployment
// record and the environment's VERIFIED pointer the audit read anyway (no call of their own).
import type { DeploymentRecord } from '../ledger/records';
import type { AuditDeps } from './ports';
import type { AuditRecord, VerifiedDeployment } from './records';
import { type Judged, leadTimeOf, restoredAfter } from './rules/delivery';

/** A verdict's time as the metrics command dates it: CodeDeploy's completion, else the audit's. */
export const verdictAt = (rec: AuditRecord) => rec.report.codedeploy?.completedAt ?? rec.auditedAt;

export const judgedOf = (rec: AuditRecord, ledger?: DeploymentRecord, earlier?: AuditRecord): Judged => ({
  deploymentId: rec.deploymentId,
  verdict: rec.verdict,
  at: verdictAt(rec),
  ...(rec.deploymentCreatedAt ? { createdAt: rec.deploymentCreatedAt } : {}),
  ...(rec.cause ? { cause: rec.cause } : {}),
  ...(rec.artifact ? { commit: rec.artifact.commit } : {}),
  ...(ledger?.commitTime ? { commitTime: ledger.commitTime } : {}),
  verifiedBefore:
    ledger?.verdict === 'VERIFIED' ||
    earlier?.verdict === 'VERIFIED' ||
    Boolean(earlier?.history.some((h) => h.verdict === 'VERIFIED')),
});

/** Emits LeadTimeSeconds and TimeToRestoreSeconds where this verdict ends a lead time or a failure. */
export const emitDelivery = (
  deps: Pick<AuditDeps, 'metrics'>,
  rec: AuditRecord,
  verified: VerifiedDeployment | undefined,
  ledger?: DeploymentRecord,
  earlier?: AuditRecord,
) => {
  if (!ledger) return;
  const judged = judgedOf(rec, ledger, earlier);
  const lead = leadTimeOf(verified, judged);
  if (lead !== undefined) deps.metrics.leadTime(rec.application, rec.environment, lead);
  const restore = restoredAfter(verified, judged);
  if (restore !== undefined) deps.metrics.restored(rec.application, rec.environment, restore);
};
