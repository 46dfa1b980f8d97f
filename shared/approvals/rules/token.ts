// Approval link tokens: HMAC-SHA256 over (approval id, approver, expiry), so a link is bound to one
// approval and one approver and stops working at its expiry. Pure: the keys are passed in. The current
// and the previous key both verify, so the key can be rotated without breaking links already sent.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenKeys {
  current: Uint8Array;
  /** The key before the last rotation; links it signed stay valid until they expire. */
  previous?: Uint8Array;
}

/** Where the keys come from (Secrets Manager in Lambda); `refresh` asks for a fresh read. */
/** `signing`: only the current key is needed (no previous one to verify old links with). */
export type TokenKeySource = (options?: { refresh?: boolean; signing?: boolean }) => Promise<TokenKeys>;

export interface TokenClaims {
  approvalId: string;
  approver: string;
  /** Whole seconds: the token carries the expiry as a Unix time. */
  expiresAt: Date;
}

export type TokenRefusal = 'malformed' | 'tampered' | 'wrong-approval' | 'expired';

export type TokenCheck =
  | { ok: true; claims: TokenClaims; key: 'current' | 'previous' }
  | { ok: false; reason: TokenRefusal; claims?: TokenClaims };

const VERSION = 'a1';
const DIGEST_BYTES = 32;
const MAX_TOKEN_LENGTH = 1024;
const MIN_KEY_BYTES = 16;
// Domain separation: a MAC made for anything else with the same key is never a valid token.
const CONTEXT = Buffer.from(`baton-approval-token:${VERSION}\n`, 'utf8');

const encode = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/**
 * Base64url has several spellings of the same bytes (the unused bits of the last character); only the
 * canonical spelling is accepted, so no character of a token can change without it being refused.
 */
const decode = (text: string): Buffer | undefined => {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return encode(bytes) === text ? bytes : undefined;
};

/**
 * HMAC-SHA256 with the approval key over a context of its own and the payload: every MAC Baton makes
 * with that key (links here, the operator's re-audit requests) is made here, each in its own context.
 */
export const keyedMac = (key: Uint8Array, context: Uint8Array, payload: Uint8Array): Buffer => {
  if (key.length < MIN_KEY_BYTES)
    throw new Error(`approval token key must have at least ${MIN_KEY_BYTES} bytes`);
  return createHmac('sha256', key).update(context).update(payload).digest();
};

const mac = (key: Uint8Array, payload: Uint8Array): Buffer => keyedMac(key, CONTEXT, payload);

const FIELD = /^[^\n]{1,320}$/;

const payloadOf = (claims: TokenClaims): Buffer => {
  const seconds = Math.floor(claims.expiresAt.getTime() / 1000);
  if (!FIELD.test(claims.approvalId) || !FIELD.test(claims.approver) || !Number.isSafeInteger(seconds))
    throw new Error('approval token claims: approval id and approver must be one line; expiry a date');
  return Buffer.from(`${claims.approvalId}\n${claims.approver}\n${seconds}`, 'utf8');
};

const claimsOf = (payload: Buffer): TokenClaims | undefined => {
  const [approvalId, approver, seconds, ...rest] = payload.toString('utf8').split('\n');
  if (rest.length > 0 || !approvalId || !approver || !seconds || !/^\d{1,12}$/.test(seconds))
    return undefined;
  return { approvalId, approver, expiresAt: new Date(Number(seconds) * 1000) };
};

/** A URL-safe token: `a1.<payload>.<mac>`, both parts base64url. */
export const signToken = (key: Uint8Array, claims: TokenClaims): string => {
  const payload = payloadOf(claims);
  return `${VERSION}.${encode(payload)}.${encode(mac(key, payload))}`;
};

const matches = (key: Uint8Array | undefined, payload: Buffer, digest: Buffer): boolean =>
  key !== undefined && timingSafeEqual(mac(key, payload), digest);

/**
 * Checks a token for an approval at a moment. The MAC is checked first (with both keys, digests of the
 * same fixed length compared in constant time), so nothing unsigned is ever trusted; then the approval
 * it names, then its expiry.
 */
export const verifyToken = (
  keys: TokenKeys,
  token: unknown,
  expected: { approvalId: string; now: Date },
): TokenCheck => {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const payload = decode(parts[1] ?? '');
  const digest = decode(parts[2] ?? '');
  if (!payload || !digest || digest.length !== DIGEST_BYTES) return { ok: false, reason: 'tampered' };
  const byCurrent = matches(keys.current, payload, digest);
  const byPrevious = matches(keys.previous, payload, digest);
  if (!byCurrent && !byPrevious) return { ok: false, reason: 'tampered' };
  const claims = claimsOf(payload);
  if (!claims) return { ok: false, reason: 'malformed' };
  if (claims.approvalId !== expected.approvalId) return { ok: false, reason: 'wrong-approval', claims };
  if (expected.now.getTime() >= claims.expiresAt.getTime()) return { ok: false, reason: 'expired', claims };
  return { ok: true, claims, key: byCurrent ? 'current' : 'previous' };
};
