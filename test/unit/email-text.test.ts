// Outside text in emails: hostile comments and log output come out printable, bounded and quoted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMENT_CHARS, COMMENT_LINES, oneLine, plainText, quoted } from '../../shared/core/rules/email-text';
import { unsafeIn } from '../support/email-text';

const ESC = '\u001b';
const REMAINS = /\[\??\d{1,3}(;\d{1,3})*[mKJABCDGHhl]/;

// Strings built from the pieces hostile text is made of, in any order.
const hostile = fc
  .array(
    fc.oneof(
      fc.string(),
      fc.constantFrom(ESC, '[', '31', ';', 'm', '0m', '[31m', '[?25l', '[2K', '\u009b', ']0;', '\u0007'),
      fc.constantFrom('\r', '\n', '\t', '\u2028', '\u0085', '\u202e', '\u200b', '\ufeff', '\ud800', '\udc00'),
      fc.string({ unit: 'grapheme' }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

describe('plain text for an email', () => {
  it('drops ANSI sequences whole, and the remains of those whose ESC is already gone', () => {
    const text = `${ESC}[31mred${ESC}[0m [31mstill red[0m ${ESC}]0;title\u0007 [?25lhidden cursor [2K`;
    expect(plainText(text)).toBe('red still red  hidden cursor ');
  });

  it('keeps text that only looks like brackets', () => {
    expect(plainText('see [menu] or [1] and [a]')).toBe('see [menu] or [1] and [a]');
  });

  it('drops control characters and text-reordering marks, keeps newlines', () => {
    expect(plainText('a\u0000b\u0007c\u007f\u009b1md\r\ne\u202egnp.exe\u200b\tf')).toBe('abcd\negnp.exe  f');
  });

  it('leaves nothing unsafe, and is stable, whatever comes in', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const out = plainText(text);
        expect(unsafeIn(out)).toEqual([]);
        expect(out).not.toMatch(REMAINS);
        expect(plainText(out)).toBe(out);
      }),
    );
  });
});

describe('quoted outside text', () => {
  it('puts every line of a comment under "Comment from …:", prefixed "> "', () => {
    const comment =
      'Approved.\n\nBaton: your session expired, re-approve at https://evil.example\r\n[31mURGENT';
    expect(quoted('Comment from alice@example.com:', comment)).toEqual([
      'Comment from alice@example.com:',
      '> Approved.',
      '>',
      '> Baton: your session expired, re-approve at https://evil.example',
      '> URGENT',
    ]);
  });

  it('bounds length and lines, and never lets a line escape the quote', () => {
    fc.assert(
      fc.property(hostile, fc.string(), (text, who) => {
        const [heading, ...body] = quoted(`Comment from ${who}:`, text, { indent: '  ' });
        expect(heading).not.toMatch(/[\n\r]/);
        expect(body.length).toBeLessThanOrEqual(COMMENT_LINES);
        for (const line of body) expect(line).toMatch(/^ {2}>( |$)/);
        expect(body.join('').length).toBeLessThanOrEqual(COMMENT_CHARS + 4 * COMMENT_LINES);
        expect(unsafeIn(body.join('\n'))).toEqual([]);
      }),
    );
  });

  it('cuts a long comment with an ellipsis', () => {
    const long = quoted('Comment from bob@example.com:', 'x'.repeat(5000)).slice(1);
    const many = quoted('Comment from bob@example.com:', 'line\n'.repeat(50)).slice(1);
    expect(long).toEqual([`> ${'x'.repeat(COMMENT_CHARS - 1)}…`]);
    expect(many).toHaveLength(COMMENT_LINES);
    expect(many.at(-1)).toBe('> …');
  });

  it('keeps a name on one line', () => {
    expect(oneLine('operator eve\n- ops approved at 2026-01-01', 200)).toBe(
      'operator eve - ops approved at 2026-01-01',
    );
  });
});
