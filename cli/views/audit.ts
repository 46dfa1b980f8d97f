// `baton audit`: the report's own plain-text rendering (as the alert email has it), and where it is kept.
import * as z from 'zod/mini';
import { lines } from './table';
import { type View, view } from './view';

export const auditedSchema = z.looseObject({
  deploymentId: z.string(),
  verdict: z.string(),
  standing: z.optional(z.string()),
  text: z.string(),
  report: z.looseObject({ failing: z.array(z.unknown()) }),
  failingTargets: z.number(),
  ledgerKey: z.string(),
});

export const unfinishedSchema = z.looseObject({
  deploymentId: z.string(),
  status: z.string(),
  note: z.string(),
});

const audited = view(auditedSchema, (r) => {
  const more = r.failingTargets - r.report.failing.length;
  return lines(
    r.text.trimEnd(),
    '',
    more > 0 && `${more} more failing target(s) are in the ledger.`,
    `Recorded as ${r.standing ?? r.verdict} in the ledger: ${r.ledgerKey}`,
  );
});

const unfinished = view(unfinishedSchema, (r) =>
  lines(`${r.deploymentId}: CodeDeploy says ${r.status}. ${r.note}.`),
);

export const auditView: View = (result, ctx) => audited(result, ctx) ?? unfinished(result, ctx);
