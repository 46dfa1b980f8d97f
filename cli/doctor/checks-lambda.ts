// The Lambda side of a stage: each Lambda environment's alias exists, on a published version with all
// its traffic, as the launch requires (shared/deployments/rules/lambda-alias.ts).
import { aliasProblem } from '../../shared/deployments/rules/lambda-alias';
import { unreadable } from './checks-codedeploy';
import type { AliasFacts, Row } from './facts';
import type { PlannedAlias } from './plan';

const MISSING = "missing: create it before the first deployment (the function's own stack)";

export const aliasRow = (planned: PlannedAlias, facts: AliasFacts | undefined): Row => {
  const base = { check: 'Lambda alias', subject: `${planned.function}:${planned.alias}` };
  const routing = facts?.routing ?? { ok: false, error: 'not asked' };
  if (!routing.ok) return unreadable(base.check, base.subject, routing.error);
  const found = routing.value;
  if (!found) return { ...base, status: 'FAIL', detail: MISSING };
  const problem = aliasProblem(planned.alias, found);
  return {
    ...base,
    status: problem ? 'FAIL' : 'ok',
    detail: problem ?? `on version ${found.functionVersion}`,
  };
};
