// At decision time a link's approver must still be configured for the environment: pipeline.yml as
// deployed now, not the approvers recorded when the approval was asked. Removing an approver from
// pipeline.yml takes the power from every link already sent to them.

import type { Core } from '../core/ports';
import type { Pipeline } from '../pipeline/rules/config';
import { recordRejection } from '../refusals/rejections';
import type { ApprovalRecord } from './records';

type Where = Pick<ApprovalRecord, 'id' | 'application' | 'environment'>;

export const stillApprover = (pipeline: Pipeline, approval: Where, approver: string): boolean => {
  const environment = pipeline.applications[approval.application]?.environments.find(
    (e) => e.name === approval.environment,
  );
  const wanted = approver.toLowerCase();
  return (environment?.approval?.approvers ?? []).some((a) => a.toLowerCase() === wanted);
};

/** A decision refused because its approver left pipeline.yml, recorded with who and which approval. */
export const refuseRemovedApprover = (deps: Core, approval: Where, approver: string) =>
  recordRejection(
    deps,
    'approval',
    `decision on approval ${approval.id} refused: ${approver} is no longer an approver of ${approval.application} ${approval.environment} in pipeline.yml`,
  );
