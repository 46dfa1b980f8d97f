// The flags of each command, read from the operator's own schemas (shared/operator/*.ts): one flag per
// field, typed as the field is, so the CLI cannot drift from what the operator accepts.
import * as z from 'zod/mini';
import { operatorCommandSchema } from '../shared/operator/commands';
import { ALIASES, EXAMPLES, FIELD_WORDS, SUMMARIES } from './descriptions';

export type FieldKind =
  | { type: 'string' }
  | { type: 'boolean' }
  | { type: 'number'; min?: number; max?: number }
  | { type: 'enum'; values: string[] };

export interface FieldSpec {
  field: string;
  /** The flag without dashes, kebab-case: deploymentId → deployment-id. */
  flag: string;
  /** Other names accepted for the flag (the camelCase field name, short aliases). */
  aliases: string[];
  kind: FieldKind;
  required: boolean;
  default?: unknown;
  description: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  fields: FieldSpec[];
  examples: string[];
}

export const kebab = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const numberRange = (schema: z.ZodMiniNumber): { min?: number; max?: number } => {
  const range: { min?: number; max?: number } = {};
  for (const check of schema._zod.def.checks ?? []) {
    if (check instanceof z.core.$ZodCheckGreaterThan) range.min = Number(check._zod.def.value);
    if (check instanceof z.core.$ZodCheckLessThan) range.max = Number(check._zod.def.value);
  }
  return range;
};

const kindOf = (schema: z.core.$ZodType): FieldKind => {
  if (schema instanceof z.ZodMiniBoolean) return { type: 'boolean' };
  if (schema instanceof z.ZodMiniNumber) return { type: 'number', ...numberRange(schema) };
  if (schema instanceof z.ZodMiniEnum) return { type: 'enum', values: schema.options.map(String) };
  return { type: 'string' };
};

/** Optional and default wrappers say whether a flag is required; the inner schema says its type. */
const unwrap = (
  schema: z.core.$ZodType,
): { inner: z.core.$ZodType; required: boolean; default?: unknown } => {
  if (schema instanceof z.ZodMiniOptional) return { ...unwrap(schema.def.innerType), required: false };
  if (schema instanceof z.ZodMiniDefault)
    return { inner: unwrap(schema.def.innerType).inner, required: false, default: schema.def.defaultValue };
  return { inner: schema, required: true };
};

const describeField = (command: string, field: string) =>
  FIELD_WORDS[`${command}.${field}`] ?? FIELD_WORDS[field] ?? '';

const specOf = (option: (typeof operatorCommandSchema.def.options)[number]): CommandSpec => {
  const name = String(option.shape.command.def.values[0]);
  const fields = Object.entries(option.shape)
    .filter(([field]) => field !== 'command')
    .map(([field, schema]): FieldSpec => {
      const { inner, required, default: fallback } = unwrap(schema);
      const flag = kebab(field);
      return {
        field,
        flag,
        aliases: [...(flag !== field ? [field] : []), ...(ALIASES[field] ?? [])],
        kind: kindOf(inner),
        required,
        ...(fallback !== undefined ? { default: fallback } : {}),
        description: describeField(name, field),
      };
    });
  return { name, summary: SUMMARIES[name] ?? '', fields, examples: EXAMPLES[name] ?? [] };
};

/** Every operator command, in the order of `baton --help`. */
export const COMMAND_SPECS: CommandSpec[] = (() => {
  const order = [
    'status',
    'releases',
    'history',
    'metrics',
    'watch',
    'deploy',
    'promote',
    'stop',
    'retry',
    'rollback',
    'audit',
    'approvals',
    'decide',
    'secrets-check',
    'board',
  ];
  const specs = operatorCommandSchema.def.options.map(specOf);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return specs.sort((a, b) => rank(a.name) - rank(b.name));
})();

export const findCommand = (name: string): CommandSpec | undefined =>
  COMMAND_SPECS.find((c) => c.name === name);

/** The field a flag names (by its flag, camelCase field name or alias), if any. */
export const fieldOfFlag = (spec: CommandSpec, flag: string): FieldSpec | undefined =>
  spec.fields.find((f) => f.flag === flag || f.aliases.includes(flag));
