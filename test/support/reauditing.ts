// The operator's `audit` command against deployment-finished's own entry, in process: the signed
// request and the answer pass through JSON as Lambda passes them, and both sides read one approval key.

import { reaudit } from '../../functions/deployment-finished/handler';
import type { TokenKeySource } from '../../shared/approvals/rules/token';
import type { AuditDeps, Reauditor } from '../../shared/audit/ports';
import { SAMPLE_KEY } from './approvals';

const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export const sampleKeys: TokenKeySource = async () => ({ current: SAMPLE_KEY });

/** The reauditor the operator would reach in Lambda, running the audit function on `deps`. */
export const reauditorOn = (deps: AuditDeps, keys: TokenKeySource = sampleKeys): Reauditor => ({
  reaudit: async (request) => throughJson(await reaudit(throughJson(request), { ...deps, keys })),
});

/** An operator's `reauditing`: its key, and the audit function on `deps`. */
export const reauditingOn = (deps: AuditDeps, keys: TokenKeySource = sampleKeys) => ({
  keys,
  reauditor: reauditorOn(deps, keys),
});
