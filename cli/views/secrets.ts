// `baton secrets-check`: which secrets the instances would receive and whether each exists (names only).
import * as z from 'zod/mini';
import { lines, NONE, table } from './table';
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
      keys: z.optional(z.array(z.string())),
      problems: z.optional(z.array(z.string())),
    }),
  ),
});

const existsWord = (exists: boolean | 'unknown') =>
  exists === 'unknown' ? 'unknown' : exists ? 'yes' : 'NO';

export const secretsCheckView = view(secretsCheckSchema, (r) => {
  const rows = r.secrets.map((s) => [
    s.secretId,
    s.path,
    `${s.mode}${s.owner ? ` ${s.owner}` : ''}`,
    existsWord(s.exists),
    s.keys ? s.keys.join(', ') || '(none)' : NONE,
    s.problems?.join('; ') || NONE,
  ]);
  return lines(
    `${r.application} ${r.environment}: ${r.ready ? 'ready' : 'NOT ready'}`,
    `Instance roles allowed to ask: ${r.instanceRoles.join(', ') || '(none: set instanceRoles in pipeline.yml)'}`,
    '',
    rows.length
      ? table(['SECRET', 'FILE', 'MODE', 'EXISTS', 'KEYS', 'PROBLEMS'], rows)
      : 'No secrets configured.',
  );
});
