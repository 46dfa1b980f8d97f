// `baton board`: the operator's `board` answer rendered as the release board page (the local stack's
// page, without its reload), written to a file and opened in the browser when the system has an opener.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { boardSchema } from '../shared/board/data';
import { boardPage } from '../shared/board/page';
import { type Invocation, parseArgs } from './args';
import { EXIT, UsageError } from './errors';
import { type Io, showAnswer } from './output';
import type { Answer } from './targets/answer';

export const DEFAULT_BOARD_FILE = 'baton-board.html';

/** The board's own flags taken out; the rest are the operator command's and the target's. */
export const boardOptions = (argv: readonly string[]): { out: string; open: boolean; rest: string[] } => {
  let out = DEFAULT_BOARD_FILE;
  let open = true;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] ?? '';
    if (token === '--no-open' || token === '--open=false') open = false;
    else if (token === '--open' || token === '--open=true') open = true;
    else if (token.startsWith('--out=')) out = token.slice('--out='.length);
    else if (token === '--out') {
      const file = argv[i + 1];
      if (file === undefined || file.startsWith('--')) throw new UsageError('--out needs a file', 'board');
      out = file;
      i += 1;
    } else rest.push(token);
  }
  if (out === '') throw new UsageError('--out needs a file', 'board');
  return { out, open, rest };
};

/** The system's opener of a file in the default browser; on Windows `explorer`, which no shell parses
 * (`cmd /c start` would run what follows an `&` in the file's name). */
export const openerOf = (platform: NodeJS.Platform, file: string): [string, string[]] =>
  platform === 'darwin'
    ? ['open', [file]]
    : platform === 'win32'
      ? ['explorer', [file]]
      : ['xdg-open', [file]];

/** Opens the file in the default browser where an opener exists; never fails the command. */
const openFile = (file: string): void => {
  const [command, args] = openerOf(process.platform, file);
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No opener: the path is printed, the page is there.
  }
};

export const runBoard = async (
  argv: readonly string[],
  io: Io,
  ask: (invocation: Extract<Invocation, { mode: 'run' }>) => Promise<Answer>,
): Promise<number> => {
  const { out, open, rest } = boardOptions(argv);
  const invocation = parseArgs(['board', ...rest]);
  if (invocation.mode !== 'run') return EXIT.usage;
  const answer = await ask(invocation);
  if (!answer.ok || invocation.json) return showAnswer(answer, invocation, io);
  const data = boardSchema.safeParse(answer.result);
  if (!data.success) {
    io.err(
      'baton: not a board answer (version skew?): the operator answered board in a shape this CLI does not ' +
        'know; update the CLI or the stage, or see the answer with --json\n',
    );
    return EXIT.refused;
  }
  const file = resolve(out);
  writeFileSync(file, boardPage(data.data));
  io.out(`${file}\n`);
  if (open) openFile(file);
  return EXIT.ok;
};
