// Renders an environment's JSON secret as a `.env` file that the `dotenv` parser (v18, its default
// parser) reads back exactly. That parser unescapes nothing but `\n` and `\r`, and only in double
// quotes, and a quote preceded by a backslash does not end a value; so each value gets the first
// form that round-trips:
//   "…"   LF and CR written as \n and \r. Not when the value holds a backslash followed by n or r
//         (dotenv would read a line break), ends in a backslash, or holds `"` together with `#`,
//         U+2028 or U+2029 (dotenv would end the value at that quote).
//   '…'   verbatim, line breaks spanning lines. Not when it holds ' or CR or ends in a backslash.
//   `…`   verbatim. Not when it holds ` or CR or ends in a backslash.
//   bare  verbatim. Only for a non-empty value without leading or trailing white space, without
//         #, CR, LF, U+2028, U+2029, that does not start with a quote.
// A value that fits none is refused by key name, never by value. So are lone UTF-16 surrogates
// (not encodable in UTF-8) and the key __proto__ (dotenv's result object cannot hold it).
// test/unit/dotenv.test.ts checks all this against the real parser with random values.
import { BatonError } from '../../core/rules/errors';

/** Names the keys a secret's values cannot be written for: not for a caller. */
export class DotenvError extends BatonError {
  override readonly expose = false;
  override readonly name = 'DotenvError';
}

export const DOTENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

const LONE_SURROGATE = /\p{Cs}/u;

type Quoting = (value: string) => string | undefined;

const doubleQuoted: Quoting = (value) => {
  if (/\\[nr]/.test(value) || value.endsWith('\\')) return undefined;
  if (value.includes('"') && /[#\u2028\u2029]/.test(value)) return undefined;
  return `"${value.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
};

const verbatim =
  (quote: string): Quoting =>
  (value) =>
    value.includes(quote) || value.includes('\r') || value.endsWith('\\')
      ? undefined
      : `${quote}${value}${quote}`;

const bare: Quoting = (value) =>
  value !== '' && value === value.trim() && !/[#\r\n\u2028\u2029]/.test(value) && !/^['"`]/.test(value)
    ? value
    : undefined;

const QUOTINGS: Quoting[] = [doubleQuoted, verbatim("'"), verbatim('`'), bare];

/** The value as dotenv writes it, or undefined when no quoting round-trips. */
export const quoteValue = (value: string): string | undefined => {
  if (LONE_SURROGATE.test(value)) return undefined;
  for (const quoting of QUOTINGS) {
    const quoted = quoting(value);
    if (quoted !== undefined) return quoted;
  }
  return undefined;
};

const scalar = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
};

export interface DotenvProblem {
  /** 1-based position of the entry in the secret (0: the secret as a whole). */
  position: number;
  /** The key, only when it is a valid name (an invalid key may be a value pasted by mistake). */
  key?: string;
  problem: string;
}

const entriesOf = (secret: unknown): [string, unknown][] | undefined =>
  typeof secret === 'object' && secret !== null && !Array.isArray(secret)
    ? Object.entries(secret)
    : undefined;

const problemOf = (key: string, value: unknown, position: number): DotenvProblem | undefined => {
  if (!DOTENV_KEY.test(key) || key === '__proto__')
    return { position, problem: 'the key is not a valid name (^[A-Za-z_][A-Za-z0-9_]*$)' };
  const text = scalar(value);
  if (text === undefined)
    return { position, key, problem: 'the value must be a string, a finite number or a boolean' };
  if (quoteValue(text) === undefined)
    return { position, key, problem: 'the value cannot be written to a .env file exactly' };
  return undefined;
};

/** Every reason the secret cannot be rendered, naming entries by position (and key when valid). */
export const dotenvProblems = (secret: unknown): DotenvProblem[] => {
  const entries = entriesOf(secret);
  if (!entries) return [{ position: 0, problem: 'the secret must be a JSON object of KEY: value' }];
  return entries.flatMap(([key, value], i) => problemOf(key, value, i + 1) ?? []);
};

export const describeProblem = (p: DotenvProblem): string =>
  `${p.position === 0 ? 'secret' : `entry ${p.position}`}${p.key ? ` (${p.key})` : ''}: ${p.problem}`;

/** The `.env` text, one KEY=value line per entry in the secret's order. Throws DotenvError. */
export const renderDotenv = (secret: unknown): string => {
  const problems = dotenvProblems(secret);
  const entries = entriesOf(secret);
  if (problems.length > 0 || !entries) throw new DotenvError(problems.map(describeProblem).join('; '));
  return entries.map(([key, value]) => `${key}=${quoteValue(scalar(value) ?? '') ?? ''}\n`).join('');
};
