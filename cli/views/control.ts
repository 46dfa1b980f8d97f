// `baton stop`, `retry`, `rollback`: what was stopped or requested, by whom and why, and what comes next.
import * as z from 'zod/mini';
import { describeOutcome, outcome } from './changes';
import { lines, short, whenExact } from './table';
import { type View, view } from './view';

export const stoppedSchema = z.looseObject({
  deploymentId: z.string(),
  outcome: z.literal('stopped'),
  application: z.string(),
  environment: z.string(),
  release: z.optional(z.string()),
  autoRollback: z.boolean(),
  codedeploy: z.looseObject({ status: z.string(), message: z.optional(z.string()) }),
  by: z.string(),
  reason: z.string(),
  next: z.string(),
  ledgerKey: z.string(),
});

export const alreadyStoppedSchema = z.looseObject({
  deploymentId: z.string(),
  outcome: z.literal('already-stopped'),
  by: z.optional(z.string()),
  reason: z.optional(z.string()),
  at: z.optional(z.string()),
});

const stopped = view(stoppedSchema, (r) =>
  lines(
    `${r.deploymentId} (${r.application}${r.release ? ` ${r.release}` : ''} in ${r.environment}): stop ${r.codedeploy.status === 'Succeeded' ? 'accepted' : r.codedeploy.status} by CodeDeploy${r.codedeploy.message ? `: ${r.codedeploy.message}` : ''}`,
    `Stopped by ${r.by}: ${r.reason}`,
    r.autoRollback
      ? 'CodeDeploy rolls the group back to its last successful revision.'
      : 'No rollback: the instances keep what they had when it stopped.',
    `Next: ${r.next}.`,
    `Recorded in the ledger: ${r.ledgerKey}`,
  ),
);

const already = view(alreadyStoppedSchema, (r) =>
  lines(
    `${r.deploymentId} was already stopped${r.by ? ` by ${r.by}` : ''}${r.at ? ` at ${whenExact(r.at)}` : ''}${r.reason ? `: ${r.reason}` : ''}.`,
  ),
);

export const stopView: View = (result, ctx) => stopped(result, ctx) ?? already(result, ctx);

export const retriedSchema = z.looseObject({
  application: z.string(),
  environment: z.string(),
  retried: z.looseObject({ deploymentId: z.string(), verdict: z.string(), commit: z.string() }),
  release: z.optional(z.string()),
  next: z.optional(z.string()),
  result: z.optional(outcome),
});

export const retryView = view(retriedSchema, (r) =>
  lines(
    `${r.application} ${r.environment}: retry after ${r.retried.verdict} of ${r.retried.deploymentId} (commit ${short(r.retried.commit)}${r.release ? `, release ${r.release}` : ''})`,
    r.next && `Step: ${r.next}`,
    r.result ? `Result: ${describeOutcome(r.result)}` : 'Result: nothing to do now',
  ),
);

export const rolledBackSchema = z.looseObject({
  application: z.string(),
  environment: z.string(),
  to: z.looseObject({ deploymentId: z.string(), commit: z.string(), release: z.optional(z.string()) }),
  from: z.optional(
    z.looseObject({
      deploymentId: z.string(),
      verdict: z.optional(z.string()),
      release: z.optional(z.string()),
    }),
  ),
  result: outcome,
  ledgerKey: z.string(),
});

export const rollbackView = view(rolledBackSchema, (r) =>
  lines(
    `${r.application} ${r.environment}: rollback to ${r.to.release ?? 'commit'} ${short(r.to.commit)} (VERIFIED in ${r.to.deploymentId})${r.from ? `, from ${r.from.release ? `${r.from.release} ` : ''}${r.from.deploymentId}${r.from.verdict ? ` (${r.from.verdict})` : ''}` : ''}`,
    `Result: ${describeOutcome(r.result)}`,
    `Recorded in the ledger: ${r.ledgerKey}`,
  ),
);
