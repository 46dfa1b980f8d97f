// Approval link tokens: pure rules, checked on random input (fast-check).
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signToken, type TokenClaims, verifyToken } from '../../shared/approvals/rules/token';

const KEY = Buffer.from('k'.repeat(32));
const OLD_KEY = Buffer.from('o'.repeat(32));
const NOW = new Date('2026-11-20T18:00:00Z');
const LATER = new Date('2026-11-23T18:00:00Z');

const claimsArb = fc.record({
  approvalId: fc.stringMatching(/^[0-9a-f]{20}$/),
  approver: fc.emailAddress(),
  expiresAt: fc.integer({ min: 1, max: 4_000_000_000 }).map((s) => new Date(s * 1000)),
});
const justBefore = (c: TokenClaims) => new Date(c.expiresAt.getTime() - 1);
// Every character a URL or a mail client could plausibly put in its place.
const replacementArb = fc.constantFrom(
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/% ~'.split(''),
);

describe('approval tokens', () => {
  it('verify with the key that signed them, naming the approval, the approver and the expiry', () => {
    // Prepare
    const claims = { approvalId: 'a'.repeat(20), approver: 'release-manager@example.com', expiresAt: LATER };
    // Act
    const check = verifyToken({ current: KEY }, signToken(KEY, claims), {
      approvalId: claims.approvalId,
      now: NOW,
    });
    // Assess
    expect(check).toEqual({ ok: true, claims, key: 'current' });
  });

  it('are URL-safe and short enough for any link', () => {
    fc.assert(
      fc.property(claimsArb, (claims) => {
        const token = signToken(KEY, claims);
        expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
        expect(encodeURIComponent(token)).toBe(token);
        expect(token.length).toBeLessThan(600);
      }),
    );
  });

  it('refuse any change to any one character of a token', () => {
    fc.assert(
      fc.property(claimsArb, fc.nat(), replacementArb, (claims, at, replacement) => {
        // Prepare
        const token = signToken(KEY, claims);
        const i = at % token.length;
        fc.pre(token[i] !== replacement);
        const edited = token.slice(0, i) + replacement + token.slice(i + 1);
        // Act
        const check = verifyToken({ current: KEY, previous: OLD_KEY }, edited, {
          approvalId: claims.approvalId,
          now: justBefore(claims),
        });
        // Assess
        expect(check.ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuse tokens cut short, extended, or with characters inserted or removed', () => {
    fc.assert(
      fc.property(claimsArb, fc.nat(), fc.string({ minLength: 1, maxLength: 3 }), (claims, at, extra) => {
        const token = signToken(KEY, claims);
        const i = at % (token.length + 1);
        const expected = { approvalId: claims.approvalId, now: justBefore(claims) };
        expect(verifyToken({ current: KEY }, token.slice(0, i) + extra + token.slice(i), expected).ok).toBe(
          false,
        );
        if (i < token.length)
          expect(verifyToken({ current: KEY }, token.slice(0, i) + token.slice(i + 1), expected).ok).toBe(
            false,
          );
      }),
      { numRuns: 1000 },
    );
  });

  it('refuse a token signed with any other key as tampered', () => {
    fc.assert(
      fc.property(claimsArb, fc.uint8Array({ minLength: 16, maxLength: 64 }), (claims, other) => {
        fc.pre(!Buffer.from(other).equals(KEY));
        const check = verifyToken({ current: KEY }, signToken(other, claims), {
          approvalId: claims.approvalId,
          now: justBefore(claims),
        });
        expect(check).toEqual({ ok: false, reason: 'tampered' });
      }),
    );
  });

  it('expire at their expiry to the second, and not before', () => {
    fc.assert(
      fc.property(claimsArb, fc.integer({ min: -10_000_000, max: 10_000_000 }), (claims, offsetMs) => {
        const now = new Date(claims.expiresAt.getTime() + offsetMs);
        const check = verifyToken({ current: KEY }, signToken(KEY, claims), {
          approvalId: claims.approvalId,
          now,
        });
        if (offsetMs < 0) expect(check.ok).toBe(true);
        else expect(check).toMatchObject({ ok: false, reason: 'expired' });
      }),
    );
  });

  it('belong to one approval: a valid token for another approval is refused as the wrong approval', () => {
    // Prepare
    const claims = { approvalId: '1'.repeat(20), approver: 'a@example.com', expiresAt: LATER };
    // Act
    const check = verifyToken({ current: KEY }, signToken(KEY, claims), {
      approvalId: '2'.repeat(20),
      now: NOW,
    });
    // Assess
    expect(check).toEqual({ ok: false, reason: 'wrong-approval', claims });
  });

  it('survive one key rotation (previous key) and not two', () => {
    // Prepare: a link signed before the rotation, another after it.
    const claims = { approvalId: 'b'.repeat(20), approver: 'a@example.com', expiresAt: LATER };
    const oldLink = signToken(OLD_KEY, claims);
    const newLink = signToken(KEY, claims);
    const expected = { approvalId: claims.approvalId, now: NOW };
    const third = randomBytes(32);
    // Act and assess
    expect(verifyToken({ current: OLD_KEY }, oldLink, expected)).toMatchObject({ ok: true, key: 'current' });
    expect(verifyToken({ current: KEY, previous: OLD_KEY }, oldLink, expected)).toMatchObject({
      ok: true,
      key: 'previous',
    });
    expect(verifyToken({ current: KEY, previous: OLD_KEY }, newLink, expected)).toMatchObject({
      ok: true,
      key: 'current',
    });
    expect(verifyToken({ current: third, previous: KEY }, oldLink, expected)).toEqual({
      ok: false,
      reason: 'tampered',
    });
  });

  it('refuse what is not a token at all as malformed', () => {
    const expected = { approvalId: 'c'.repeat(20), now: NOW };
    expect(verifyToken({ current: KEY }, undefined, expected)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken({ current: KEY }, 'x'.repeat(2000), expected)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyToken({ current: KEY }, 'a1.only-two', expected)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyToken({ current: KEY }, 'a2.YQ.YQ', expected)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken({ current: KEY }, 'a1.YQ.YQ', expected)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('refuse to sign with a short key or with claims that would not round-trip', () => {
    const claims = { approvalId: 'd'.repeat(20), approver: 'a@example.com', expiresAt: LATER };
    expect(() => signToken(Buffer.from('short'), claims)).toThrow(/at least 16 bytes/);
    expect(() => signToken(KEY, { ...claims, approver: 'a@example.com\nb' })).toThrow(/one line/);
  });
});
