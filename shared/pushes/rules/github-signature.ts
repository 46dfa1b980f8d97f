// GitHub's delivery signature: X-Hub-Signature-256 is `sha256=` and the hex HMAC-SHA256 of the raw
// body under the webhook secret. node:crypto rather than @octokit/webhooks-methods: its `verify` takes
// the body as a string, and only the exact bytes GitHub signed verify (a base64 body need not be
// UTF-8); timingSafeEqual compares in constant time, and the length it checks first is public (71).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureOf = (secret: Uint8Array, body: Uint8Array): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** True when `header` is the signature of `body` under one of `secrets` (current, then previous). */
export const signedBy = (header: string | undefined, body: Uint8Array, secrets: readonly Uint8Array[]) => {
  if (!header) return false;
  const given = Buffer.from(header, 'utf8');
  let valid = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signatureOf(secret, body), 'utf8');
    // Every secret is tried, so the time taken does not tell which one matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  return valid;
};
