// Operator command `decide`: approve or reject an approval from the console, with a reason. Recorded
// as an operator decision, which settles the approval on its own.
import * as z from 'zod/mini';
import { ConfigError } from '../domain/errors';
import * as fields from '../schemas/fields';
import { type DecisionDeps, decide } from '../usecases/approval-decisions';
import { type PromotionDeps, releaseFlow } from '../usecases/promotion';

export const approvalId = z
  .string()
  .check(z.regex(/^[0-9a-f]{20}$/, 'an approval id (see the approvals command)'));

export const decideSchema = z.strictObject({
  command: z.literal('decide'),
  approvalId,
  decision: z.enum(['approve', 'reject']),
  comment: fields.text(1000),
  operator: fields.text(100),
});

export interface DecideCommandDeps extends PromotionDeps {
  /** Optional so that operator deps built for other commands need not carry them. */
  deciding?: Pick<DecisionDeps, 'notifier' | 'alertTopicArn'>;
}

export const decideCommand = async (deps: DecideCommandDeps, cmd: z.output<typeof decideSchema>) => {
  if (!deps.deciding) throw new ConfigError(['the operator function is not wired for approval decisions']);
  const result = await decide(
    { ...deps, ...deps.deciding, releaseFlow: releaseFlow(deps) },
    {
      approvalId: cmd.approvalId,
      approver: cmd.operator,
      decision: cmd.decision,
      comment: cmd.comment,
      via: 'operator',
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
