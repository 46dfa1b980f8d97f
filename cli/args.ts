// The command line → the operator command's JSON, the target to ask, and how to print the answer.
import { userInfo } from 'node:os';
import { UsageError } from './errors';
import {
  COMMAND_SPECS,
  type CommandSpec,
  FILLED_BY_CLI,
  type FieldSpec,
  fieldOfFlag,
  findCommand,
} from './flags';

export type TargetChoice =
  | { kind: 'local'; file?: string }
  /** A deployed stage: its operator function, through the Lambda API. */
  | { kind: 'lambda'; functionName: string; region?: string; profile?: string }
  /** Neither flag: the local stack if its default stack file exists. */
  | { kind: 'default' };

export type Invocation =
  | { mode: 'help'; command?: string }
  | { mode: 'run'; command: string; event: Record<string, unknown>; target: TargetChoice; json: boolean };

const GLOBAL_VALUES = ['stage', 'region', 'function', 'profile'] as const;
type GlobalValue = (typeof GLOBAL_VALUES)[number];
const isGlobalValue = (name: string): name is GlobalValue =>
  (GLOBAL_VALUES as readonly string[]).includes(name);

/** Who is asking, when --operator is not given: the operator field is kept on every record. */
export const defaultOperator = (env: NodeJS.ProcessEnv = process.env): string =>
  env.BATON_OPERATOR || env.USER || userInfo().username;

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

export const parseArgs = (argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Invocation => {
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
  for (const f of spec.fields)
    if (FILLED_BY_CLI.has(f.field) && event[f.field] === undefined) event[f.field] = defaultOperator(env);
  return { mode: 'run', command: spec.name, event, target: targetOf(spec, globals, local), json };
};

const targetOf = (
  spec: CommandSpec,
  globals: Partial<Record<GlobalValue, string>>,
  local: { file?: string } | undefined,
): TargetChoice => {
  const { stage, region, function: named, profile } = globals;
  if ((stage !== undefined || named !== undefined) && local)
    throw new UsageError('give one target: --stage <stage> or --local [file], not both', spec.name);
  if (stage !== undefined || named !== undefined)
    return {
      kind: 'lambda',
      // osls names functions <service>-<stage>-<function key>: service baton, key operator.
      functionName: named ?? `baton-${stage}-operator`,
      ...(region ? { region } : {}),
      ...(profile ? { profile } : {}),
    };
  const stray = (['region', 'profile'] as const).find((k) => globals[k] !== undefined);
  if (stray) throw new UsageError(`--${stray} goes with --stage <stage>`, spec.name);
  if (local) return local.file ? { kind: 'local', file: local.file } : { kind: 'local' };
  return { kind: 'default' };
};
