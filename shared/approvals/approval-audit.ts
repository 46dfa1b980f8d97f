// What approvers see of the previous environment: its audit verdict and one entry per target. Read
// defensively from the audit record (audits/<deploymentId>.json), else the deployment's verdict field:
// a missing or unexpected record gives a summary that says so, never an error.

import * as z from 'zod/mini';
import { isVerdict, type Verdict } from '../audit/rules/gate';
import { auditKeys } from '../ledger/keys';
import { deploymentRecords } from '../ledger/schemas';
import type { RecordStore } from '../ledger/store';

export interface AuditTarget {
  /** Empty for a target known only by its status count. */
  id: string;
  status: string;
  label?: string;
  /** What a Succeeded ECS or Lambda target did not deliver: the cell then reads as failing. */
  shortfall?: string;
}

export interface AuditSummary {
  deploymentId: string;
  verdict?: Verdict;
  succeeded?: number;
  total?: number;
  /** "instances" for EC2/on-premises targets, "targets" otherwise. */
  noun: 'instances' | 'targets';
  targets: AuditTarget[];
  /** The bake that passed there, if the environment bakes: "baked 30 min; 2 alarms OK at the end, no ALARM event during the bake". */
  bake?: string;
  /** One line for an email: "VERIFIED (9/9 instances verified)", and the bake after a semicolon. */
  line: string;
}

const text = z.optional(z.string());
const targetSchema = z.looseObject({
  id: text,
  targetId: text,
  instanceId: text,
  status: text,
  label: text,
  instanceLabel: text,
  kind: text,
  targetType: text,
  shortfall: text,
});
const countsSchema = z.looseObject({
  succeeded: z.optional(z.number()),
  total: z.optional(z.number()),
  expected: z.optional(z.number()),
  targets: z.optional(z.number()),
  byStatus: z.optional(z.record(z.string(), z.number())),
});
const reportSchema = z.looseObject({
  verdict: text,
  targets: z.optional(z.array(targetSchema)),
  failing: z.optional(z.array(targetSchema)),
  counts: z.optional(countsSchema),
});
// The audit record (shared/ledger/audits.ts): its verdict, and a report with counts and the failing
// targets; a full target list when one is recorded. Fields are read at the top level or in `report`.
const auditSchema = z.looseObject({
  ...reportSchema.shape,
  report: z.optional(reportSchema),
  bake: z.optional(z.looseObject({ state: text, reason: text })),
});
type ParsedAudit = z.output<typeof reportSchema>;
type ParsedTarget = z.output<typeof targetSchema>;

const MAX_SYNTHESIZED = 1000;

const targetOf = (t: ParsedTarget): AuditTarget => {
  const label = t.label ?? t.instanceLabel;
  return {
    id: t.id ?? t.targetId ?? t.instanceId ?? '',
    status: t.status ?? 'Unknown',
    ...(label ? { label } : {}),
    ...(t.shortfall ? { shortfall: t.shortfall } : {}),
  };
};

/** The full list when recorded; else the failing targets by name and the rest as counted cells. */
const targetsOf = (audit: ParsedAudit | undefined): AuditTarget[] => {
  if (audit?.targets) return audit.targets.map(targetOf);
  const failing = (audit?.failing ?? []).map(targetOf);
  const left = new Map(Object.entries(audit?.counts?.byStatus ?? {}));
  for (const t of failing) left.set(t.status, (left.get(t.status) ?? 0) - 1);
  const rest = [...left].flatMap(([status, n]) =>
    Array.from({ length: Math.max(0, Math.min(n, MAX_SYNTHESIZED)) }, () => ({ id: '', status })),
  );
  return [...failing, ...rest];
};

const verdictLine = (s: Omit<AuditSummary, 'line'>): string => {
  if (!s.verdict) return 'no audit verdict recorded';
  if (s.total === undefined || s.succeeded === undefined) return s.verdict;
  const word = s.verdict === 'VERIFIED' && s.succeeded === s.total ? 'verified' : 'succeeded';
  return `${s.verdict} (${s.succeeded}/${s.total} ${s.noun} ${word})`;
};
const lineOf = (s: Omit<AuditSummary, 'line'>): string =>
  s.bake ? `${verdictLine(s)}; ${s.bake}` : verdictLine(s);

/** The summary of a deployment's audit; from `known` (the audit record as its caller holds it) if given. */
export const readAudit = async (
  store: RecordStore,
  deploymentId: string,
  known?: unknown,
): Promise<AuditSummary> => {
  const [audit, deployment] =
    known === undefined
      ? await Promise.all([
          store.get<unknown>(auditKeys.audit(deploymentId)),
          deploymentRecords(store).get(deploymentId),
        ])
      : [{ record: known }, undefined];
  const parsed = audit ? auditSchema.safeParse(audit.record) : undefined;
  const top = parsed?.success ? parsed.data : undefined;
  const record: ParsedAudit | undefined = top && {
    verdict: top.verdict ?? top.report?.verdict,
    targets: top.targets ?? top.report?.targets,
    failing: top.failing ?? top.report?.failing,
    counts: top.counts ?? top.report?.counts,
  };
  const targets = targetsOf(record);
  const kinds = [...(record?.targets ?? []), ...(record?.failing ?? [])].map(
    (t) => t.kind ?? t.targetType ?? '',
  );
  // A verdict Baton never writes reads as none, as the page's verdict class always did.
  const verdict = [record?.verdict, deployment?.record.verdict].find(isVerdict);
  const counts = record?.counts;
  const total =
    counts?.total ?? counts?.expected ?? counts?.targets ?? (targets.length > 0 ? targets.length : undefined);
  const succeeded =
    counts?.succeeded ??
    (targets.length > 0 ? targets.filter((t) => t.status === 'Succeeded').length : undefined);
  const summary = {
    deploymentId,
    ...(verdict ? { verdict } : {}),
    ...(total !== undefined ? { total } : {}),
    ...(succeeded !== undefined ? { succeeded } : {}),
    noun: kinds.every((k) => k === '' || /instance/i.test(k)) ? ('instances' as const) : ('targets' as const),
    targets,
    ...(top?.bake?.state === 'passed' && top.bake.reason ? { bake: top.bake.reason } : {}),
  };
  return { ...summary, line: lineOf(summary) };
};
