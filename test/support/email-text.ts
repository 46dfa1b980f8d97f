// What must never reach an email from outside text: control characters (the newline aside) and the
// invisible characters that reorder or hide text.
const INVISIBLE = new Set([0x061c, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff]);

const unsafe = (code: number) =>
  (code < 0x20 && code !== 0x0a) ||
  (code >= 0x7f && code <= 0x9f) ||
  (code >= 0x200b && code <= 0x200f) ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069) ||
  INVISIBLE.has(code);

/** The unsafe characters in `text`, as code points ("U+001B"), for a readable failure. */
export const unsafeIn = (text: string): string[] =>
  [...text]
    .map((ch) => ch.codePointAt(0) ?? 0)
    .filter(unsafe)
    .map((c) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`);
