// The audit's evidence: the deployment and its targets, read side by side, and for a Lambda deployment
// CodeDeploy calls Succeeded the alias as Lambda says it is now. What could not be read is named (the
// verdict will say INCOMPLETE), never thrown.
import type { LambdaAliases } from '../core/ports';
import { errorName, NotFoundError } from '../core/rules/errors';
import type { LambdaTarget } from '../pipeline/rules/deployment-group';
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

// AWS's own words (throttled, denied), bounded: for the report and the log, not for a caller.
const aliasError = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : 'unknown error';

/**
 * Where the environment's alias points now (GetAlias, once), for a Lambda environment's deployment that
 * CodeDeploy calls Succeeded; a failed read is named in `unreadable`. Any other deployment is left as is.
 * The alias is evidence only while this deployment is the environment's latest: once a newer one has
 * started there (an operator re-auditing an old deployment), the alias is that one's, and is not asked.
 */
export const withAliasNow = async (
  aliases: LambdaAliases | undefined,
  target: LambdaTarget | undefined,
  evidence: Evidence,
  newerDeployment: () => Promise<string | undefined>,
): Promise<Evidence> => {
  if (!target || evidence.deployment?.status !== 'Succeeded') return evidence;
  const name = `${target.function}:${target.alias}`;
  try {
    const newer = await newerDeployment();
    if (newer)
      return {
        ...evidence,
        aliasSkipped: `deployment ${newer} started in this environment since, and the alias is its now`,
      };
    if (!aliases) throw new Error('no alias reader is wired for this function');
    const routing = await aliases.routing(target.function, target.alias);
    return { ...evidence, aliasNow: { functionName: target.function, alias: target.alias, ...routing } };
  } catch (error) {
    return { ...evidence, unreadable: [...evidence.unreadable, `GetAlias ${name}: ${aliasError(error)}`] };
  }
};
