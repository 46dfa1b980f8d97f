// The release board's one data shape: what the operator's `board` answers and what the page renders,
// so the local stack's page and `baton board --stage X` draw the same thing from the same answer.
import * as z from 'zod/mini';
import { VERDICTS } from '../audit/rules/gate';

const text = z.string();
const optionalText = z.optional(z.string());

const deploymentSchema = z.looseObject({
  deploymentId: text,
  commit: text,
  release: optionalText,
  cause: text,
  createdAt: text,
  verdict: z.optional(z.enum(VERDICTS)),
});

const instanceSchema = z.looseObject({
  id: text,
  status: text,
  label: optionalText,
  shortfall: optionalText,
});

const approvalSchema = z.looseObject({
  approvalId: text,
  release: text,
  required: z.number(),
  approvers: z.array(text),
  approvedBy: z.array(text),
  expiresAt: text,
});

const environmentSchema = z.looseObject({
  environment: text,
  deploymentGroup: text,
  /** What runs: the newest finished deployment of the head's and the last VERIFIED (a rollback's too). */
  current: z.optional(deploymentSchema),
  /** That deployment's audit in one line, e.g. "PARTIAL (2/3 instances succeeded)". */
  audit: optionalText,
  instances: z.array(instanceSchema),
  /** The latest change started, finished, when it is not what runs (a rollback put back another). */
  attempt: z.optional(deploymentSchema),
  inFlight: z.optional(deploymentSchema),
  queued: z.number(),
  approvals: z.array(approvalSchema),
});

const timelineEntrySchema = z.looseObject({
  at: text,
  what: text,
  environment: optionalText,
  detail: text,
  by: text,
});

const releaseSchema = z.looseObject({
  release: text,
  commit: text,
  next: text,
  timeline: z.array(timelineEntrySchema),
});

export const boardSchema = z.looseObject({
  generatedAt: text,
  applications: z.array(
    z.looseObject({
      application: text,
      environments: z.array(environmentSchema),
      release: z.optional(releaseSchema),
    }),
  ),
});

export type BoardData = z.output<typeof boardSchema>;
export type BoardEnvironment = z.output<typeof environmentSchema>;
export type BoardDeployment = z.output<typeof deploymentSchema>;
