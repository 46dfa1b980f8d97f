// The `baton` command line: parse → ask the operator (local stack or deployed stage) → print.
// Started by cli/baton.mjs; `run` is what the tests call.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nearest } from '../shared/core/rules/suggest';
import { type Invocation, parseArgs } from './args';
import { BOARD_FLAGS } from './descriptions';
import { DOCTOR_HELP } from './doctor/help';
import { CliError, EXIT, UnreachableError, UsageError } from './errors';
import { COMMAND_SPECS, findCommand } from './flags';
import { commandHelp, generalHelp } from './help';
import { type Io, showAnswer } from './output';
import type { Answer } from './targets/answer';
import { UPLOAD_HELP } from './upload/help';

/** The package's version, as `baton --version` prints it. */
export const version = (): string => {
  const pkg: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : 'unknown';
};

const ask = async (invocation: Extract<Invocation, { mode: 'run' }>, io: Io): Promise<Answer> => {
  const { target, event } = invocation;
  if (target.kind === 'url') return (await import('./targets/url')).invokeUrl(target, event);
  const { DEFAULT_STACK_FILE, invokeLocal } = await import('./targets/local');
  const stackFile = (target.kind === 'local' && target.file) || io.env.BATON_STACK_FILE || DEFAULT_STACK_FILE;
  if (target.kind === 'default' && !existsSync(stackFile))
    throw new UnreachableError(
      `where is the pipeline? no local stack file at ${stackFile}: start the local stack with ` +
        '`npm start -- --keep` (it writes .local/stack.json, the default target), or pass --stage <stage> for a deployed stage',
    );
  return invokeLocal(event, stackFile, io.env);
};

/** Commands that are not the operator's: they call AWS themselves. */
const OWN = new Set(['doctor', 'upload']);

const help = (invocation: Extract<Invocation, { mode: 'help' }>, io: Io): number => {
  if (!invocation.command) {
    io.out(generalHelp());
    return EXIT.ok;
  }
  if (invocation.command === 'doctor') {
    io.out(DOCTOR_HELP);
    return EXIT.ok;
  }
  if (invocation.command === 'upload') {
    io.out(UPLOAD_HELP);
    return EXIT.ok;
  }
  const spec = findCommand(invocation.command);
  if (!spec) {
    const near = nearest(invocation.command, [...COMMAND_SPECS.map((c) => c.name), ...OWN]);
    throw new UsageError(`unknown command "${invocation.command}"${near ? `: did you mean "${near}"?` : ''}`);
  }
  io.out(commandHelp(spec));
  if (spec.name === 'board') io.out(`\nThe page (not the operator's fields):\n${BOARD_FLAGS.join('\n')}\n`);
  return EXIT.ok;
};

export const run = async (argv: readonly string[], io: Io): Promise<number> => {
  if (argv.length === 0) {
    io.err(generalHelp());
    return EXIT.usage;
  }
  try {
    // doctor reads the stage through AWS's APIs itself: it is no operator command.
    if (argv[0] === 'doctor') return await (await import('./doctor/command')).runDoctor(argv.slice(1), io);
    // upload writes to the pipeline bucket itself, as CI: no operator command either.
    if (argv[0] === 'upload') return await (await import('./upload/command')).runUpload(argv.slice(1), io);
    // board writes the operator's answer as a page: its own flags (--out, --no-open) come off first.
    if (argv[0] === 'board' && !argv.some((a) => a === '--help' || a === '-h'))
      return await (await import('./board')).runBoard(argv.slice(1), io, (i) => ask(i, io));
    const invocation = parseArgs(argv);
    if (invocation.mode === 'help') return help(invocation, io);
    if (invocation.mode === 'version') {
      io.out(`baton ${version()}\n`);
      return EXIT.ok;
    }
    if (invocation.command === 'watch')
      return await (await import('./watch')).watchLoop(() => ask(invocation, io), invocation, io);
    const answer = await ask(invocation, io);
    return showAnswer(answer, invocation, io);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    const command = error instanceof UsageError ? error.command : argv[0];
    const hint =
      error instanceof UsageError
        ? `\n${command ? `See: baton ${command} --help` : 'See: baton --help'}`
        : '';
    io.err(
      `baton${command && (findCommand(command) || OWN.has(command)) ? ` ${command}` : ''}: ${error.message}${hint}\n`,
    );
    return error.exitCode;
  }
};

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  now: () => new Date(),
};

if (require.main === module)
  run(process.argv.slice(2), processIo).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A bug in the CLI, not an answer: say so plainly; BATON_DEBUG=1 shows the stack.
      const e = error instanceof Error ? error : new Error(String(error));
      process.stderr.write(
        `baton: unexpected error: ${process.env.BATON_DEBUG ? e.stack : `${e.name}: ${e.message}`}\n`,
      );
      process.exitCode = 1;
    },
  );
