// The command line → the operator command's JSON, the target to ask, and how to print the answer.
import { BARE_WORD, POSITIONAL } from './descriptions';
import { didYouMean, UsageError } from './errors';
import { COMMAND_SPECS, type CommandSpec, type FieldSpec, fieldOfFlag, findCommand } from './flags';

export type TargetChoice =
  | { kind: 'local'; file?: string }
  /** A deployed stage: its operator function URL, signed with the caller's AWS credentials. */
  | { kind: 'url'; stage?: string; url?: string; region?: string; profile?: string }
  /** Neither flag: the local stack if its default stack file exists. */
  | { kind: 'default' };

export type Invocation =
  | { mode: 'help'; command?: string }
  | { mode: 'version' }
  | {
      mode: 'run';
      command: string;
      event: Record<string, unknown>;
      target: TargetChoice;
      json: boolean;
      /** Each field's flag as the user typed it (`-a`, `--app`), for messages about it. */
      typed: Record<string, string>;
    };

const GLOBAL_VALUES = ['stage', 'region', 'url', 'profile'] as const;
type GlobalValue = (typeof GLOBAL_VALUES)[number];
const isGlobalValue = (name: string): name is GlobalValue =>
  (GLOBAL_VALUES as readonly string[]).includes(name);

const convert = (spec: CommandSpec, field: FieldSpec, raw: string | boolean, flag: string): unknown => {
  if (field.kind.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new UsageError(`${flag} is a switch: give it alone, or as ${flag}=true|false`, spec.name);
  }
  if (typeof raw === 'boolean') throw new UsageError(`${flag} needs a value`, spec.name);
  if (field.kind.type === 'number') {
    if (!/^-?\d+$/.test(raw)) throw new UsageError(`${flag} needs a whole number, not "${raw}"`, spec.name);
    return Number(raw);
  }
  return raw;
};

/** `typed`: the flag as written, dashes included, without its `=value`. */
const splitFlag = (token: string): { name: string; typed: string; inline?: string } => {
  const eq = token.indexOf('=');
  const typed = eq < 0 ? token : token.slice(0, eq);
  const name = typed.replace(/^--?/, '');
  return eq < 0 ? { name, typed } : { name, typed, inline: token.slice(eq + 1) };
};

const commandNames = () => COMMAND_SPECS.map((c) => c.name);
/** Beside the operator's commands, the CLI's own (they parse their flags themselves). */
const OWN_COMMANDS = ['doctor', 'upload'];

/** Every name a flag of `spec` answers to, and the target's and output's. */
const flagNames = (spec: CommandSpec): string[] => [
  ...spec.fields.flatMap((f) => [f.flag, ...f.aliases]),
  ...GLOBAL_VALUES,
  'local',
  'json',
  'help',
];

const missingOf = (spec: CommandSpec, event: Record<string, unknown>): FieldSpec[] =>
  spec.fields.filter((f) => f.required && event[f.field] === undefined);

export const parseArgs = (argv: readonly string[]): Invocation => {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { mode: 'help' };
  if (first === '--version' || first === '-V') return { mode: 'version' };
  if (first === 'help') return rest[0] ? { mode: 'help', command: rest[0] } : { mode: 'help' };
  const spec = findCommand(first);
  if (!spec)
    throw new UsageError(
      first.startsWith('-')
        ? `the command comes first: baton <command> [flags] (commands: ${commandNames().join(', ')})`
        : `unknown command "${first}"${didYouMean(first, [...commandNames(), ...OWN_COMMANDS], (n) => `"${n}"`)} (commands: ${commandNames().join(', ')})`,
    );

  const event: Record<string, unknown> = { command: spec.name };
  const globals: Partial<Record<GlobalValue, string>> = {};
  let local: { file?: string } | undefined;
  let json = false;
  const seen = new Set<string>();
  const typed: Record<string, string> = {};
  const positional = [...(POSITIONAL[spec.name] ?? [])];
  for (let i = 0; i < rest.length; i += 1) {
    const token = rest[i] ?? '';
    if (!token.startsWith('-') || token === '-' || token === '--') {
      // A bare word fills the command's next positional field not given as a flag (or, for a command
      // whose one bare word may be either of two things, the field its shape says).
      while (positional.length && seen.has(positional[0] ?? '')) positional.shift();
      const chosen = BARE_WORD[spec.name]?.(token);
      const field = spec.fields.find((f) => f.field === (chosen ?? positional[0]));
      if (!field || seen.has(field.field) || token === '-' || token === '--')
        throw new UsageError(`unexpected argument "${token}": every value follows its flag`, spec.name);
      if (!chosen) positional.shift();
      seen.add(field.field);
      typed[field.field] = `<${field.flag}>`;
      event[field.field] = convert(spec, field, token, `<${field.flag}>`);
      continue;
    }
    const { name, typed: flag, inline } = splitFlag(token);
    const next = (): string => {
      if (inline !== undefined) return inline;
      const value = rest[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new UsageError(`${flag} needs a value`, spec.name);
      i += 1;
      return value;
    };
    if (name === 'help' || name === 'h') return { mode: 'help', command: spec.name };
    if (name === 'json') {
      json = true;
      continue;
    }
    if (name === 'local') {
      // The file is optional: a following word that is not a flag is the file.
      const following = rest[i + 1];
      const file = inline ?? (following !== undefined && !following.startsWith('-') ? following : undefined);
      if (inline === undefined && file !== undefined) i += 1;
      local = file ? { file } : {};
      continue;
    }
    if (isGlobalValue(name)) {
      globals[name] = next();
      continue;
    }
    const negated = name.startsWith('no-') ? fieldOfFlag(spec, name.slice(3)) : undefined;
    const field = negated?.kind.type === 'boolean' ? negated : fieldOfFlag(spec, name);
    if (!field)
      throw new UsageError(
        `unknown flag ${flag} for ${spec.name}${didYouMean(name, flagNames(spec), (n) => `--${n}`)} (its flags: ${spec.fields.map((f) => `--${f.flag}`).join(', ')})`,
        spec.name,
      );
    if (seen.has(field.field))
      throw new UsageError(`${flag} is given twice (as ${typed[field.field]} already)`, spec.name);
    seen.add(field.field);
    typed[field.field] = flag;
    const raw =
      field === negated ? false : field.kind.type === 'boolean' && inline === undefined ? true : next();
    event[field.field] = convert(spec, field, raw, flag);
  }
  const missing = missingOf(spec, event);
  if (missing.length)
    throw new UsageError(
      `${missing.map((f) => `--${f.flag}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} required: baton ${spec.name} ${missing.map((f) => `--${f.flag} <${f.flag}>`).join(' ')}`,
      spec.name,
    );
  return { mode: 'run', command: spec.name, event, target: targetOf(spec, globals, local), json, typed };
};

const targetOf = (
  spec: CommandSpec,
  globals: Partial<Record<GlobalValue, string>>,
  local: { file?: string } | undefined,
): TargetChoice => {
  const { stage, region, url, profile } = globals;
  if ((stage !== undefined || url !== undefined) && local)
    throw new UsageError('give one target: --stage <stage> or --local [file], not both', spec.name);
  if (stage !== undefined || url !== undefined)
    return {
      kind: 'url',
      ...(stage !== undefined ? { stage } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(region ? { region } : {}),
      ...(profile ? { profile } : {}),
    };
  const stray = (['region', 'profile'] as const).find((k) => globals[k] !== undefined);
  if (stray) throw new UsageError(`--${stray} goes with --stage <stage>`, spec.name);
  if (local) return local.file ? { kind: 'local', file: local.file } : { kind: 'local' };
  return { kind: 'default' };
};
