// X-Hub-Signature-256, checked against GitHub's documented test values and against octokit's own signer.
import { sign, verify } from '@octokit/webhooks-methods';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signatureOf, signedBy } from '../../shared/pushes/rules/github-signature';

const bytes = (s: string) => Buffer.from(s, 'utf8');
// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
const SECRET = "It's a Secret to Everybody";
const PAYLOAD = 'Hello, World!';
const SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe('the delivery signature', () => {
  it("gives GitHub's documented signature for its test values", () => {
    expect(signatureOf(bytes(SECRET), bytes(PAYLOAD))).toBe(SIGNATURE);
    expect(signedBy(SIGNATURE, bytes(PAYLOAD), [bytes(SECRET)])).toBe(true);
  });

  it('refuses a missing, wrong, truncated or differently cased signature, and another body', () => {
    for (const header of [
      undefined,
      '',
      'sha256=',
      SIGNATURE.slice(0, -1),
      SIGNATURE.toUpperCase(),
      `sha1=${SIGNATURE.slice(7)}`,
    ])
      expect(signedBy(header, bytes(PAYLOAD), [bytes(SECRET)]), String(header)).toBe(false);
    expect(signedBy(SIGNATURE, bytes('Hello, World?'), [bytes(SECRET)])).toBe(false);
  });

  it('accepts the previous secret beside the current one (a rotation), and no other', () => {
    expect(signedBy(SIGNATURE, bytes(PAYLOAD), [bytes('new secret'), bytes(SECRET)])).toBe(true);
    expect(signedBy(SIGNATURE, bytes(PAYLOAD), [bytes('new secret'), bytes('older')])).toBe(false);
    expect(signedBy(SIGNATURE, bytes(PAYLOAD), [])).toBe(false);
  });

  // octokit refuses an empty secret or body; GitHub never sends an empty body.
  it('agrees with @octokit/webhooks-methods on any secret and body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, unit: 'binary' }),
        fc.string({ minLength: 1, unit: 'binary' }),
        async (secret, body) => {
          const theirs = await sign(secret, body);
          expect(signatureOf(bytes(secret), bytes(body))).toBe(theirs);
          expect(await verify(secret, body, signatureOf(bytes(secret), bytes(body)))).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
