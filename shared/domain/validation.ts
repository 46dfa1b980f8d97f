// Turns schema issues into messages that name the field and the rule, never echoing the input
// (parse with `reportInput: true` so that a missing field can be told from a wrong one).
import type { $ZodIssue } from 'zod/v4/core';

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

const rule = (issue: $ZodIssue): string => {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  if (issue.code === 'invalid_type') return `must be ${issue.expected}`;
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => (PLAIN.test(k) ? k : '?')).join(', ')}`;
  if (issue.code === 'too_big') return `too long (max ${String(issue.maximum)})`;
  if (issue.code === 'too_small') return `too short (min ${String(issue.minimum)})`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_union' && issue.errors.length === 0) return 'unknown value';
  if (issue.code === 'invalid_union') return 'does not match any accepted shape';
  return issue.message;
};

// For a union, the branch that came closest explains the problem best.
const closest = (issue: $ZodIssue): $ZodIssue[] => {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
  return best.flatMap((inner) => closest({ ...inner, path: [...issue.path, ...inner.path] }));
};

export const describeIssues = (issues: readonly $ZodIssue[], prefix = ''): string[] =>
  issues.flatMap(closest).map((issue) => {
    const path = formatPath([...(prefix ? [prefix] : []), ...issue.path]);
    return `${path || '(event)'}: ${rule(issue)}`;
  });
