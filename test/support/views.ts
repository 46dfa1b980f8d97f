// What the view tests share: a view's input as its use case's type must match, and a view called as the
// CLI calls it.
import type * as z from 'zod/mini';
import { VIEWS } from '../../cli/views';

export const VIEW_NOW = new Date('2026-11-20T18:00:00.000Z');
export type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
/** A view schema's input without the index signature of loose objects (interfaces have none). */
export type Known<T> = T extends readonly (infer U)[]
  ? Known<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Known<T[K]> }
    : T;
export type Reads<S extends z.ZodMiniType> = Known<z.input<S>>;

export const show = (command: string, result: unknown, event: Record<string, unknown> = { command }) =>
  VIEWS[command]?.(result, { event, now: VIEW_NOW });
