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
/**
 * A git object name (40 hex digits for SHA-1, 64 for SHA-256; git reads either case), kept lowercase,
 * or as git takes it, a unique prefix of at least 4 digits.
 */
export const commit = z.pipe(
  z.string().check(z.regex(/^[0-9a-fA-F]{4,64}$/, 'a hexadecimal commit id (4 to 64 digits)')),
  z.transform((s) => s.toLowerCase()),
);

const codePoints = (s: string) => {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
};

/** A string of `min` to `max` characters, counted as AWS counts them (code points). */
export const awsString = (min: number, max: number, what: string) =>
  z.string().check(
    z.maxLength(2 * max, `${what}: ${min} to ${max} characters`),
    z.refine((s) => codePoints(s) >= min && codePoints(s) <= max, `${what}: ${min} to ${max} characters`),
    wellFormed(),
  );

/**
 * CodeDeploy's API model types a deployment id as a plain string, with no pattern and no length: its
 * ids are d- and 9 characters today, but nothing promises it. The bound keeps every ledger key that
 * names a deployment within S3's 1,024 bytes, even percent-encoded.
 */
export const DEPLOYMENT_ID_MAX = 64;
export const deploymentId = awsString(1, DEPLOYMENT_ID_MAX, 'a CodeDeploy deployment id');
/** ApplicationName, DeploymentGroupName and DeploymentConfigName: 1-100 characters, no pattern (API model). */
export const codedeployName = awsString(1, 100, 'a CodeDeploy name');
