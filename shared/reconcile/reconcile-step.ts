// What a reconcile step is: a name and a run over the reconcile's deps. Steps live in their own
// modules and import this, never the reconcile that lists them.

import type { AuditDeps } from '../audit/audit';
import type { DeploymentLookup } from '../core/ports';
import type { AlarmReader } from '../verification/ports';

export interface ReconcileDeps extends AuditDeps {
  /** Finds the deployment of a launch whose outcome was unknown; without it such launches wait. */
  lookup?: DeploymentLookup;
  /** CloudWatch, for the end of a bake; without it a bake that lists alarms waits. */
  alarms?: AlarmReader;
}

export interface ReconcileStep {
  name: string;
  run(deps: ReconcileDeps): Promise<unknown>;
}

export type ReconcileStepResult =
  | { step: string; ok: true; result: unknown }
  | { step: string; ok: false; error: string };
