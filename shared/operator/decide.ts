// Operator command `decide`: approve or reject an approval as an operator, with a reason. It counts as
// one approval of the caller's identity (N-of-M still needs N identities); with `force` it settles the
// approval on its own, which needs the force permission.
import * as z from 'zod/mini';
import { type DecisionDeps, decide } from '../approvals/approval-decisions';
import { ConfigError } from '../core/rules/errors';
import * as fields from '../core/rules/fields';
import { type PromotionDeps, releaseFlow } from '../releases/promotion';

export const approvalId = z
  .string()
  .check(z.regex(/^[0-9a-f]{20}$/, 'an approval id (see the approvals command)'));

export const decideSchema = z.strictObject({
  command: z.literal('decide'),
  approvalId,
  decision: z.enum(['approve', 'reject']),
  comment: fields.text(1000),
  force: z._default(z.boolean(), false),
});

export interface DecideCommandDeps extends PromotionDeps {
  /** Optional so that operator deps built for other commands need not carry them. */
  deciding?: Pick<DecisionDeps, 'notifier' | 'alertTopicArn'>;
}

export const decideCommand = async (
  deps: DecideCommandDeps,
  cmd: z.output<typeof decideSchema>,
  by: string,
  note?: string,
) => {
  if (!deps.deciding) throw new ConfigError(['the operator function is not wired for approval decisions']);
  const result = await decide(
    { ...deps, ...deps.deciding, releaseFlow: releaseFlow(deps) },
    {
      approvalId: cmd.approvalId,
      approver: by,
      decision: cmd.decision,
      comment: cmd.comment,
      via: 'operator',
      forced: cmd.force,
      ...(note ? { note } : {}),
    },
  );
  const a = result.approval;
  return {
    outcome: result.outcome,
    approval: {
      approvalId: a.id,
      application: a.application,
      release: a.release,
      environment: a.environment,
      state: a.state,
    },
    ...(a.outcome ? { detail: a.outcome } : {}),
    ...(result.outcome !== 'closed' ? { decision: result.decision } : {}),
  };
};
