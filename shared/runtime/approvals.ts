// Wiring for the functions that ask for approvals or settle them: the key from Secrets Manager, SNS,
// and the release flow. The release flow asks for approvals and approvals advance the release flow, so
// the two are tied through a late-bound ReleaseFlow.

import type { DecisionDeps } from '../approvals/approval-decisions';
import { type ApprovalDeps, approvals } from '../approvals/approvals';
import type { TokenKeySource } from '../approvals/rules/token';
import { approvalKeySource } from '../aws/approval-keys';
import { sns } from '../aws/sns-client';
import { snsNotifier } from '../aws/sns-notifier';
import { requireEnv } from '../core/env';
import type { Approvals, Core, ReleaseFlow } from '../core/ports';
import type { DeployDeps } from '../deployments/deployments';
import type { Pipeline } from '../pipeline/rules/config';
import { releaseFlow as promotionFlow } from '../releases/promotion';

export interface ApprovalWiring {
  approvals: Approvals;
  decisionDeps: DecisionDeps;
  keys: TokenKeySource;
}

/**
 * Env: BATON_APPROVAL_KEY_SECRET_ARN, BATON_APPROVAL_TOPIC_ARN, BATON_ALERT_TOPIC_ARN, and the page URL
 * (BATON_APPROVAL_URL, unless the caller passes it).
 * `flow` is called only once a decision closes an approval, so it may be built after this wiring.
 */
export const wireApprovals = (
  rt: Core & { pipeline: Pipeline },
  flow: () => ReleaseFlow,
  approvalUrl: string = requireEnv('BATON_APPROVAL_URL'),
): ApprovalWiring => {
  const keys = approvalKeySource();
  const decisionDeps: DecisionDeps = {
    store: rt.store,
    clock: rt.clock,
    log: rt.log,
    notifier: snsNotifier(sns),
    alertTopicArn: requireEnv('BATON_ALERT_TOPIC_ARN'),
    releaseFlow: {
      advance: (application, release, trigger) => flow().advance(application, release, trigger),
    },
  };
  const deps: ApprovalDeps = {
    ...decisionDeps,
    pipeline: rt.pipeline,
    keys,
    approvalTopicArn: requireEnv('BATON_APPROVAL_TOPIC_ARN'),
    approvalUrl,
  };
  return { approvals: approvals(deps), decisionDeps, keys };
};

/** What settling an approval needs, with the release flow (and its approvals) wired in: approval-decided. */
export const settlingDeps = (deploy: DeployDeps): DecisionDeps => {
  let flow: ReleaseFlow | undefined;
  const wiring = wireApprovals(deploy, () => {
    flow ??= promotionFlow({ ...deploy, approvals: wiring.approvals });
    return flow;
  });
  return wiring.decisionDeps;
};

/**
 * The promotion state machine with approvals wired in: for the functions that advance releases
 * (deployment-finished, reconcile, source-pushed, operator), e.g. `auditDeps(approvingFlow)`.
 */
export const approvingFlow = (deploy: DeployDeps): ReleaseFlow => settlingDeps(deploy).releaseFlow;

/** The Approvals port for deps that advance releases themselves (source-pushed, operator). */
export const approvalsFor = (deploy: DeployDeps): ApprovalWiring => {
  const wiring: ApprovalWiring = wireApprovals(deploy, () =>
    promotionFlow({ ...deploy, approvals: wiring.approvals }),
  );
  return wiring;
};
