// Field rules shared by event and command schemas.
import * as z from 'zod/mini';

/**
 * No lone surrogate: AWS never sends one, and such a string cannot be URL-encoded (S3 keys and version
 * ids in requests, ledger keys), so it would throw deep inside a use case instead of being refused here.
 */
export const wellFormed = () =>
  z.refine<string>((s) => !/\p{Cs}/u.test(s), 'must be well-formed Unicode (no lone surrogate)');
export const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max), wellFormed());
export const name = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, . _ - (max 100)'));
export const commit = z.string().check(z.regex(/^[0-9a-f]{7,64}$/, 'a hexadecimal commit id'));
