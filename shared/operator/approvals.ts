// Operator command `approvals`: the approvals still waiting for decisions, oldest first.
import * as z from 'zod/mini';
import { pendingApprovals } from '../approvals/approvals';
import { decisionsOf } from '../approvals/records';
import type { Core } from '../core/ports';
import * as fields from '../core/rules/fields';

export const approvalsSchema = z.strictObject({
  command: z.literal('approvals'),
  application: z.optional(fields.name),
});

export const listApprovals = async (deps: Core, cmd: z.output<typeof approvalsSchema>) => {
  const pending = await pendingApprovals(deps, cmd.application);
  const approvals = await Promise.all(
    pending.map(async (a) => {
      const decisions = await decisionsOf(deps.store, a.id);
      return {
        approvalId: a.id,
        application: a.application,
        release: a.release,
        commit: a.commit,
        environment: a.environment,
        from: `${a.fromEnvironment} (deployment ${a.fromDeploymentId})`,
        required: a.required,
        approvers: a.approvers,
        approvedBy: decisions.filter((d) => d.decision === 'approve').map((d) => d.approver),
        requestedAt: a.requestedAt,
        expiresAt: a.expiresAt,
      };
    }),
  );
  return { approvals };
};
