// What an alert gives the engineer on call to act on: the deployment in the CodeDeploy console, and
// the `baton` commands that apply, exactly as they are typed, for the stage the alert came from.
import type { Environment } from '../../pipeline/rules/config';
import { isGated } from '../../releases/rules/promotion';
import type { Verdict } from './gate';

/** Where the alerting function runs: its region, and its stage when deployed (`baton-<stage>`). */
export interface AlertOrigin {
  region?: string;
  stage?: string;
  /** False where CodeDeploy is a local stand-in: the console does not know its deployments. */
  console: boolean;
}

export interface NextStepFacts {
  deploymentId: string;
  application: string;
  environment: Environment;
  verdict: Verdict;
  release?: string;
  commit?: string;
  /** The environment's last VERIFIED deployment, if any. */
  lastVerified?: { deploymentId: string; commit: string; release?: string };
  /** What Baton's own rollback (onFailure: rollback) did, if it ran. */
  rolledBack?: string;
}

/** The CodeDeploy console's page of one deployment. */
export const consoleLink = (deploymentId: string, region: string): string =>
  `https://${region}.console.aws.amazon.com/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${encodeURIComponent(region)}`;

const short = (commit: string) => commit.slice(0, 12);

/** The command line's target: a deployed stage (with its region), or the local stack by default. */
const targetFlags = (o: AlertOrigin) =>
  o.stage ? ` --stage ${o.stage}${o.region ? ` --region ${o.region}` : ''}` : '';

const rollbackStep = (f: NextStepFacts, baton: (args: string) => string): string => {
  const where = `${f.application} ${f.environment.name}`;
  if (f.rolledBack) return `Rollback: Baton already did (${f.rolledBack}); follow it with baton watch.`;
  const v = f.lastVerified;
  if (!v) return `Rollback: none possible, ${where} has no VERIFIED deployment to go back to.`;
  if (f.commit && v.commit === f.commit)
    return `Rollback: none, ${where}'s last VERIFIED revision is this same commit; retry it instead.`;
  const what = `commit ${short(v.commit)}${v.release ? ` (release ${v.release})` : ''}`;
  return `${baton(`rollback ${where}`)}   # back to ${what}, VERIFIED in deployment ${v.deploymentId}`;
};

const retryStep = (f: NextStepFacts, baton: (args: string) => string): string => {
  const where = `${f.application} ${f.environment.name}`;
  if (f.release) return `${baton(`retry ${where}`)}   # release ${f.release} again, through its gates`;
  if (isGated(f.environment))
    return `Retry: only a release (or deploy --force with a reason) enters ${f.environment.name}; this deployment is of none.`;
  return `${baton(`retry ${where}`)}   # the same artifact again`;
};

/** The alert's closing lines: the console link, then one command (or why none) per way forward. */
export const nextSteps = (f: NextStepFacts, origin: AlertOrigin): string[] => {
  const baton = (args: string) => `  baton ${args}${targetFlags(origin)}`;
  const lines: string[] = [];
  if (origin.console && origin.region)
    lines.push('In the CodeDeploy console:', `  ${consoleLink(f.deploymentId, origin.region)}`, '');
  lines.push(
    'Next:',
    `${baton(`watch ${f.deploymentId}`)}   # each target's lifecycle events and log tail`,
    ...(f.verdict === 'INCOMPLETE'
      ? [`${baton(`audit --deployment-id ${f.deploymentId}`)}   # audit again now, once CodeDeploy answers`]
      : []),
    retryStep(f, baton),
    rollbackStep(f, baton),
  );
  return lines.map((l) => (l.startsWith('  ') || l === '' || l.endsWith(':') ? l : `  ${l}`));
};
