// `baton releases`: one row per release × environment of its path with the verdict or state there,
// what each release waits for next; with --release, its timeline too.
import * as z from 'zod/mini';
import { lines, NONE, short, table, whenExact } from './table';
import { view } from './view';

const release = z.looseObject({
  release: z.string(),
  commit: z.string(),
  pushedAt: z.string(),
  artifact: z.union([z.string(), z.looseObject({ key: z.string() })]),
  environments: z.array(
    z.looseObject({
      environment: z.string(),
      state: z.string(),
      deploymentId: z.optional(z.string()),
      attempt: z.optional(z.number()),
    }),
  ),
  next: z.string(),
  timeline: z.optional(
    z.array(
      z.looseObject({
        at: z.string(),
        what: z.string(),
        environment: z.optional(z.string()),
        detail: z.string(),
        by: z.string(),
      }),
    ),
  ),
});

export const releasesSchema = z.looseObject({
  application: z.string(),
  total: z.optional(z.number()),
  releases: z.array(release),
});

export const releasesView = view(releasesSchema, (r) => {
  if (r.releases.length === 0) return lines(`${r.application}: no releases yet (push a release tag)`);
  const rows = r.releases.flatMap((rel) =>
    rel.environments.map((e, i) => [
      i === 0 ? rel.release : '',
      i === 0 ? short(rel.commit) : '',
      e.environment,
      `${e.state}${e.attempt ? ` (attempt ${e.attempt})` : ''}`,
      e.deploymentId ?? NONE,
    ]),
  );
  const width = Math.max(...r.releases.map((rel) => rel.release.length));
  const shown = r.total !== undefined && r.total > r.releases.length ? ` (newest ${r.releases.length})` : '';
  const timelines = r.releases.flatMap((rel) =>
    rel.timeline
      ? [
          '',
          `Timeline of ${rel.release}:`,
          table(
            ['AT', 'ENVIRONMENT', 'WHAT', 'DETAIL'],
            rel.timeline.map((t) => [
              whenExact(t.at),
              t.environment ?? NONE,
              t.what,
              `${t.detail} (by ${t.by})`,
            ]),
          ),
        ]
      : [],
  );
  return lines(
    `${r.application}: ${r.total ?? r.releases.length} release(s)${shown}`,
    '',
    table(['RELEASE', 'COMMIT', 'ENVIRONMENT', 'STATE', 'DEPLOYMENT'], rows),
    '',
    'Next:',
    ...r.releases.map((rel) => `  ${rel.release.padEnd(width)}  ${rel.next}`),
    ...r.releases.flatMap((rel) =>
      typeof rel.artifact === 'string' ? [] : rel.timeline ? [`Artifact: ${rel.artifact.key}`] : [],
    ),
    ...timelines,
  );
});
