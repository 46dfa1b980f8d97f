// Who may run which operator command: the command's classes against pipeline.yml `operators`.
// Without an `operators` section IAM is the only gate, as before the section existed: whoever may invoke
// the operator (lambda:InvokeFunctionUrl from the pipeline's account, or lambda:InvokeFunction for a
// console test event) may run every command, and every record names the caller. With the section, the
// listed principals may do what their entries say, and every other caller of the account may only read.

import { BatonError } from '../core/rules/errors';
import { COMMAND_CLASSES, type CommandClass, type OperatorEntry } from '../pipeline/rules/operators-config';
import { type Actor, actorName } from './rules/actor';
import {
  accountOf,
  CONSOLE_PRINCIPAL,
  entryFor,
  type Principal,
  principalMatches,
  readPrincipal,
} from './rules/principals';

/** The caller may not run the command; the message names the missing class and where to grant it. */
export class PermissionRefusedError extends BatonError {
  override readonly name = 'PermissionRefusedError';
}

/** The commands that only read: the `read` class, and safe for a caller to send again. */
export const READ_COMMANDS: ReadonlySet<string> = new Set([
  'status',
  'releases',
  'history',
  'metrics',
  'watch',
  'approvals',
  'secrets-check',
  'board',
]);

/** The classes a command needs: its own, and `force` when it skips a gate. */
export const classesOf = (cmd: { command: string; force?: unknown }): CommandClass[] => {
  const own: CommandClass = READ_COMMANDS.has(cmd.command)
    ? 'read'
    : cmd.command === 'decide'
      ? 'decide'
      : 'deploy';
  return cmd.force === true ? [own, 'force'] : [own];
};

const principalOf = (actor: Actor): Principal | undefined =>
  actor.kind === 'console' ? { kind: 'console' } : readPrincipal(actor.arn);

/** The account's own callers (and the console) get the defaults; other accounts only what names them. */
const defaults = (operators: OperatorEntry[] | undefined): CommandClass[] =>
  operators ? ['read'] : [...COMMAND_CLASSES];

export const grantsOf = (
  operators: OperatorEntry[] | undefined,
  actor: Actor,
  functionAccount: string | undefined,
): { granted: Set<CommandClass>; entries: OperatorEntry[] } => {
  const caller = principalOf(actor);
  const entries = caller
    ? (operators ?? []).filter((e) => {
        const p = readPrincipal(e.principal);
        return p !== undefined && principalMatches(p, caller);
      })
    : [];
  const home =
    actor.kind === 'console' || (functionAccount !== undefined && accountOf(caller) === functionAccount);
  return {
    granted: new Set([...(home ? defaults(operators) : []), ...entries.flatMap((e) => e.may)]),
    entries,
  };
};

const how = (actor: Actor, missing: CommandClass, entries: OperatorEntry[]): string => {
  if (entries.length > 0)
    return `add ${missing} to its entry under operators in pipeline.yml (principal ${entries.map((e) => e.principal).join(', ')})`;
  if (actor.kind === 'console')
    return `list principal: ${CONSOLE_PRINCIPAL} under operators in pipeline.yml with may: [${missing}], or use the baton CLI, which signs as you`;
  return `add { principal: ${entryFor(actor.arn, principalOf(actor))}, may: [${missing}] } under operators in pipeline.yml`;
};

/** Throws PermissionRefusedError unless the caller holds every class the command needs. */
export const authorize = (
  operators: OperatorEntry[] | undefined,
  actor: Actor,
  functionAccount: string | undefined,
  cmd: { command: string; force?: unknown },
): void => {
  const { granted, entries } = grantsOf(operators, actor, functionAccount);
  const missing = classesOf(cmd).find((c) => !granted.has(c));
  if (!missing) return;
  const who = actor.kind === 'console' ? 'a console test event' : actorName(actor);
  const account = accountOf(principalOf(actor));
  const foreign =
    actor.kind === 'iam' && account !== functionAccount && entries.length === 0
      ? ` (it belongs to account ${account ?? 'unknown'}, not to the pipeline's account)`
      : '';
  throw new PermissionRefusedError(`${who} may not ${missing}${foreign}: ${how(actor, missing, entries)}`);
};
