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

/** An artifact as `baton rollback` compares two: its S3 object, by key, ETag and version. */
export interface RevisionRef {
  key: string;
  etag: string;
  versionId?: string | undefined;
}

export interface NextStepFacts {
  deploymentId: string;
  application: string;
  verdict: Verdict;
  release?: string;
  commit?: string;
  artifact?: RevisionRef;
  /** The rest, when the ledger and pipeline.yml could be read; else why not. */
  around: AroundFacts | { unknown: string };
}

/** What retry and rollback depend on beyond the audit record. */
export interface AroundFacts {
  environment: Environment;
  /** The environment's last VERIFIED deployment, if any. */
  lastVerified?: { deploymentId: string; commit: string; release?: string; artifact: RevisionRef };
  /** What Baton's own rollback (onFailure: rollback) did, if it ran, and its deployment once started. */
  rolledBack?: { done: string; deploymentId?: string };
}

/** The console's host for a region: China and GovCloud regions have their own partition's console. */
const consoleBase = (region: string): string => {
  if (region.startsWith('cn-')) return 'https://console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'https://console.amazonaws-us-gov.com';
  return `https://${region}.console.aws.amazon.com`;
};

/** The CodeDeploy console's page of one deployment. */
export const consoleLink = (deploymentId: string, region: string): string =>
  `${consoleBase(region)}/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${encodeURIComponent(region)}`;

export const sameRevision = (a: RevisionRef, b: RevisionRef): boolean =>
  a.key === b.key && a.etag === b.etag && a.versionId === b.versionId;

const short = (commit: string) => commit.slice(0, 12);

/** The command line's target: a deployed stage (with its region), or the local stack by default. */
const targetFlags = (o: AlertOrigin) =>
  o.stage ? ` --stage ${o.stage}${o.region ? ` --region ${o.region}` : ''}` : '';

type Baton = (args: string) => string;

const rollbackStep = (f: NextStepFacts, a: AroundFacts, baton: Baton): string => {
  const where = `${f.application} ${a.environment.name}`;
  const r = a.rolledBack;
  const v = a.lastVerified;
  const to = v
    ? `${v.release ? `release ${v.release}` : `commit ${short(v.commit)}`}`
    : 'the last VERIFIED revision';
  if (r?.deploymentId) return `${baton(`watch ${r.deploymentId}`)}   # Baton's rollback to ${to}, started`;
  if (r)
    return `Rollback: Baton already requested it (${r.done}); ${baton(`status --app ${f.application}`).trim()} shows it start.`;
  if (!v) return `Rollback: none possible, ${where} has no VERIFIED deployment to go back to.`;
  // As `baton rollback` refuses: the same deployment, or the same artifact.
  if (v.deploymentId === f.deploymentId || (f.artifact && sameRevision(v.artifact, f.artifact)))
    return `Rollback: none, ${where}'s last VERIFIED revision is this same artifact; retry it instead.`;
  const what = `commit ${short(v.commit)}${v.release ? ` (release ${v.release})` : ''}`;
  return `${baton(`rollback ${where}`)}   # back to ${what}, VERIFIED in deployment ${v.deploymentId}`;
};

const retryStep = (f: NextStepFacts, a: AroundFacts, baton: Baton): string => {
  const where = `${f.application} ${a.environment.name}`;
  if (f.release) return `${baton(`retry ${where}`)}   # release ${f.release} again, through its gates`;
  if (isGated(a.environment))
    return `Retry: only a release (or deploy --force with a reason) enters ${a.environment.name}; this deployment is of none.`;
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
    ...('unknown' in f.around
      ? [`Retry and rollback: not worked out, ${f.around.unknown}.`]
      : [retryStep(f, f.around, baton), rollbackStep(f, f.around, baton)]),
  );
  return lines.map((l) => (l.startsWith('  ') || l === '' || l.endsWith(':') ? l : `  ${l}`));
};

/** What going on from a bake that did not pass takes: the release and its next environment. */
export interface ForceOnFacts {
  application: string;
  release?: string | undefined;
  /** The environment after this one on the release's path, if any. */
  next?: string | undefined;
}

/** The typed force past a bake, or why there is none. */
export const forceOnStep = (f: ForceOnFacts, origin: AlertOrigin): string => {
  if (!f.release) return '  Force on: none, this deployment is of no release.';
  if (!f.next) return `  Force on: none, release ${f.release} has no environment after this one.`;
  return `  baton promote --app ${f.application} --release ${f.release} --env ${f.next} --force --reason "<why it is safe>"${targetFlags(origin)}   # on to ${f.next} without the bake (kept on the release timeline)`;
};

/**
 * A held bake's closing lines: auditing again starts a fresh full bake (it does not read the alarms
 * once and decide), or an operator forces the release on past it.
 */
export const heldBakeSteps = (
  f: ForceOnFacts & { deploymentId: string; bakeMinutes: number },
  origin: AlertOrigin,
): string[] => [
  'Next:',
  `  baton audit --deployment-id ${f.deploymentId}${targetFlags(origin)}   # bake again: a fresh ${f.bakeMinutes}-minute bake from now, its alarms watched again`,
  forceOnStep(f, origin),
];
