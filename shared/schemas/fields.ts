// Field rules shared by event and command schemas.
import * as z from 'zod/mini';

export const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
export const name = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, . _ - (max 100)'));
export const commit = z.string().check(z.regex(/^[0-9a-f]{7,64}$/, 'a hexadecimal commit id'));
