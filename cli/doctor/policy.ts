// Whether a role's policy statements allow an action on a resource, as IAM matches them: `*` and `?`
// wildcards, actions case-insensitive, an explicit Deny winning. Conditions are taken as met by the
// instance (they narrow who qualifies, such as ec2:SourceInstanceARN), so a conditional Deny counts
// for nothing and a conditional Allow counts as an Allow.
import * as z from 'zod/mini';
import type { PolicyStatement } from './facts';

const list = (value: string | string[] | undefined): string[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

const glob = (pattern: string, caseless: boolean): RegExp =>
  new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    caseless ? 'is' : 's',
  );

const matches = (
  positive: string[] | undefined,
  negative: string[] | undefined,
  value: string,
  caseless: boolean,
): boolean => {
  if (positive) return positive.some((p) => glob(p, caseless).test(value));
  if (negative) return !negative.some((p) => glob(p, caseless).test(value));
  return false;
};

const applies = (s: PolicyStatement, action: string, resource: string): boolean =>
  matches(list(s.Action), list(s.NotAction), action, true) &&
  matches(list(s.Resource), list(s.NotResource), resource, false);

export const allows = (statements: PolicyStatement[], action: string, resource: string): boolean =>
  statements.some((s) => s.Effect === 'Allow' && applies(s, action, resource)) &&
  !statements.some((s) => s.Effect === 'Deny' && s.Condition === undefined && applies(s, action, resource));

const names = z.optional(z.union([z.string(), z.array(z.string())]));
const statementSchema = z.looseObject({
  Effect: z.string(),
  Action: names,
  NotAction: names,
  Resource: names,
  NotResource: names,
  Condition: z.optional(z.unknown()),
});
const documentSchema = z.looseObject({
  Statement: z._default(z.union([statementSchema, z.array(statementSchema)]), []),
});

/** A policy document as IAM returns it (URL-encoded JSON); throws when it is not one. */
export const statementsOf = (document: string): PolicyStatement[] => {
  const text = document.trimStart().startsWith('{') ? document : decodeURIComponent(document);
  const { Statement } = documentSchema.parse(JSON.parse(text));
  return Array.isArray(Statement) ? Statement : [Statement];
};
