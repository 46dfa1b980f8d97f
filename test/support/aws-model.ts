// Checks a value against a shape of an AWS API model (the JSON model format AWS's SDKs are generated
// from): structure members and required members, lists, maps, and the string, number, timestamp,
// boolean and blob rules (min, max, pattern, enum). Answers one "path: rule" line per violation.

export interface MemberRef {
  shape: string;
  location?: string;
  locationName?: string;
}

export interface Shape {
  type: string;
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
}

export interface Model {
  metadata: { apiVersion: string; protocol: string; targetPrefix?: string };
  operations: Record<string, { input?: MemberRef; output?: MemberRef }>;
  shapes: Record<string, Shape>;
}

/**
 * AWS patterns are Java regular expressions that the whole value must match (CodeCommit's
 * RepositoryName is `[\w\.-]+`, documented as "letters, numbers, periods, underscores, and dashes").
 */
export const patternOf = (pattern: string): RegExp => {
  const whole = `^(?:${pattern})$`;
  try {
    return new RegExp(whole, 'u');
  } catch {
    return new RegExp(whole);
  }
};

/** Lengths count Unicode code points, as AWS's length constraints do. */
const lengthOf = (s: string) => [...s].length;

const bounds = (shape: Shape, size: number, unit: string): string[] => {
  if (shape.min !== undefined && size < shape.min) return [`${size} ${unit}, below the minimum ${shape.min}`];
  if (shape.max !== undefined && size > shape.max) return [`${size} ${unit}, above the maximum ${shape.max}`];
  return [];
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof Date) &&
  !(v instanceof Uint8Array);

const checkString = (shape: Shape, value: unknown): string[] => {
  if (typeof value !== 'string') return [`a string, not ${typeof value}`];
  if (shape.enum && !shape.enum.includes(value)) return [`"${value}" is not one of ${shape.enum.join(', ')}`];
  if (shape.pattern && !patternOf(shape.pattern).test(value))
    return [`does not match the pattern ${shape.pattern}`];
  return bounds(shape, lengthOf(value), 'characters');
};

const checkNumber = (shape: Shape, value: unknown, whole: boolean): string[] => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return [`a number, not ${typeof value}`];
  if (whole && !Number.isInteger(value)) return [`a whole number, not ${value}`];
  if (shape.min !== undefined && value < shape.min) return [`${value} is below the minimum ${shape.min}`];
  if (shape.max !== undefined && value > shape.max) return [`${value} is above the maximum ${shape.max}`];
  return [];
};

/** On the JSON wire a timestamp is epoch seconds; an SDK input holds a Date. */
const checkTimestamp = (value: unknown): string[] => {
  if (typeof value === 'number' && Number.isFinite(value)) return [];
  if (value instanceof Date && !Number.isNaN(value.getTime())) return [];
  return [`a timestamp (epoch seconds or a Date), not ${JSON.stringify(value)}`];
};

const checkBlob = (shape: Shape, value: unknown): string[] => {
  if (typeof value === 'string') return bounds(shape, value.length, 'bytes');
  if (value instanceof Uint8Array) return bounds(shape, value.byteLength, 'bytes');
  return ['a blob (bytes or base64 text)'];
};

export const checkShape = (model: Model, shapeName: string, value: unknown, path = '$'): string[] => {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${path}: the model has no shape ${shapeName}`];
  const at = (problems: string[]) => problems.map((p) => `${path}: ${p}`);
  switch (shape.type) {
    case 'structure': {
      if (!isRecord(value)) return at([`a structure ${shapeName}`]);
      const members = shape.members ?? {};
      const missing = (shape.required ?? []).filter((m) => value[m] === undefined || value[m] === null);
      const unknown = Object.keys(value).filter((k) => !Object.hasOwn(members, k) && value[k] !== undefined);
      return [
        ...at(missing.map((m) => `required member ${m} is missing`)),
        ...at(unknown.map((k) => `${k} is not a member of ${shapeName}`)),
        ...Object.entries(members).flatMap(([name, ref]) =>
          value[name] === undefined || value[name] === null
            ? []
            : checkShape(model, ref.shape, value[name], `${path}.${name}`),
        ),
      ];
    }
    case 'list': {
      if (!Array.isArray(value)) return at([`a list ${shapeName}`]);
      const member = shape.member?.shape ?? '';
      return [
        ...at(bounds(shape, value.length, 'items')),
        ...value.flatMap((item, i) => checkShape(model, member, item, `${path}[${i}]`)),
      ];
    }
    case 'map': {
      if (!isRecord(value)) return at([`a map ${shapeName}`]);
      const entries = Object.entries(value);
      return [
        ...at(bounds(shape, entries.length, 'entries')),
        ...entries.flatMap(([k, v]) => [
          ...checkShape(model, shape.key?.shape ?? '', k, `${path}{key ${JSON.stringify(k)}}`),
          ...checkShape(model, shape.value?.shape ?? '', v, `${path}.${k}`),
        ]),
      ];
    }
    case 'string':
      return at(checkString(shape, value));
    case 'integer':
    case 'long':
      return at(checkNumber(shape, value, true));
    case 'double':
    case 'float':
      return at(checkNumber(shape, value, false));
    case 'boolean':
      return at(typeof value === 'boolean' ? [] : [`a boolean, not ${typeof value}`]);
    case 'timestamp':
      return at(checkTimestamp(value));
    case 'blob':
      return at(checkBlob(shape, value));
    default:
      return at([`shape type ${shape.type} is not checked`]);
  }
};

/** The violations of an operation's input or output shape (an absent output shape takes only {}). */
export const checkOperation = (model: Model, operation: string, side: 'input' | 'output', value: unknown) => {
  const op = model.operations[operation];
  if (!op) return [`the model has no operation ${operation}`];
  const ref = op[side];
  if (!ref) return isRecord(value) && Object.keys(value).length === 0 ? [] : [`${operation} has no ${side}`];
  return checkShape(model, ref.shape, value);
};
