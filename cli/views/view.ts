// A view: the part of an operator result a table reads (a schema), and the table. A result of another
// shape (an operator of another version) is not forced into the table: the caller prints JSON instead.
import type * as z from 'zod/mini';

export interface ViewContext {
  /** The command as sent. */
  event: Record<string, unknown>;
  now: Date;
}

export type View = (result: unknown, ctx: ViewContext) => string | undefined;

export const view =
  <S extends z.ZodMiniType>(schema: S, render: (result: z.output<S>, ctx: ViewContext) => string): View =>
  (result, ctx) => {
    const parsed = schema.safeParse(result);
    return parsed.success ? render(parsed.data, ctx) : undefined;
  };

export const text = (value: unknown): string => (typeof value === 'string' ? value : '');
