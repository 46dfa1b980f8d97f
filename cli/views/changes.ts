// `baton deploy` and `baton promote`: what was started, queued or refused to move, and what comes next.
import * as z from 'zod/mini';
import { lines } from './table';
import { text, view } from './view';

export const outcome = z.looseObject({
  outcome: z.string(),
  requestId: z.optional(z.string()),
  deploymentId: z.optional(z.string()),
  reason: z.optional(z.string()),
  state: z.optional(z.string()),
});

/** One sentence for a deployment request's or a release step's outcome. */
export const describeOutcome = (o: z.output<typeof outcome>): string => {
  const request = o.requestId ? ` (request ${o.requestId})` : '';
  switch (o.outcome) {
    case 'started':
      return `deployment ${o.deploymentId ?? '?'} started${request}`;
    case 'queued':
      return `queued behind the deployment in flight${request}: ${o.reason ?? ''}`;
    case 'duplicate':
      return `already requested${request}, now ${o.state ?? 'unknown'}`;
    case 'approval-requested':
      return 'approval requested: the approvers were sent the link (see baton approvals)';
    case 'approval-unavailable':
      return 'the approval could not be requested now: it will be asked for again';
    default:
      return o.outcome;
  }
};

export const deploySchema = outcome;

export const deployView = view(deploySchema, (r, { event }) =>
  lines(`${text(event.application)} ${text(event.environment)}: ${describeOutcome(r)}`),
);

export const promoteSchema = z.looseObject({
  release: z.string(),
  commit: z.string(),
  environment: z.string(),
  forced: z.optional(z.boolean()),
  next: z.optional(z.string()),
  result: z.optional(outcome),
  already: z.optional(
    z.looseObject({ environment: z.string(), state: z.string(), deploymentId: z.optional(z.string()) }),
  ),
});

export const promoteView = view(promoteSchema, (r) => {
  const head = `${r.release} (${r.commit.slice(0, 7)}) → ${r.environment}`;
  if (r.already)
    return lines(
      `${head}: already there: ${r.already.state}${r.already.deploymentId ? `, deployment ${r.already.deploymentId}` : ''}`,
      r.next && `Next: ${r.next}`,
    );
  return lines(
    `${head}${r.forced ? ' (forced: the reason is on the release timeline)' : ''}`,
    r.next && `Step: ${r.next}`,
    r.result ? `Result: ${describeOutcome(r.result)}` : 'Result: nothing to do now',
  );
});
