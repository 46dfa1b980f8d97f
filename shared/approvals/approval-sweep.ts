// The approvals' step of the reconcile schedule: expire what is past its expiry, repeat hand-offs.

import type { ReconcileStep } from '../reconcile/reconcile-step';
import { expireApprovals } from './approval-decisions';

export const expireApprovalsStep: ReconcileStep = {
  name: 'expireApprovals',
  run: (deps) =>
    deps.releaseFlow
      ? expireApprovals({ ...deps, releaseFlow: deps.releaseFlow })
      : Promise.resolve('skipped: no release flow wired'),
};
