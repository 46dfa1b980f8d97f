// Hostile events for the fuzz tests: sample events of events/ with one field, anywhere in them (inside
// JSON carried in strings too, such as an SNS message or a request body), replaced by a wrong type, a
// huge string, unicode, an injection string or a deep nest, deleted, wrapped in an array, or joined by
// a hostile key (__proto__ and constructor included); or something that is no event at all.
import fc from 'fast-check';
import { loadEvent } from './fixtures';

/** Planted in every secret the fuzzed functions can reach; must never come out of them. */
export const CANARY = 'canary-fuzz-5ecr3t-7d41c0de';
export const CANARY_KEY = Buffer.from(`baton-approval-key-${CANARY}`, 'utf8');

/** A refusal that names the field: `Records[0].s3.object.key: required`, or `(event): …` for the whole. */
export const NAMES_A_FIELD = /^(\(event\)|[A-Za-z0-9_.[\]?-]+): \S/;

export const INJECTIONS = [
  '../',
  '../../../../etc/passwd',
  '..%2f..%2fledger%2f',
  'artifacts/web/../../ledger/slots/web/dev.json',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE ledger; --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder is the injection.
  '${process.env.AWS_SECRET_ACCESS_KEY}',
  '{{constructor.constructor("return process")()}}',
  '$(reboot)',
  '`id`',
  'line\r\nSet-Cookie: baton=1',
  'nul\u0000byte',
  '%00',
  '%',
  '\u202egnp.exe',
  '\ud800',
  'refs/heads/../../main',
  'refs/tags/v1.2.0\nrefs/tags/v9.9.9',
  'd-A1B2C3D4E\n',
  '__proto__',
  'constructor',
];
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ...INJECTIONS];

/** An object that really owns `__proto__` and `constructor` keys, as JSON.parse makes them. */
const pollution = () =>
  JSON.parse(
    '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}',
  ) as unknown;

const huge = fc
  .tuple(
    fc.constantFrom('A', 'é', '😀', '../', '<script>', '\u0000', '%', '{"a":'),
    fc.integer({ min: 100_000, max: 200_000 }),
  )
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));

const deep = fc.tuple(fc.integer({ min: 100, max: 3000 }), fc.boolean()).map(([depth, arrays]) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
});

const wrongType = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    undefined,
    true,
    false,
    0,
    -1,
    1.5,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    [],
    {},
  ),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Anything that should not be where a field of an event is. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: wrongType },
  { weight: 1, arbitrary: huge },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 1, arbitrary: fc.constant(null).map(pollution) },
  { weight: 1, arbitrary: deep },
);

/** Text that is valid JSON yet troublesome: lone surrogates, direction overrides, zero width, NUL. */
const ODD_UNICODE = [
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\u0000',
  'e\u0301',
  '😀',
  '\u2028',
];

const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_UNICODE) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }) },
  { weight: 1, arbitrary: huge },
);

const hostileKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_KEYS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: huge.map((s) => s.slice(0, 100_000)) },
);

type Holder = Record<string | number, unknown>;
type Damage = 'replace' | 'splice' | 'delete' | 'add-key' | 'wrap-in-array' | 'as-string';

/** Every object and array in the event, JSON in strings included (re-serialised after the damage). */
const holdersOf = (event: unknown) => {
  const holders: Holder[] = [];
  const strings: { holder: Holder; field: string }[] = [];
  const nested: { parent: Holder; field: string; doc: Holder }[] = [];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    const holder = v as Holder;
    holders.push(holder);
    for (const [field, child] of Object.entries(holder)) {
      if (typeof child === 'string' && child.startsWith('{')) {
        try {
          const doc = JSON.parse(child) as Holder;
          nested.push({ parent: holder, field, doc });
          walk(doc);
        } catch {
          strings.push({ holder, field });
        }
      } else if (typeof child === 'string') strings.push({ holder, field });
      else walk(child);
    }
  };
  walk(event);
  return { holders, strings, nested };
};

const damage = (
  event: unknown,
  pick: number,
  how: Damage,
  value: unknown,
  key: string,
  text: string,
): unknown => {
  const { holders, strings, nested } = holdersOf(event);
  const holder = holders[pick % Math.max(1, holders.length)];
  if (!holder) return value;
  const fields = Object.keys(holder);
  const field = fields[Math.floor(pick / 997) % Math.max(1, fields.length)] ?? key;
  // Into one of the event's strings: past the prefix and layout checks, into what follows them.
  const leaf = strings[pick % Math.max(1, strings.length)];
  if (how === 'splice' && leaf) {
    const current = String(leaf.holder[leaf.field]);
    const at = Math.floor(pick / 31) % (current.length + 1);
    leaf.holder[leaf.field] = current.slice(0, at) + text + current.slice(at);
  } else if (how === 'replace' || how === 'splice') holder[field] = value;
  else if (how === 'delete') delete holder[field];
  else if (how === 'wrap-in-array') holder[field] = [holder[field]];
  else if (how === 'as-string') holder[field] = JSON.stringify(holder[field]) ?? 'undefined';
  // Into an array, what JSON can carry: one more element (an array holds no other keys, and its
  // `length` cannot be redefined).
  else if (Array.isArray(holder)) holder.push(value);
  // defineProperty, so that `__proto__` becomes an own key as in parsed JSON, not the prototype.
  else Object.defineProperty(holder, key, { value, enumerable: true, writable: true, configurable: true });
  for (const n of nested.reverse()) n.parent[n.field] = JSON.stringify(n.doc);
  return event;
};

/** A sample of events/ with one damage. */
export const damagedEvent = (samples: readonly string[], extra: readonly unknown[] = []) =>
  fc
    .record({
      sample: fc.nat(samples.length + extra.length - 1),
      pick: fc.nat(),
      how: fc.constantFrom<Damage>(
        'replace',
        'replace',
        'splice',
        'splice',
        'delete',
        'add-key',
        'wrap-in-array',
        'as-string',
      ),
      value: hostileValue,
      key: hostileKey,
      text: hostileText,
    })
    .map(({ sample, pick, how, value, key, text }) => {
      const path = samples[sample];
      const event = path ? loadEvent(path) : structuredClone(extra[sample - samples.length]);
      return damage(event, pick, how, value, key, text);
    });

/** Mostly damaged samples; sometimes no event at all (a string, an array, a deep nest, null). */
export const fuzzEvent = (
  samples: readonly string[],
  extra: readonly unknown[] = [],
): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 8, arbitrary: damagedEvent(samples, extra) },
    { weight: 1, arbitrary: hostileValue },
    { weight: 1, arbitrary: fc.array(damagedEvent(samples, extra), { minLength: 1, maxLength: 2 }) },
  );

/** No prototype was polluted by what a handler did with `__proto__` or `constructor` keys. */
export const prototypeIntact = () =>
  !('polluted' in Object.prototype) && !('polluted' in {}) && !('polluted' in Array.prototype);

/** The canary in any spelling a leak could take: as is, base64, hex. */
export const leaks = (text: string) =>
  [CANARY, Buffer.from(CANARY).toString('base64').slice(0, 24), CANARY_KEY.toString('hex').slice(0, 32)].some(
    (spelling) => text.includes(spelling),
  );
