// Operator command `audit`: the deployment audited again, by the function that audits (deployment-
// finished), which the operator asks with a request it signs for the caller it proved; the answer is
// that function's report. The operator itself carries none of the audit.

import * as z from 'zod/mini';
import type { TokenKeySource } from '../approvals/rules/token';
import type { Reauditor } from '../audit/ports';
import { REAUDIT_TTL_SECONDS, signReaudit } from '../audit/rules/reaudit-request';
import type { Clock } from '../core/ports';
import { BatonError, ConfigError } from '../core/rules/errors';
import * as fields from '../core/rules/fields';

export const auditSchema = z.strictObject({
  command: z.literal('audit'),
  deploymentId: fields.deploymentId,
});

export interface AuditCommandDeps {
  clock: Clock;
  /** Optional so that operator deps built for other commands need not carry them. */
  reauditing?: { reauditor: Reauditor; keys: TokenKeySource };
}

/** The audit function's refusal or error; the operator answers it under its own kind (NotFoundError, …). */
export class AuditAnswerError extends BatonError {
  override readonly name = 'AuditAnswerError';
  constructor(
    private readonly relayed: string,
    message: string,
  ) {
    super(message);
  }
  override get kind(): string {
    return this.relayed;
  }
}

export const auditCommand = async (deps: AuditCommandDeps, cmd: z.output<typeof auditSchema>, by: string) => {
  if (!deps.reauditing) throw new ConfigError(['the operator function is not wired for audits']);
  const { current } = await deps.reauditing.keys({ signing: true });
  const expiresAt = Math.floor(deps.clock.now().getTime() / 1000) + REAUDIT_TTL_SECONDS;
  const request = signReaudit(current, { deploymentId: cmd.deploymentId, by, expiresAt });
  const answer = await deps.reauditing.reauditor.reaudit(request);
  if (!answer.ok) throw new AuditAnswerError(answer.kind, answer.error);
  return answer.result;
};
