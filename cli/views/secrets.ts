// `baton secrets-check`: which secrets the instances would receive, whether each exists, its current
// version and when it last changed (Secrets Manager's metadata; no value is ever read).
import * as z from 'zod/mini';
import { lines, NONE, table, when } from './table';
import { view } from './view';

export const secretsCheckSchema = z.looseObject({
  application: z.string(),
  environment: z.string(),
  instanceRoles: z.array(z.string()),
  ready: z.boolean(),
  secrets: z.array(
    z.looseObject({
      secretId: z.string(),
      path: z.string(),
      mode: z.string(),
      owner: z.optional(z.string()),
      exists: z.union([z.boolean(), z.literal('unknown')]),
      versionId: z.optional(z.string()),
      versions: z.optional(z.array(z.looseObject({ versionId: z.string(), stages: z.array(z.string()) }))),
      lastChangedAt: z.optional(z.string()),
      problems: z.optional(z.array(z.string())),
    }),
  ),
});

type Versions = z.infer<typeof secretsCheckSchema>['secrets'][number]['versions'];

const existsWord = (exists: boolean | 'unknown') =>
  exists === 'unknown' ? 'unknown' : exists ? 'yes' : 'NO';

// A rotation under way shows: the current version, then the labels of any other version.
const versionText = (current: string | undefined, versions: Versions) => {
  const others = (versions ?? [])
    .filter((v) => v.versionId !== current)
    .flatMap((v) => v.stages.filter((s) => s !== 'AWSPREVIOUS'));
  return `${current ?? NONE}${others.length ? ` (also ${others.join(', ')})` : ''}`;
};

export const secretsCheckView = view(secretsCheckSchema, (r) => {
  const rows = r.secrets.map((s) => [
    s.secretId,
    s.path,
    `${s.mode}${s.owner ? ` ${s.owner}` : ''}`,
    existsWord(s.exists),
    s.exists === true ? versionText(s.versionId, s.versions) : NONE,
    s.lastChangedAt ? when(s.lastChangedAt) : NONE,
    s.problems?.join('; ') || NONE,
  ]);
  return lines(
    `${r.application} ${r.environment}: ${r.ready ? 'ready' : 'NOT ready'}`,
    `Instance roles allowed to ask: ${r.instanceRoles.join(', ') || '(none: set instanceRoles in pipeline.yml)'}`,
    '',
    rows.length
      ? table(['SECRET', 'FILE', 'MODE', 'EXISTS', 'VERSION', 'CHANGED', 'PROBLEMS'], rows)
      : 'No secrets configured.',
  );
});
