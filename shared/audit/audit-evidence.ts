// The audit's evidence: the deployment and its targets, read side by side. What could not be read is
// named (the verdict will say INCOMPLETE), never thrown.
import { errorName, NotFoundError } from '../core/rules/errors';
import { type DeploymentReader, EvidenceError } from './ports';
import type { Evidence } from './rules/evidence';

const reasonOf = (error: unknown) =>
  error instanceof EvidenceError || error instanceof NotFoundError
    ? error.message
    : `${errorName(error)} (unexpected)`;

/** `unknown`: CodeDeploy says there is no such deployment. */
export const readEvidence = async (reader: DeploymentReader, deploymentId: string) => {
  const [deployment, targets] = await Promise.allSettled([
    reader.deployment(deploymentId),
    reader.targets(deploymentId),
  ]);
  const unreadable: string[] = [];
  if (deployment.status === 'rejected') unreadable.push(`the deployment: ${reasonOf(deployment.reason)}`);
  if (targets.status === 'rejected') unreadable.push(`the targets: ${reasonOf(targets.reason)}`);
  const evidence: Evidence = {
    ...(deployment.status === 'fulfilled' ? { deployment: deployment.value } : {}),
    ...(targets.status === 'fulfilled' ? { targets: targets.value } : {}),
    unreadable,
  };
  return {
    evidence,
    unknown: deployment.status === 'rejected' && deployment.reason instanceof NotFoundError,
  };
};
