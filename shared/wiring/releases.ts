// The release flow and the approvals, one of each per container. The flow asks for approvals, and a
// decision that closes an approval moves the flow on: the decisions reach the flow through the one
// forward reference below, resolved when a decision first needs it.
import type { DecisionDeps } from '../approvals/approval-decisions';
import { approvals } from '../approvals/approvals';
import type { Approvals, ReleaseFlow } from '../core/ports';
import { releaseFlow } from '../releases/promotion';
import { alerts } from './alerts';
import { deploying } from './deploying';
import { environment } from './env';
import { approvalKeys } from './keys';
import { once } from './once';

export interface Releasing {
  releaseFlow: ReleaseFlow;
  approvals: Approvals;
  /** What settling an approval needs: the ledger, the alert topic and the release flow. */
  deciding: DecisionDeps;
}

export const releasing = once((): Releasing => {
  const deploy = deploying();
  const { store, clock, log } = deploy;
  const deciding: DecisionDeps = {
    store,
    clock,
    log,
    ...alerts(),
    releaseFlow: {
      advance: (application, release, trigger, seen) => flow.advance(application, release, trigger, seen),
    },
  };
  const asking = approvals({
    ...deciding,
    pipeline: deploy.pipeline,
    keys: approvalKeys(),
    approvalTopicArn: environment.approvalTopicArn(),
    approvalUrl: environment.approvalUrl(),
  });
  const flow = releaseFlow({ ...deploy, approvals: asking });
  return { releaseFlow: flow, approvals: asking, deciding };
});
