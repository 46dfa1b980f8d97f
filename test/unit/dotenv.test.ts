// .env rendering against the real `dotenv` parser (v18, default parser): every value it accepts reads
// back exactly, and it refuses exactly the values the documented rule names.
import { parse } from 'dotenv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DotenvError, dotenvProblems, quoteValue, renderDotenv } from '../../shared/secrets/rules/dotenv';

/** Written to a file and read back, as the application does. */
const roundTrip = (text: string) => parse(Buffer.from(text, 'utf8'));

// The documented refusal rule, written out independently of the implementation.
const refused = (v: string): boolean => {
  if (/\p{Cs}/u.test(v)) return true;
  const endsInBackslash = v.endsWith('\\');
  const double = !/\\[nr]/.test(v) && !endsInBackslash && !(v.includes('"') && /[#\u2028\u2029]/.test(v));
  const single = !v.includes("'") && !v.includes('\r') && !endsInBackslash;
  const backtick = !v.includes('`') && !v.includes('\r') && !endsInBackslash;
  const bare =
    v !== '' && v === v.trim() && !/[#\r\n\u2028\u2029]/.test(v) && !['"', "'", '`'].includes(v[0] ?? '');
  return !(double || single || backtick || bare);
};

const tricky = fc.constantFrom(
  ...['a', 'Z', ' ', '\t', '\n', '\r', '"', "'", '`', '#', '$', '\\', 'n', 'r', '=', '{', '}'],
  ...['\u2028', '\u2029', '\u00a0', '\ufeff', 'é', '€', '😀', '\u0000', '$' + '{HOME}', 'export '],
);
const values = fc.oneof(
  fc.string({ unit: tricky, maxLength: 16 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constant(''),
);
const keys = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/).filter((k) => k !== '__proto__');
const secrets = fc.dictionary(keys, values, { maxKeys: 8 });

describe('.env rendering', () => {
  it('round-trips every renderable secret through the dotenv parser, in order', () => {
    fc.assert(
      fc.property(secrets, (secret) => {
        const renderable = Object.fromEntries(Object.entries(secret).filter(([, v]) => !refused(v)));
        const parsed = roundTrip(renderDotenv(renderable));
        expect(parsed).toEqual(renderable);
        expect(Object.keys(parsed)).toEqual(Object.keys(renderable));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses exactly the values of the documented rule', () => {
    fc.assert(
      fc.property(values, (value) => {
        expect(quoteValue(value) === undefined).toBe(refused(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps newlines, quotes, #, $, backslashes, unicode and empty values', () => {
    const secret = {
      PEM: '-----BEGIN PRIVATE KEY-----\nMIIEv\\nQ==\n-----END PRIVATE KEY-----\n',
      QUOTES: `he said "it's ${'`'}fine${'`'}"`,
      HASH: 'pass#word # not a comment',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${...} must survive as is
      DOLLAR: '$HOME ${USER} $(id)',
      BACKSLASH: 'C:\\new\\table\\',
      UNICODE: 'grüße 😀 \u2028 end',
      CRLF: 'line1\r\nline2',
      EMPTY: '',
      SPACES: '  padded  ',
      NUMBER: 42,
      FLAG: true,
    };
    expect(roundTrip(renderDotenv(secret))).toEqual({ ...secret, NUMBER: '42', FLAG: 'true' });
  });

  it('writes one line per key for a single-line value', () => {
    expect(renderDotenv({ A: 'x', B: 'two words', C: '' })).toBe('A="x"\nB="two words"\nC=""\n');
  });

  it('names a bad key by its position, never by its text or value', () => {
    const canary = 'CANARY-7f3a9c';
    const render = () => renderDotenv({ GOOD: 'ok', [`${canary} key`]: canary, 'bad-key': 'v' });
    expect(render).toThrow(DotenvError);
    expect(render).toThrow(/entry 2: the key is not a valid name.*entry 3: the key is not a valid name/);
    expect(() => render()).not.toThrow(new RegExp(canary));
  });

  it('names an unrenderable or non-scalar value by its key, never by its value', () => {
    // ' ` and CR rule out every verbatim form; a literal \n rules out double quotes.
    const secret = { OK: 'fine', BAD: "it's `C:\\new`\r", NESTED: { a: 1 }, NOTHING: null };
    expect(dotenvProblems(secret)).toEqual([
      { position: 2, key: 'BAD', problem: 'the value cannot be written to a .env file exactly' },
      { position: 3, key: 'NESTED', problem: 'the value must be a string, a finite number or a boolean' },
      { position: 4, key: 'NOTHING', problem: 'the value must be a string, a finite number or a boolean' },
    ]);
    expect(() => renderDotenv(secret)).toThrow(
      'entry 2 (BAD): the value cannot be written to a .env file exactly',
    );
  });

  it('refuses a secret that is not a JSON object, and the key __proto__', () => {
    expect(() => renderDotenv(['A=1'])).toThrow('secret: the secret must be a JSON object of KEY: value');
    expect(() => renderDotenv(JSON.parse('{"__proto__": "x"}'))).toThrow(
      'entry 1: the key is not a valid name',
    );
  });

  it('renders an empty secret as an empty file', () => {
    expect(renderDotenv({})).toBe('');
  });
});
