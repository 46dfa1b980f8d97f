// The command line → the operator command's JSON, the target to ask, and how to print the answer.
import { UsageError } from './errors';
import { COMMAND_SPECS, type CommandSpec, type FieldSpec, fieldOfFlag, findCommand } from './flags';

export type TargetChoice =
  | { kind: 'local'; file?: string }
  /** A deployed stage: its operator function URL, signed with the caller's AWS credentials. */
  | { kind: 'url'; stage?: string; url?: string; region?: string; profile?: string }
  /** Neither flag: the local stack if its default stack file exists. */
  | { kind: 'default' };

export type Invocation =
  | { mode: 'help'; command?: string }
  | { mode: 'run'; command: string; event: Record<string, unknown>; target: TargetChoice; json: boolean };

const GLOBAL_VALUES = ['stage', 'region', 'url', 'profile'] as const;
type GlobalValue = (typeof GLOBAL_VALUES)[number];
const isGlobalValue = (name: string): name is GlobalValue =>
  (GLOBAL_VALUES as readonly string[]).includes(name);

const convert = (spec: CommandSpec, field: FieldSpec, raw: string | boolean): unknown => {
  const flag = `--${field.flag}`;
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

const splitFlag = (token: string): { name: string; inline?: string } => {
  const body = token.replace(/^--?/, '');
  const eq = body.indexOf('=');
  return eq < 0 ? { name: body } : { name: body.slice(0, eq), inline: body.slice(eq + 1) };
};

export const parseArgs = (argv: readonly string[]): Invocation => {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { mode: 'help' };
  if (first === 'help') return rest[0] ? { mode: 'help', command: rest[0] } : { mode: 'help' };
  const spec = findCommand(first);
  if (!spec)
    throw new UsageError(
      first.startsWith('-')
        ? `the command comes first: baton <command> [flags] (commands: ${COMMAND_SPECS.map((c) => c.name).join(', ')})`
        : `unknown command "${first}" (commands: ${COMMAND_SPECS.map((c) => c.name).join(', ')})`,
    );

  const event: Record<string, unknown> = { command: spec.name };
  const globals: Partial<Record<GlobalValue, string>> = {};
  let local: { file?: string } | undefined;
  let json = false;
  const seen = new Set<string>();
  for (let i = 0; i < rest.length; i += 1) {
    const token = rest[i] ?? '';
    if (!token.startsWith('-') || token === '-' || token === '--')
      throw new UsageError(`unexpected argument "${token}": every value follows its flag`, spec.name);
    const { name, inline } = splitFlag(token);
    const next = (): string => {
      if (inline !== undefined) return inline;
      const value = rest[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new UsageError(`--${name} needs a value`, spec.name);
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
        `unknown flag --${name} for ${spec.name} (its flags: ${spec.fields.map((f) => `--${f.flag}`).join(', ')})`,
        spec.name,
      );
    if (seen.has(field.field)) throw new UsageError(`--${field.flag} is given twice`, spec.name);
    seen.add(field.field);
    const raw =
      field === negated ? false : field.kind.type === 'boolean' && inline === undefined ? true : next();
    event[field.field] = convert(spec, field, raw);
  }
  return { mode: 'run', command: spec.name, event, target: targetOf(spec, globals, local), json };
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
