// `baton metrics`: per application, one row per environment in order (the last is production): how many
// deployments, VERIFIED changes per day, the change failure rate, lead time and time to restore (medians,
// with their counts), and a failure not restored yet; then the window, and which commit times were used.
import * as z from 'zod/mini';
import { duration } from './history';
import { lines, NONE, table, when } from './table';
import { view } from './view';

const durationsSchema = z.looseObject({ count: z.number(), medianSeconds: z.number() });

export const metricsSchema = z.looseObject({
  window: z.looseObject({ since: z.string(), until: z.string(), days: z.number() }),
  deploymentRecordsRead: z.number(),
  deploymentRecordsUnreadable: z.optional(z.looseObject({ count: z.number(), keys: z.array(z.string()) })),
  leadTimeFrom: z.record(z.string(), z.string()),
  applications: z.array(
    z.looseObject({
      application: z.string(),
      production: z.string(),
      environments: z.array(
        z.looseObject({
          environment: z.string(),
          deployments: z.number(),
          rollbacks: z.number(),
          inFlight: z.number(),
          verdicts: z.record(z.string(), z.number()),
          deploymentsPerDay: z.number(),
          changeFailureRate: z.optional(z.number()),
          leadTime: z.optional(
            z.looseObject({
              count: z.number(),
              medianSeconds: z.optional(z.number()),
              from: z.record(z.string(), z.number()),
              unknown: z.number(),
            }),
          ),
          timeToRestore: z.optional(durationsSchema),
          failingSince: z.optional(z.looseObject({ deploymentId: z.string(), at: z.string() })),
        }),
      ),
    }),
  ),
});

type Row = z.output<typeof metricsSchema>['applications'][number]['environments'][number];

const started = (e: Row) => {
  const notes = [
    e.rollbacks ? `${e.rollbacks} rollback(s)` : '',
    e.inFlight ? `${e.inFlight} in flight` : '',
  ];
  const said = notes.filter(Boolean).join(', ');
  return said ? `${e.deployments} (${said})` : String(e.deployments);
};

const failureRate = (e: Row) => {
  const judged = Object.values(e.verdicts).reduce((a, b) => a + b, 0);
  if (e.changeFailureRate === undefined) return NONE;
  return `${Math.round(e.changeFailureRate * 100)}% (${judged - (e.verdicts.VERIFIED ?? 0)} of ${judged})`;
};

const median = (d: { count: number; medianSeconds?: number | undefined } | undefined) =>
  d?.medianSeconds !== undefined ? `${duration(d.medianSeconds)} (${d.count})` : NONE;

const row = (e: Row, production: string) => [
  e.environment === production ? `${e.environment} (production)` : e.environment,
  started(e),
  e.deploymentsPerDay.toFixed(2),
  failureRate(e),
  median(e.leadTime),
  median(e.timeToRestore),
  e.failingSince ? `${when(e.failingSince.at)} ${e.failingSince.deploymentId}` : NONE,
];

const HEADERS = [
  'ENVIRONMENT',
  'DEPLOYMENTS',
  'VERIFIED/DAY',
  'CHANGE FAILURE',
  'LEAD TIME',
  'TIME TO RESTORE',
  'FAILING SINCE',
];

/** Which commit times the lead times were measured from, over every environment shown. */
const sources = (r: z.output<typeof metricsSchema>) => {
  const counts: Record<string, number> = {};
  let unknown = 0;
  for (const a of r.applications)
    for (const e of a.environments) {
      unknown += e.leadTime?.unknown ?? 0;
      for (const [source, n] of Object.entries(e.leadTime?.from ?? {}))
        counts[source] = (counts[source] ?? 0) + n;
    }
  return [
    ...Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([source, n]) => `  ${n} from ${r.leadTimeFrom[source] ?? source}`),
    ...(unknown ? [`  ${unknown} without a commit time (not in the lead time)`] : []),
  ];
};

const unreadable = (r: z.output<typeof metricsSchema>) => {
  const u = r.deploymentRecordsUnreadable;
  return u?.count
    ? `, ${u.count} unreadable and skipped (${u.keys.join(', ')}${u.count > u.keys.length ? ', …' : ''})`
    : '';
};

export const metricsView = view(metricsSchema, (r) =>
  lines(
    `Delivery metrics from ${when(r.window.since)} to ${when(r.window.until)} (${r.window.days} ${r.window.days === 1 ? 'day' : 'days'}); ${r.deploymentRecordsRead} deployment record(s) read${unreadable(r)}`,
    ...r.applications.flatMap((a) => [
      '',
      `${a.application}:`,
      table(
        HEADERS,
        a.environments.map((e) => row(e, a.production)),
      ),
    ]),
    '',
    'Lead time and time to restore: median (count). Lead time: commit to its first VERIFIED deployment there;',
    'change failure: verdicts other than VERIFIED among the changes started (rollbacks are not changes).',
    ...(sources(r).length ? ['Commit times:', ...sources(r)] : []),
  ),
);
