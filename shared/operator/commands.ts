// Every operator command: its schema and the use case it runs. One line per command.
import * as z from 'zod/mini';
import { approvalsSchema, listApprovals } from './approvals';
import { type AuditCommandDeps, auditCommand, auditSchema } from './audit';
import { board, boardSchema } from './board';
import { type DecideCommandDeps, decideCommand, decideSchema } from './decide';
import { deploy, deploySchema } from './deploy';
import { history, historySchema } from './history';
import { metrics, metricsSchema } from './metrics';
import { promote, promoteSchema } from './promote';
import { releases, releasesSchema } from './releases';
import { retry, retrySchema } from './retry';
import { rollback, rollbackSchema } from './rollback';
import { type Actor, actorName, actorText } from './rules/actor';
import { type SecretsCheckDeps, secretsCheck, secretsCheckSchema } from './secrets-check';
import { status, statusSchema } from './status';
import { type StopDeps, stop, stopSchema } from './stop';
import { watch, watchSchema } from './watch';

export type OperatorDeps = AuditCommandDeps &
  SecretsCheckDeps &
  DecideCommandDeps &
  // CodeDeploy's view of a deployment (`auditing`): status, history, watch and stop read it.
  Pick<StopDeps, 'stopping' | 'auditing'> & {
    /** The account that owns the operator function: its signed callers get the default permissions. */
    functionAccount?: string;
  };

export const operatorCommandSchema = z.discriminatedUnion('command', [
  deploySchema,
  statusSchema,
  secretsCheckSchema,
  promoteSchema,
  releasesSchema,
  auditSchema,
  decideSchema,
  approvalsSchema,
  stopSchema,
  retrySchema,
  rollbackSchema,
  historySchema,
  watchSchema,
  boardSchema,
  metricsSchema,
]);

export type OperatorCommand = z.output<typeof operatorCommandSchema>;

/** `actor` is who ran it, as the request proved it (request.ts): the records name it. */
export const runCommand = (deps: OperatorDeps, cmd: OperatorCommand, actor: Actor): Promise<unknown> => {
  switch (cmd.command) {
    case 'deploy':
      return deploy(deps, cmd, actorText(actor));
    case 'status':
      return status(deps, cmd);
    case 'secrets-check':
      return secretsCheck(deps, cmd);
    case 'promote':
      return promote(deps, cmd, actorText(actor));
    case 'releases':
      return releases(deps, cmd);
    case 'decide':
      return decideCommand(deps, cmd, actorName(actor), actor.note);
    case 'approvals':
      return listApprovals(deps, cmd);
    case 'audit':
      return auditCommand(deps, cmd, actorText(actor));
    case 'stop':
      return stop(deps, cmd, actorText(actor));
    case 'retry':
      return retry(deps, cmd, actorText(actor));
    case 'rollback':
      return rollback(deps, cmd, actorText(actor));
    case 'history':
      return history(deps, cmd);
    case 'watch':
      return watch(deps, cmd);
    case 'board':
      return board(deps, cmd);
    case 'metrics':
      return metrics(deps, cmd);
  }
};
