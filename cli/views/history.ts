// `baton history`: one row per deployment, newest first: CodeDeploy's status beside Baton's verdict,
// when it started, how long it took, and who or what started it.
import * as z from 'zod/mini';
import { lines, NONE, short, table, when } from './table';
import { view } from './view';

export const historySchema = z.looseObject({
  application: z.string(),
  environment: z.optional(z.string()),
  deployments: z.array(
    z.looseObject({
      environment: z.string(),
      deploymentId: z.string(),
      commit: z.string(),
      release: z.optional(z.string()),
      startedBy: z.string(),
      createdAt: z.string(),
      durationSeconds: z.optional(z.number()),
      codedeployStatus: z.string(),
      verdict: z.optional(z.string()),
      stoppedBy: z.optional(z.string()),
      stopReason: z.optional(z.string()),
    }),
  ),
});

/** 270 → 4m 30s; 3720 → 1h 2m; 45 → 45s. */
export const duration = (s: number | undefined): string => {
  if (s === undefined) return NONE;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m ${s % 60}s` : `${s}s`;
};

export const historyView = view(historySchema, (r) => {
  const rows = r.deployments.map((d) => [
    d.environment,
    d.deploymentId,
    short(d.commit),
    d.release ?? NONE,
    d.codedeployStatus,
    d.verdict ?? (d.durationSeconds === undefined ? 'in flight' : 'no verdict yet'),
    when(d.createdAt),
    duration(d.durationSeconds),
    d.stoppedBy ? `${d.startedBy}; stopped by ${d.stoppedBy}: ${d.stopReason ?? ''}` : d.startedBy,
  ]);
  return lines(
    `${r.application}${r.environment ? ` ${r.environment}` : ''}: ${r.deployments.length} deployment(s), newest first`,
    '',
    table(
      [
        'ENVIRONMENT',
        'DEPLOYMENT',
        'COMMIT',
        'RELEASE',
        'CODEDEPLOY',
        'VERDICT',
        'STARTED',
        'DURATION',
        'STARTED BY',
      ],
      rows,
    ),
  );
});
