// CodeDeploy says a deployment changed state: record it; when it finished, audit it.

import { NotFoundError } from '../core/rules/errors';
import { auditKeys } from '../ledger/keys';
import { environmentForGroup } from '../pipeline/rules/config';
import { refuseAndAlert } from '../refusals/rejection-alerts';
import { recordRejection } from '../refusals/rejections';
import { type AuditDeps, audit } from './audit';
import type { DeploymentStateRecord } from './records';
import type { DeploymentNotice } from './rules/codedeploy-events';
import type { Verdict } from './rules/gate';

export const SOURCE = 'deployment-finished';

export type NoticeOutcome =
  | { outcome: 'rejected'; deploymentId: string; reason: string }
  | { outcome: 'recorded'; deploymentId: string; state: string }
  | { outcome: 'audited' | 'recorded-earlier'; deploymentId: string; state: string; verdict: Verdict }
  | { outcome: 'unfinished'; deploymentId: string; state: string; status: string };

export const deploymentFinished = async (
  deps: AuditDeps,
  notice: DeploymentNotice,
): Promise<NoticeOutcome> => {
  const { deploymentId, state } = notice;
  const group = {
    codedeployApplication: notice.codedeployApplication,
    deploymentGroup: notice.deploymentGroup,
  };
  const owner = environmentForGroup(deps.pipeline, group.codedeployApplication, group.deploymentGroup);
  if (!owner) {
    const reason = `deployment group ${group.codedeployApplication}/${group.deploymentGroup} is not in the pipeline`;
    await recordRejection(deps, SOURCE, `${reason} (deployment ${deploymentId})`);
    return { outcome: 'rejected', deploymentId, reason };
  }
  const record: DeploymentStateRecord = {
    v: 1,
    kind: 'deployment-state',
    deploymentId,
    ...group,
    state,
    source: notice.source,
    at: notice.at,
    recordedAt: deps.clock.now().toISOString(),
  };
  // The first delivery of each state is kept; EventBridge and SNS may both deliver it, more than once.
  const first = Boolean(await deps.store.create(auditKeys.state(deploymentId, state), record));
  if (state === 'START' || state === 'READY') return { outcome: 'recorded', deploymentId, state };

  const trigger = `${notice.source} ${state}`;
  const result = await audit(deps, { deploymentId, trigger, group, firstSighting: first }).catch(
    async (error: unknown) => {
      // Neither CodeDeploy nor the ledger knows the deployment: a retry cannot help. The event names a
      // group of the pipeline, so the refusal alerts (once per deployment).
      if (!(error instanceof NotFoundError)) throw error;
      await refuseAndAlert(deps, SOURCE, `${error.message} (${notice.source} ${state})`, {
        rule: 'deployment-unknown',
        application: owner.application,
        environment: owner.environment.name,
        owner: `deployment group ${group.codedeployApplication}/${group.deploymentGroup}`,
        subject: `deployment ${deploymentId}`,
      });
      return { outcome: 'rejected' as const, reason: error.message };
    },
  );
  if (result.outcome === 'rejected') return { outcome: 'rejected', deploymentId, reason: result.reason };
  if (result.outcome === 'unfinished')
    // The event ran ahead of GetDeployment; reconcile audits it once CodeDeploy agrees it finished.
    return { outcome: 'unfinished', deploymentId, state, status: result.status };
  return { outcome: result.outcome, deploymentId, state, verdict: result.verdict };
};
