// Readers for JSON request fields that answer a wrong or missing field with the AWS exception for it,
// and of a request's body.
import type { IncomingMessage } from 'node:http';
import { fail } from './errors';

export type Input = Record<string, unknown>;

export const asInput = (value: unknown): Input =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Input) : {};

export const optionalString = (input: Input, key: string): string | undefined => {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : fail('InvalidInputException', `${key} must be a string`);
};

export const requiredString = (input: Input, key: string, missing: string): string => {
  const value = optionalString(input, key);
  return value === undefined || value === '' ? fail(missing, `${key} is required`) : value;
};

export const optionalStringList = (input: Input, key: string): string[] | undefined => {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    return fail('InvalidInputException', `${key} must be a list of strings`);
  }
  return value;
};

/** Opaque paging tokens: the offset into a listing, bound to what is being listed. */
export const encodeToken = (scope: string, offset: number): string =>
  Buffer.from(JSON.stringify({ scope, offset })).toString('base64');

export const decodeToken = (token: string | undefined, scope: string): number => {
  if (token === undefined) return 0;
  try {
    const parsed = asInput(JSON.parse(Buffer.from(token, 'base64').toString('utf8')));
    if (parsed.scope === scope && typeof parsed.offset === 'number' && parsed.offset >= 0)
      return parsed.offset;
  } catch {
    // falls through to the error below
  }
  return fail('InvalidNextTokenException', 'The next token was specified in an invalid format.');
};

export const page = <T>(items: T[], scope: string, token: string | undefined, size: number) => {
  const offset = decodeToken(token, scope);
  const slice = items.slice(offset, offset + size);
  const next = offset + size < items.length ? encodeToken(scope, offset + size) : undefined;
  return { items: slice, nextToken: next };
};

/** A request's body as text. */
export const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
