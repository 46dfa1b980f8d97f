// The operator's `audit` command, as the audit function receives it: a re-audit of one deployment,
// asked for by whom the operator proved, signed by the operator with the approval key (HMAC-SHA256)
// and good for a few minutes. The audit function runs it only when the signature holds, so a
// hand-made invocation (a console test event) cannot name somebody else as the one who asked, nor
// skip the operator's permission check.
import { timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { keyedMac, type TokenKeys } from '../../approvals/rules/token';
import * as fields from '../../core/rules/fields';

/** How long a signed request may wait before the audit function takes it. */
export const REAUDIT_TTL_SECONDS = 300;

// Domain separation: no MAC made for an approval link (or anything else) is a valid signature here.
const CONTEXT = Buffer.from('baton-reaudit-request:r1\n', 'utf8');
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

export interface ReauditClaims {
  deploymentId: string;
  /** Who asked, as the operator proved it (the actor's text the records name). */
  by: string;
  /** Unix seconds. */
  expiresAt: number;
}

export const reauditRequestSchema = z.strictObject({
  reaudit: z.strictObject({
    deploymentId: fields.deploymentId,
    by: z.string().check(z.minLength(1), z.maxLength(4096)),
    expiresAt: z.int().check(z.nonnegative()),
    signature: z.string().check(z.regex(SIGNATURE, 'a base64url HMAC-SHA256 (43 characters)')),
  }),
});

export type ReauditRequest = z.output<typeof reauditRequestSchema>;

/** Whether an event is meant as a re-audit request (then it is held to reauditRequestSchema). */
export const isReauditRequest = (event: unknown): boolean =>
  typeof event === 'object' && event !== null && !Array.isArray(event) && 'reaudit' in event;

// The claims as one JSON array: no field's text can move into another.
const mac = (key: Uint8Array, claims: ReauditClaims): Buffer =>
  keyedMac(
    key,
    CONTEXT,
    Buffer.from(JSON.stringify([claims.deploymentId, claims.by, claims.expiresAt]), 'utf8'),
  );

export const signReaudit = (key: Uint8Array, claims: ReauditClaims): ReauditRequest => ({
  reaudit: { ...claims, signature: mac(key, claims).toString('base64url') },
});

export type ReauditRefusal = 'not signed with the approval key' | 'expired' | 'expires too late';

/** Clock skew allowed between the operator and the audit function. */
const SKEW_SECONDS = 60;

/** The signature first (current key, else the one before a rotation), then the expiry, no later than the TTL. */
export const checkReaudit = (
  keys: TokenKeys,
  request: ReauditRequest,
  now: Date,
): { ok: true } | { ok: false; reason: ReauditRefusal } => {
  const { signature, ...claims } = request.reaudit;
  // 43 base64url characters (the schema) are the 32 bytes of a digest, spelled only one way.
  const digest = Buffer.from(signature, 'base64url');
  const signed =
    digest.toString('base64url') === signature &&
    [keys.current, keys.previous].some(
      (key) => key !== undefined && timingSafeEqual(mac(key, claims), digest),
    );
  if (!signed) return { ok: false, reason: 'not signed with the approval key' };
  if (now.getTime() >= claims.expiresAt * 1000) return { ok: false, reason: 'expired' };
  // The operator signs for REAUDIT_TTL_SECONDS: a longer-lived request was not made by it.
  if (claims.expiresAt * 1000 > now.getTime() + (REAUDIT_TTL_SECONDS + SKEW_SECONDS) * 1000)
    return { ok: false, reason: 'expires too late' };
  return { ok: true };
};

/** What the audit function answers: the report, or why it did not audit (an error a caller may see). */
export const reauditAnswerSchema = z.union([
  z.strictObject({ ok: z.literal(true), result: z.record(z.string(), z.unknown()) }),
  z.strictObject({ ok: z.literal(false), kind: z.string(), error: z.string() }),
]);

export type ReauditAnswer = z.output<typeof reauditAnswerSchema>;
