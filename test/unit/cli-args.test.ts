// The command line → the operator command's JSON: one flag per schema field, for every command.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/args';
import { EXAMPLES, FIELD_WORDS, SUMMARIES } from '../../cli/descriptions';
import { UsageError } from '../../cli/errors';
import { COMMAND_SPECS, findCommand } from '../../cli/flags';
import { commandHelp, generalHelp } from '../../cli/help';
import { showAnswer } from '../../cli/output';
import { COMMANDS } from '../../shared/operator/invoke';
import { loadEvent, root } from '../support/fixtures';

const run = (argv: string[]) => {
  const parsed = parseArgs(argv);
  if (parsed.mode !== 'run') throw new Error(`expected a command, got ${parsed.mode}`);
  return parsed;
};
const usageError = (argv: string[]): UsageError => {
  try {
    parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
};

const specOf = (name: string) => {
  const spec = findCommand(name);
  if (!spec) throw new Error(`no command ${name}`);
  return spec;
};

/** The command line an operator would type for a sample event. */
const argvOf = (event: Record<string, unknown>): string[] => {
  const spec = specOf(String(event.command));
  return [
    spec.name,
    ...Object.entries(event).flatMap(([field, value]) => {
      const flag = spec.fields.find((f) => f.field === field)?.flag;
      if (!flag) return [];
      if (typeof value === 'boolean') return [value ? `--${flag}` : `--no-${flag}`];
      return [`--${flag}`, String(value)];
    }),
  ];
};

const samples = readdirSync(join(root, 'events', 'operator')).filter((f) => f.endsWith('.json'));

describe('baton arguments', () => {
  it('has a command for every operator command, with words for every field', () => {
    expect(COMMAND_SPECS.map((c) => c.name).sort()).toEqual([...COMMANDS].sort());
    for (const spec of COMMAND_SPECS) {
      expect(SUMMARIES[spec.name], spec.name).toBeTruthy();
      expect(EXAMPLES[spec.name]?.length, spec.name).toBeGreaterThan(0);
      for (const f of spec.fields) expect(f.description, `${spec.name}.${f.field}`).not.toBe('');
    }
    expect(Object.keys(FIELD_WORDS).length).toBeGreaterThan(0);
  });

  it.each(samples)('turns the flags of events/operator/%s into that very event', (file) => {
    const event = loadEvent<Record<string, unknown>>(`operator/${file}`);
    const parsed = run(argvOf(event));
    expect(parsed.event).toEqual(event);
    expect(parsed.target).toEqual({ kind: 'default' });
    expect(parsed.json).toBe(false);
  });

  it('types each flag as its field: switches, numbers, enums, aliases and camelCase names', () => {
    expect(run(['deploy', '--app', 'web', '--env=staging', '--commit', '3f78685']).event).toEqual({
      command: 'deploy',
      application: 'web',
      environment: 'staging',
      commit: '3f78685',
    });
    expect(
      run([
        'promote',
        '--app',
        'web',
        '--release',
        'v1.2.0',
        '--env',
        'production',
        '--force',
        '--reason',
        'hotfix',
      ]).event,
    ).toMatchObject({ force: true, reason: 'hotfix' });
    expect(run(['promote', '--app', 'web', '--env', 'production', '--no-force']).event).toMatchObject({
      force: false,
    });
    expect(run(['promote', '--app', 'web', '--env', 'production', '--force=false']).event).toMatchObject({
      force: false,
    });
    expect(run(['releases', '--app', 'web', '--limit', '5']).event).toEqual({
      command: 'releases',
      application: 'web',
      limit: 5,
    });
    expect(run(['audit', '--deploymentId', 'd-7Q4BZ2K1X']).event).toEqual({
      command: 'audit',
      deploymentId: 'd-7Q4BZ2K1X',
    });
    expect(
      run(['decide', '--approval-id', 'x', '--decision', 'reject', '--comment', '-1, not today']).event,
    ).toEqual({
      command: 'decide',
      approvalId: 'x',
      decision: 'reject',
      comment: '-1, not today',
    });
    expect(run(['approvals']).event).toEqual({ command: 'approvals' });
  });

  it('has no --operator: who asks is whoever signs the request', () => {
    expect(usageError(['audit', '--deployment-id', 'd-7Q4BZ2K1X', '--operator', 'bob']).message).toBe(
      'unknown flag --operator for audit (its flags: --deployment-id)',
    );
  });

  it.each([
    [['status', '--app', 'web'], { kind: 'default' }],
    [['status', '--app', 'web', '--local'], { kind: 'local' }],
    [['status', '--local', 'tmp/stack.json', '--app', 'web'], { kind: 'local', file: 'tmp/stack.json' }],
    [['status', '--local=s.json', '--app', 'web'], { kind: 'local', file: 's.json' }],
    [['status', '--app', 'web', '--stage', 'prod'], { kind: 'url', stage: 'prod' }],
    [
      ['status', '--app', 'web', '--stage', 'prod', '--region', 'eu-west-1', '--profile', 'ops'],
      { kind: 'url', stage: 'prod', region: 'eu-west-1', profile: 'ops' },
    ],
    [
      ['status', '--app', 'web', '--url', 'https://abc.lambda-url.eu-west-1.on.aws/'],
      { kind: 'url', url: 'https://abc.lambda-url.eu-west-1.on.aws/' },
    ],
  ])('%j targets %j', (argv, target) => {
    expect(run(argv).target).toEqual(target);
  });

  it('tells its version: baton --version', () => {
    expect(parseArgs(['--version'])).toEqual({ mode: 'version' });
    expect(parseArgs(['-V'])).toEqual({ mode: 'version' });
  });

  it('takes the thing a command acts on as bare words too', () => {
    expect(run(['stop', 'd-7Q4BZ2K1X', '--reason', 'bad build']).event).toEqual({
      command: 'stop',
      deploymentId: 'd-7Q4BZ2K1X',
      reason: 'bad build',
    });
    expect(run(['retry', 'web', 'staging']).event).toEqual({
      command: 'retry',
      application: 'web',
      environment: 'staging',
    });
    expect(run(['retry', '--env', 'staging', 'web']).event).toEqual({
      command: 'retry',
      application: 'web',
      environment: 'staging',
    });
    expect(run(['rollback', 'web', 'production', '--reason', 'r']).event).toEqual({
      command: 'rollback',
      application: 'web',
      environment: 'production',
      reason: 'r',
    });
    expect(run(['history', 'web']).event).toEqual({ command: 'history', application: 'web' });
    expect(usageError(['retry', 'web', 'staging', 'prod']).message).toContain('unexpected argument "prod"');
    expect(usageError(['stop', 'd-1', '--deployment-id', 'd-2', '--reason', 'r']).message).toBe(
      '--deployment-id is given twice (as <deployment-id> already)',
    );
  });

  it('keeps each flag as typed, for the messages about its field', () => {
    expect(run(['promote', '-app', 'web', '--env=production', '--release', 'v1']).typed).toEqual({
      application: '-app',
      environment: '--env',
      release: '--release',
    });
  });

  it("names the operator's refusal of a field by the flag typed for it", () => {
    const err: string[] = [];
    const invocation = run(['deploy', '-app', 'web', '-env', 'dev', '--force']);
    const code = showAnswer(
      {
        ok: false,
        kind: 'ValidationError',
        error: 'reason: required when force is true; commit: give exactly one of commit or artifactKey',
      },
      invocation,
      { out: () => undefined, err: (t) => err.push(t), env: {}, now: () => new Date() },
    );
    expect(code).toBe(1);
    expect(err.join('')).toBe(
      [
        'baton deploy: the operator refused the command:',
        '  --reason: required when force is true',
        '  --commit: give exactly one of commit or --artifact-key',
        'Flags: baton deploy --help',
        '',
      ].join('\n'),
    );
    const typedApp = showAnswer(
      { ok: false, kind: 'ValidationError', error: 'application: letters, digits' },
      run(['status', '-app', 'w b']),
      { out: () => undefined, err: (t) => err.push(t), env: {}, now: () => new Date() },
    );
    expect(typedApp).toBe(1);
    expect(err.join('')).toContain('  -app: letters, digits\n');
  });

  it('asks for help: baton, baton --help, baton help <command>, baton <command> --help', () => {
    expect(parseArgs([])).toEqual({ mode: 'help' });
    expect(parseArgs(['--help'])).toEqual({ mode: 'help' });
    expect(parseArgs(['help', 'deploy'])).toEqual({ mode: 'help', command: 'deploy' });
    expect(parseArgs(['deploy', '--app', 'web', '-h'])).toEqual({ mode: 'help', command: 'deploy' });
    expect(run(['status', '--app', 'web', '--json']).json).toBe(true);
  });

  it.each([
    [['launch'], 'unknown command "launch" (commands: status, releases, history, metrics, watch, deploy'],
    [['--app', 'web'], 'the command comes first'],
    [['status', '--app'], '--app needs a value'],
    [['status', '--app', '--json'], '--app needs a value'],
    [['status', 'web'], 'unexpected argument "web"'],
    [['status', '--app', 'web', '--force'], 'unknown flag --force for status (its flags: --application)'],
    [['status', '--app', 'web', '--application', 'api'], '--application is given twice (as --app already)'],
    [['stauts', '--app', 'web'], 'unknown command "stauts": did you mean "status"? (commands: status,'],
    [['doctr'], 'unknown command "doctr": did you mean "doctor"?'],
    [['retyr', 'web', 'dev'], 'unknown command "retyr": did you mean "retry"?'],
    [['status', '--app', 'web', '--jsno'], 'unknown flag --jsno for status: did you mean --json?'],
    [
      ['status', '--ap', 'web'],
      'unknown flag --ap for status: did you mean --app? (its flags: --application)',
    ],
    [['status', '-ap', 'web'], 'unknown flag -ap for status: did you mean --app?'],
    [['status', '--app', 'web', '--jsonn'], 'unknown flag --jsonn for status: did you mean --json?'],
    [['status', '-app'], '-app needs a value'],
    [['releases', '-app', 'web', '-limit=ten'], '-limit needs a whole number, not "ten"'],
    [['promote', '-force=yes'], '-force is a switch: give it alone, or as -force=true|false'],
    [['status'], '--application is required: baton status --application <application>'],
    [
      ['decide', '--approval-id', 'x'],
      '--decision, --comment are required: baton decide --decision <decision> --comment <comment>',
    ],
    [['promote', '--force=yes'], '--force is a switch'],
    [['releases', '--app', 'web', '--limit', 'ten'], '--limit needs a whole number, not "ten"'],
    [['status', '--app', 'web', '--region', 'eu-west-1'], '--region goes with --stage'],
    [['status', '--app', 'web', '--stage', 'dev', '--local'], 'give one target'],
  ])('refuses %j: %s', (argv, message) => {
    const error = usageError(argv);
    expect(error.message).toContain(message);
    expect(error.exitCode).toBe(2);
  });

  it('parses every example the help shows', () => {
    for (const [command, examples] of Object.entries(EXAMPLES))
      for (const example of examples) {
        const words = example.match(/"[^"]*"|\S+/g)?.map((w) => w.replace(/^"|"$/g, '')) ?? [];
        expect(run(words.slice(1)).command, example).toBe(command);
      }
  });

  it('lists every flag of a command in its help, and every command in the general help', () => {
    const promote = commandHelp(specOf('promote'));
    for (const flag of [
      '--application, --app',
      '--release',
      '--commit',
      '--environment, --env',
      '--force',
      '--reason',
    ])
      expect(promote).toContain(flag);
    expect(promote).toContain('Usage: baton promote --application <application> [--release <release>]');
    expect(commandHelp(specOf('releases'))).toContain(
      '--limit <n>                         how many releases to show, newest first (1 to 100, default 20)',
    );
    expect(commandHelp(specOf('decide'))).toContain('--decision approve|reject');
    expect(commandHelp(specOf('retry'))).toContain(
      'Usage: baton retry <application> <environment> [--reason <reason>]',
    );
    const general = generalHelp();
    for (const spec of COMMAND_SPECS) expect(general).toContain(`  ${spec.name}`);
  });
});
