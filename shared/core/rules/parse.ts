// Parses input with a schema; failures become a ValidationError naming each field and rule. Reads JSON
// text that may not be JSON.
import type * as z from 'zod/mini';
import { ValidationError } from './errors';
import { describeIssues } from './validation';

export const parseWith = <S extends z.ZodMiniType>(schema: S, input: unknown, prefix = ''): z.output<S> => {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw new ValidationError(describeIssues(result.error.issues, prefix, schema));
  return result.data;
};

/** The value of JSON text, or undefined when it is not JSON (JSON.parse's message quotes the input). */
export const jsonOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
