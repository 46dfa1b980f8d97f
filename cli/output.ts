// Prints the operator's answer: a table (or --json) on stdout; a refusal on stderr, with its fields
// named as the flags the user typed and a pointer to the command's --help.

import type { Invocation } from './args';
import { EXIT } from './errors';
import { type CommandSpec, type FieldSpec, findCommand } from './flags';
import type { Answer } from './targets/answer';
import { VIEWS } from './views';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  now(): Date;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * "reason: required …" → "--reason: required …", for the fields the command has, each named as the
 * user typed it (`-e` stays `-e`, `--app` stays `--app`).
 */
const asFlags = (spec: CommandSpec | undefined, typed: Record<string, string>, issue: string): string => {
  const m = /^([\w$]+)([.[][^:]*)?: (.*)$/s.exec(issue);
  const field = m && spec?.fields.find((f) => f.field === m[1]);
  if (!m || !field) return issue;
  const flagOf = (f: FieldSpec) => typed[f.field] ?? `--${f.flag}`;
  // camelCase field names in the rule are flags too ("give exactly one of commit or artifactKey").
  const rule = (m[3] ?? '').replace(/\b[a-z]+[A-Z]\w*\b/g, (word) => {
    const named = spec?.fields.find((f) => f.field === word);
    return named ? flagOf(named) : word;
  });
  return `${flagOf(field)}${m[2] ?? ''}: ${rule}`;
};

export const showAnswer = (
  answer: Answer,
  invocation: Pick<Extract<Invocation, { mode: 'run' }>, 'command' | 'event' | 'json'> & {
    typed?: Record<string, string>;
  },
  io: Io,
): number => {
  const { command, event, json: asJson } = invocation;
  if (answer.ok) {
    if (asJson) {
      io.out(json(answer.result));
      return EXIT.ok;
    }
    const table = VIEWS[command]?.(answer.result, { event, now: io.now() });
    if (table === undefined)
      io.err('baton: this result has a shape the CLI does not know (another Baton version?); as JSON:\n');
    io.out(table ?? json(answer.result));
    return EXIT.ok;
  }
  if (asJson) {
    io.out(json(answer));
    return EXIT.refused;
  }
  const spec = findCommand(command);
  if (answer.kind === 'ValidationError') {
    // Issues are "field: rule" joined by "; " (shared/core/rules/errors.ts); a rule may itself hold "; ".
    const issues = answer.error
      .split(/; (?=[\w$.[\]()]+: )/)
      .map((i) => `  ${asFlags(spec, invocation.typed ?? {}, i)}`);
    io.err(
      [
        `baton ${command}: the operator refused the command:`,
        ...issues,
        `Flags: baton ${command} --help`,
        '',
      ].join('\n'),
    );
  } else io.err(`baton ${command}: refused (${answer.kind}): ${answer.error}\n`);
  return EXIT.refused;
};
