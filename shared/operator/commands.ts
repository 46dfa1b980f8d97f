// Every operator command: its schema and the use case it runs. One line per command.
import * as z from 'zod/mini';
import { approvalsSchema, listApprovals } from './approvals';
import { type AuditCommandDeps, auditCommand, auditSchema } from './audit';
import { type DecideCommandDeps, decideCommand, decideSchema } from './decide';
import { deploy, deploySchema } from './deploy';
import { promote, promoteSchema } from './promote';
import { releases, releasesSchema } from './releases';
import { type SecretsCheckDeps, secretsCheck, secretsCheckSchema } from './secrets-check';
import { status, statusSchema } from './status';

export type OperatorDeps = AuditCommandDeps & SecretsCheckDeps & DecideCommandDeps;

export const operatorCommandSchema = z.discriminatedUnion('command', [
  deploySchema,
  statusSchema,
  secretsCheckSchema,
  promoteSchema,
  releasesSchema,
  auditSchema,
  decideSchema,
  approvalsSchema,
]);

export type OperatorCommand = z.output<typeof operatorCommandSchema>;

export const runCommand = (deps: OperatorDeps, cmd: OperatorCommand): Promise<unknown> => {
  switch (cmd.command) {
    case 'deploy':
      return deploy(deps, cmd);
    case 'status':
      return status(deps, cmd);
    case 'secrets-check':
      return secretsCheck(deps, cmd);
    case 'promote':
      return promote(deps, cmd);
    case 'releases':
      return releases(deps, cmd);
    case 'decide':
      return decideCommand(deps, cmd);
    case 'approvals':
      return listApprovals(deps, cmd);
    case 'audit':
      return auditCommand(deps, cmd);
  }
};
