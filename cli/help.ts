// `baton --help` and `baton <command> --help`, written from the command specs (flags.ts).
import { POSITIONAL } from './descriptions';
import { COMMAND_SPECS, type CommandSpec, type FieldSpec } from './flags';

const TARGETS = [
  'Target (where the operator runs):',
  '  --local [file]      the local stack started by `npm start -- --keep` (default file .local/stack.json,',
  '                      or $BATON_STACK_FILE; the default target when that file exists)',
  '  --stage <stage>     a deployed stage: calls its operator URL (stack baton-<stage>, output OperatorUrl)',
  '                      signed with your AWS credentials, which the operator records as who asked',
  "                      (needs the stack's OperatorInvokePolicy, or the same permissions)",
  '  --region <region>   its region (default: AWS_REGION or your AWS profile)',
  '  --url <url>         the operator URL itself, instead of the stack output',
  '  --profile <name>    an AWS profile from ~/.aws/config',
  'Output:',
  '  --json              the operator result as JSON, for scripts',
  '  --help              this help',
  '  --version           the version of baton',
  'Exit codes: 0 ok, 1 the operator refused or failed, 2 usage error, 3 the target could not be reached.',
];

const placeholder = (f: FieldSpec): string => {
  switch (f.kind.type) {
    case 'boolean':
      return '';
    case 'enum':
      return ` ${f.kind.values.join('|')}`;
    case 'number':
      return ' <n>';
    case 'string':
      return ` <${f.flag}>`;
  }
};

const noteOf = (f: FieldSpec): string => {
  const notes: string[] = [];
  if (f.required) notes.push('required');
  if (f.kind.type === 'number' && f.kind.min !== undefined && f.kind.max !== undefined)
    notes.push(`${f.kind.min} to ${f.kind.max}`);
  if (f.default !== undefined && f.default !== false) notes.push(`default ${String(f.default)}`);
  return notes.length ? ` (${notes.join(', ')})` : '';
};

const columns = (rows: [string, string][]): string[] => {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
};

export const commandHelp = (spec: CommandSpec): string => {
  const bare = POSITIONAL[spec.name] ?? [];
  const usage = [
    ...bare.map((field) => `<${spec.fields.find((f) => f.field === field)?.flag ?? field}>`),
    ...spec.fields
      .filter((f) => !bare.includes(f.field))
      .map((f) => (f.required ? `--${f.flag}${placeholder(f)}` : `[--${f.flag}${placeholder(f)}]`)),
  ].join(' ');
  const flags = columns(
    spec.fields.map((f) => [
      // The camelCase field name is accepted too, but not worth a line of help.
      [`--${f.flag}`, ...f.aliases.filter((a) => a !== f.field).map((a) => `--${a}`)].join(', ') +
        placeholder(f),
      `${f.description}${noteOf(f)}`,
    ]),
  );
  return [
    `baton ${spec.name}: ${spec.summary}`,
    '',
    `Usage: baton ${spec.name} ${usage} [target] [--json]`,
    '',
    `Flags (the fields of the operator's "${spec.name}" command):`,
    ...flags,
    '',
    'Target: --local [file] | --stage <stage> [--region <region>] [--url <url>] [--profile <name>]',
    'Output: --json for the raw result. More: baton --help',
    ...(spec.examples.length ? ['', 'Examples:', ...spec.examples.map((e) => `  ${e}`)] : []),
    '',
  ].join('\n');
};

export const generalHelp = (): string =>
  [
    "baton: the operator's commands for a Baton pipeline, from the command line",
    '',
    'Usage: baton <command> [flags] [target] [--json]',
    '',
    'Commands:',
    ...columns(COMMAND_SPECS.map((c) => [c.name, c.summary])),
    '',
    'Preflight (reads AWS directly, not through the operator):',
    '  doctor --stage <stage>  check a deployed stage against pipeline.yml: CodeDeploy groups and their',
    '                          instances, instance roles, secrets, subscriptions, rules, failed events',
    '',
    'CI (writes to the pipeline bucket with your credentials, not through the operator):',
    '  upload <zip> --app <name>',
    '                          upload a built artifact once, named after its git commit, with its',
    '                          branch, commit and SHA-256 (baton upload --help)',
    '',
    ...TARGETS,
    '',
    'Each command has its own flags: baton <command> --help',
    '',
  ].join('\n');
