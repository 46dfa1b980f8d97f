// Text that Baton did not write (approvers' comments, instances' log output) as it goes into an
// email: printable, bounded, and quoted under whom it came from, so it cannot pass for Baton's words.

// Escape sequences whole: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), and two-character escapes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding escape sequences is the point
const ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[ -~])?/g;
const CSI_8BIT = /\u009b[0-?]*[ -/]*[@-~]?/g;
// What a CSI sequence leaves once something upstream dropped its ESC: "[31m", "[0m", "[2K", "[?25l".
const ESCAPE_REMAINS = /\[\d{1,3}(?:;\d{1,3})*m|\[m(?![A-Za-z])|\[\??\d{1,3}(?:;\d{1,3})*[A-DGHJKhl]/g;
// Control characters but the newline, and the invisible ones that reorder or hide text (bidi
// overrides, zero widths).
const CONTROLS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const once = (s: string): string =>
  s
    .replace(ESCAPES, '')
    .replace(CSI_8BIT, '')
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(/\t/g, '  ')
    .replace(CONTROLS, '')
    .replace(ESCAPE_REMAINS, '');

/** Only printable characters and newlines; no escape sequences, nor what is left of them. */
export const plainText = (text: string): string => {
  let out = text.replace(LONE_SURROGATE, '\ufffd');
  for (let next = once(out); next !== out; next = once(out)) out = next;
  return out;
};

/** At most `max` characters, an ellipsis marking the cut. */
export const bounded = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 1).replace(/[\ud800-\udbff]$/, '')}…` : text;

export const COMMENT_CHARS = 1000;
export const COMMENT_LINES = 20;

/**
 * Outside text under a line naming its author, every line prefixed "> " (as mail clients quote):
 * "Comment from alice@example.com:" then "> Looks good.". Blank runs collapse; lines are bounded.
 */
export const quoted = (
  heading: string,
  text: string,
  { indent = '', maxChars = COMMENT_CHARS, maxLines = COMMENT_LINES } = {},
): string[] => {
  const lines = bounded(plainText(text).replace(/^\s*\n|\s+$/g, ''), maxChars)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l, i, all) => l !== '' || all[i - 1] !== '');
  const kept = lines.length > maxLines ? [...lines.slice(0, maxLines - 1), '…'] : lines;
  return [`${indent}${oneLine(heading, 200)}`, ...kept.map((l) => `${indent}>${l ? ` ${l}` : ''}`)];
};

/** A name or label from outside on one line: printable, bounded, whitespace runs as one space. */
export const oneLine = (text: string, max: number): string =>
  bounded(plainText(text).replace(/\s+/g, ' ').trim(), max);
