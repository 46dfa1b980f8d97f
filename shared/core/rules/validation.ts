// Turns schema issues into messages that name the field and the rule, never echoing the input
// (parse with `reportInput: true` so that a missing field can be told from a wrong one).
import type { $ZodIssue, $ZodType } from 'zod/v4/core';
import { nearest } from './suggest';

// Keys of records and unknown fields come from the input: a name that is not plain is not repeated
// (it may be 100 KB long, or carry line breaks or markup into a log line or a page).
const PLAIN = /^[A-Za-z0-9_.-]{1,100}$/;

export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    const name = String(part);
    if (!PLAIN.test(name)) return `${out}[?]`;
    return out === '' ? name : `${out}.${name}`;
  }, '');

// The field names an object schema at `path` knows (all branches of a union), for "did you mean".
type Def = {
  type: string;
  shape?: Record<string, $ZodType>;
  innerType?: $ZodType;
  valueType?: $ZodType;
  element?: $ZodType;
  in?: $ZodType;
  options?: $ZodType[];
};
const defOf = (schema: $ZodType): Def => schema._zod.def as unknown as Def;
const fieldsAt = (schema: $ZodType | undefined, path: readonly PropertyKey[]): string[] => {
  if (!schema) return [];
  const def = defOf(schema);
  const wrapped = def.innerType ?? def.in;
  if (wrapped) return fieldsAt(wrapped, path);
  if (def.type === 'union') return (def.options ?? []).flatMap((o) => fieldsAt(o, path));
  const [head, ...rest] = path;
  if (head === undefined) return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
  if (def.type === 'object') return fieldsAt(def.shape?.[String(head)], rest);
  if (def.type === 'record') return fieldsAt(def.valueType, rest);
  if (def.type === 'array') return fieldsAt(def.element, rest);
  return [];
};

const unknownField = (key: string, known: readonly string[]) => {
  if (!PLAIN.test(key)) return '?';
  const near = nearest(key, known);
  return near ? `${key} (did you mean ${near}?)` : key;
};

const rule = (issue: $ZodIssue, schema?: $ZodType): string => {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  if (issue.code === 'invalid_type') return `must be ${issue.expected}`;
  if (issue.code === 'unrecognized_keys') {
    const known = fieldsAt(schema, issue.path);
    return `unknown field(s) ${issue.keys.map((k) => unknownField(k, known)).join(', ')}`;
  }
  if (issue.code === 'invalid_format' && issue.format === 'email') return 'must be an email address';
  if (issue.code === 'too_big') return `too long (max ${String(issue.maximum)})`;
  if (issue.code === 'too_small') return `too short (min ${String(issue.minimum)})`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_union' && issue.errors.length === 0) return 'unknown value';
  if (issue.code === 'invalid_union') return 'does not match any accepted shape';
  return issue.message;
};

// For a union, the branch that came closest explains the problem best: one whose shape the input
// has (an object for an object branch), then the one with the fewest issues.
const mismatch = (errors: readonly $ZodIssue[]) =>
  errors.every((e) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_value'));
const score = (errors: readonly $ZodIssue[]) => (mismatch(errors) ? 1000 : 0) + errors.length;
const closest = (issue: $ZodIssue): $ZodIssue[] => {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const best = [...issue.errors].sort((a, b) => score(a) - score(b))[0] ?? [];
  return best.flatMap((inner) => closest({ ...inner, path: [...issue.path, ...inner.path] }));
};

/**
 * `schema`, when given, lets an unknown field name the known one it is nearest to; `root` names the
 * input itself when the issue is about it as a whole.
 */
export const describeIssues = (
  issues: readonly $ZodIssue[],
  prefix = '',
  schema?: $ZodType,
  root = '(event)',
): string[] =>
  issues.flatMap(closest).map((issue) => {
    const path = formatPath([...(prefix ? [prefix] : []), ...issue.path]);
    return `${path || root}: ${rule(issue, schema)}`;
  });
