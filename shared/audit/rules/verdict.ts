// The audit's verdict rules: from CodeDeploy's evidence (the deployment and every one of its targets,
// and for Lambda what GetAlias says of the alias) and the environment's expectation to VERIFIED,
// PARTIAL, FAILED or INCOMPLETE, with every reason spelled out. CodeDeploy's own "Succeeded" only means its minimum-healthy-hosts rule was met.
import type { TolerableStatus } from '../../pipeline/rules/config';
import {
  type AliasNow,
  type DeploymentFacts,
  type Diagnostics,
  type Evidence,
  isFinished,
  type OperatorStop,
  type Target,
  type TargetKind,
  type TargetStatus,
} from './evidence';
import type { Verdict } from './gate';
import { platformShortfall } from './platform-outcome';

export interface AuditExpectation {
  minimumTargets: number;
  tolerate: readonly TolerableStatus[];
  /** The last VERIFIED deployment of the same group and how many targets it expected. */
  lastVerified?: { deploymentId: string; fleet: number };
  /** The group's own alarm configuration, where pipeline.yml creates the group (group.alarms). */
  groupAlarms?: readonly string[];
}

/** CodeDeploy stopped the deployment because an alarm of its group's alarm configuration fired. */
const alarmStop = (expectation: AuditExpectation): string =>
  expectation.groupAlarms?.length
    ? `CodeDeploy stopped it on the deployment group's alarm configuration: ${expectation.groupAlarms.join(', ')} (pipeline.yml group.alarms)`
    : "CodeDeploy stopped it on the deployment group's alarm configuration (the group is adopted: its alarms are in CodeDeploy, not pipeline.yml)";

export interface FailingTarget {
  id: string;
  kind: TargetKind;
  label?: string;
  status: TargetStatus;
  /** The lifecycle event that failed (or the first one that did not succeed). */
  event?: { name: string; status: string } & Diagnostics;
  /** An ECS or Lambda target CodeDeploy calls Succeeded: what it did not deliver (platform-outcome.ts). */
  shortfall?: string;
}

/** One target as the report keeps it: every target gets a labelled cell on the pages, not only failing ones. */
export interface TargetCell {
  id: string;
  kind: TargetKind;
  status: TargetStatus;
  label?: 'Blue' | 'Green';
  /** A Succeeded ECS or Lambda target that did not deliver its platform's outcome: what it did not. */
  shortfall?: string;
}

export interface Counts {
  /** Every target CodeDeploy listed. */
  targets: number;
  /** Targets that should have the new revision (all but retired Blue instances). */
  expected: number;
  succeeded: number;
  tolerated: number;
  /** Original (Blue) instances of a blue/green deployment, being retired. */
  retired: number;
  /** Statuses of the expected targets. */
  byStatus: Partial<Record<TargetStatus, number>>;
}

export interface AuditReport {
  v: 1;
  deploymentId: string;
  verdict: Verdict;
  reasons: string[];
  counts: Counts;
  failing: FailingTarget[];
  /** Every target CodeDeploy listed, in its order; absent from reports recorded before it was kept. */
  targets?: TargetCell[];
  expectation: AuditExpectation;
  codedeploy?: DeploymentFacts;
  /** The operator's stop, for a deployment stopped through Baton. */
  stop?: OperatorStop;
  /** A Lambda deployment CodeDeploy calls Succeeded: its alias as GetAlias said after it (absent before it was read). */
  aliasNow?: AliasNow;
  /** Why GetAlias was not asked (a newer deployment moved the alias since). */
  aliasSkipped?: string;
  unreadable: string[];
}

/** Stored log tails are bounded; the email trims further. */
const LOG_TAIL_MAX = 4096;

const failedEvent = (t: Target): FailingTarget['event'] => {
  const e = t.events.find((s) => s.status === 'Failed') ?? t.events.find((s) => s.status !== 'Succeeded');
  if (!e) return undefined;
  const d = e.diagnostics ?? {};
  return {
    name: e.name,
    status: e.status,
    ...(d.errorCode ? { errorCode: d.errorCode } : {}),
    ...(d.scriptName ? { scriptName: d.scriptName } : {}),
    ...(d.message ? { message: d.message } : {}),
    ...(d.logTail ? { logTail: d.logTail.slice(-LOG_TAIL_MAX) } : {}),
  };
};

const failingOf = (t: Target, aliasNow?: AliasNow): FailingTarget => {
  const event = failedEvent(t);
  const shortfall = t.status === 'Succeeded' ? platformShortfall(t, aliasNow) : undefined;
  return {
    id: t.id,
    kind: t.kind,
    ...(t.label ? { label: t.label } : {}),
    status: t.status,
    ...(event ? { event } : {}),
    ...(shortfall ? { shortfall } : {}),
  };
};

interface Sorted {
  counts: Counts;
  failing: Target[];
}

const sortTargets = (
  targets: readonly Target[],
  blueGreen: boolean,
  tolerate: readonly string[],
  aliasNow?: AliasNow,
): Sorted => {
  const counts: Counts = {
    targets: targets.length,
    expected: 0,
    succeeded: 0,
    tolerated: 0,
    retired: 0,
    byStatus: {},
  };
  const failing: Target[] = [];
  for (const t of targets) {
    // Only a blue/green deployment retires anything; elsewhere a Blue label is no excuse.
    if (blueGreen && t.label === 'Blue') {
      counts.retired += 1;
      continue;
    }
    counts.expected += 1;
    counts.byStatus[t.status] = (counts.byStatus[t.status] ?? 0) + 1;
    if (t.status === 'Succeeded' && !platformShortfall(t, aliasNow)) counts.succeeded += 1;
    else if (t.status === 'Succeeded') failing.push(t);
    else if (tolerate.includes(t.status)) counts.tolerated += 1;
    else failing.push(t);
  }
  return { counts, failing };
};

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const overviewTotal = (o: DeploymentFacts['overview']) =>
  o ? Object.values(o).reduce<number>((sum, n) => sum + (n ?? 0), 0) : undefined;

/** An ECS or Lambda deployment has exactly one target, its service or its alias, which must deliver. */
const singleTarget = (evidence: Evidence): 'ECS' | 'Lambda' | undefined => {
  const platform = evidence.deployment?.computePlatform;
  if (platform === 'ECS' || platform === 'Lambda') return platform;
  const kinds = new Set(evidence.targets?.map((t) => t.kind));
  return kinds.has('ecs') ? 'ECS' : kinds.has('lambda') ? 'Lambda' : undefined;
};

/** Too few targets at all is a missing fleet; enough targets but too few successes is a shortfall. */
const countReasons = (counts: Counts, minimum: number, single: 'ECS' | 'Lambda' | undefined): string[] => {
  if (single && counts.expected < 1)
    return [
      `targets are missing: the deployment has ${plural(counts.expected, 'target')}, ${single === 'ECS' ? 'an ECS deployment has exactly one (its service)' : 'a Lambda deployment has exactly one (its alias)'}`,
    ];
  if (counts.expected < minimum)
    return [
      `targets are missing: the deployment has ${plural(counts.expected, 'target')}, the environment expects at least ${minimum}`,
    ];
  if (counts.succeeded < minimum)
    return [
      `only ${counts.succeeded} of ${plural(counts.expected, 'target')} run the new revision, the environment needs at least ${minimum}`,
    ];
  return [];
};

/** The verdict and its reasons. Pure: the same evidence always gives the same answer. */
export const decide = (
  evidence: Evidence,
  expectation: AuditExpectation,
): { verdict: Verdict; reasons: string[]; counts: Counts; failing: FailingTarget[] } => {
  const d = evidence.deployment;
  // pipeline.yml refuses other settings on ECS and Lambda; a record made before that rule gets none.
  const single = singleTarget(evidence);
  const minimum = single ? 1 : expectation.minimumTargets;
  const sorted = sortTargets(
    evidence.targets ?? [],
    d?.deploymentType === 'BLUE_GREEN' && !single,
    single ? [] : expectation.tolerate,
    evidence.aliasNow,
  );
  const { counts } = sorted;
  const failing = sorted.failing.map((t) => failingOf(t, evidence.aliasNow));
  const unreadable = evidence.unreadable.length ? `: ${evidence.unreadable.join('; ')}` : '';
  const result = (verdict: Verdict, reasons: string[]) => ({ verdict, reasons, counts, failing });

  if (!d) return result('INCOMPLETE', [`the deployment could not be read${unreadable}`]);
  if (d.status === 'Failed' || d.status === 'Stopped') {
    const why = d.error?.code ? `: ${d.error.code}${d.error.message ? ` (${d.error.message})` : ''}` : '';
    const reasons = [`CodeDeploy reports the deployment ${d.status}${why}`];
    if (d.error?.code === 'ALARM_ACTIVE') reasons.push(alarmStop(expectation));
    const stop = d.status === 'Stopped' ? evidence.stop : undefined;
    if (stop)
      reasons.push(
        `stopped by ${stop.by}: ${stop.reason}${stop.autoRollback ? ' (CodeDeploy was asked to roll it back)' : ''}`,
      );
    if (!evidence.targets) reasons.push(`the targets could not be read${unreadable}`);
    else if (failing.length)
      reasons.push(`${failing.length} of ${plural(counts.expected, 'target')} did not succeed`);
    return result('FAILED', reasons);
  }
  if (!isFinished(d.status))
    return result('INCOMPLETE', [`CodeDeploy reports ${d.status}: the deployment has not finished`]);
  if (!evidence.targets) return result('INCOMPLETE', [`the targets could not be read${unreadable}`]);
  const listed = overviewTotal(d.overview);
  if (listed !== undefined && listed > counts.targets)
    return result('INCOMPLETE', [
      `CodeDeploy counts ${plural(listed, 'target')} but only ${counts.targets} could be read`,
    ]);

  const reasons: string[] = [];
  if (failing.length)
    reasons.push(
      `CodeDeploy reports Succeeded, but ${failing.length} of ${plural(counts.expected, 'target')} did not succeed`,
    );
  for (const t of failing) if (t.shortfall) reasons.push(`${t.id}: ${t.shortfall}`);
  reasons.push(...countReasons(counts, minimum, single));
  const last = expectation.lastVerified;
  if (last && counts.expected < last.fleet)
    reasons.push(
      `the fleet shrank: ${plural(counts.expected, 'target')}, the last VERIFIED deployment ${last.deploymentId} had ${last.fleet}`,
    );
  // CodeDeploy's word on a Lambda alias is not enough: without GetAlias's, VERIFIED is not known yet.
  const aliasUnread =
    single === 'Lambda' && !evidence.aliasNow && !evidence.aliasSkipped
      ? `where the alias points now could not be read${unreadable || ": Lambda's GetAlias was not asked"}`
      : undefined;
  if (reasons.length) return result('PARTIAL', aliasUnread ? [...reasons, aliasUnread] : reasons);
  if (aliasUnread) return result('INCOMPLETE', [aliasUnread]);

  if (counts.expected === 0)
    return result('VERIFIED', ['no targets, and the environment expects none (audit.minimumTargets is 0)']);
  const tolerated = counts.tolerated
    ? ` (${counts.tolerated} tolerated: ${expectation.tolerate.join(', ')})`
    : '';
  return result('VERIFIED', [
    `every target that should have the new revision succeeded: ${counts.succeeded} of ${counts.expected}${tolerated}`,
  ]);
};

/** The stored report: the decision with the facts it was made from. */
export const buildReport = (
  deploymentId: string,
  evidence: Evidence,
  expectation: AuditExpectation,
): AuditReport => {
  const decision = decide(evidence, expectation);
  // CodeDeploy labels in-place targets Blue too; only a blue/green deployment's labels mean a fleet.
  const blueGreen = evidence.deployment?.deploymentType === 'BLUE_GREEN';
  return {
    v: 1,
    deploymentId,
    ...decision,
    targets: (evidence.targets ?? []).map((t) => {
      const shortfall = t.status === 'Succeeded' ? platformShortfall(t, evidence.aliasNow) : undefined;
      return {
        id: t.id,
        kind: t.kind,
        status: t.status,
        ...(t.label && blueGreen ? { label: t.label } : {}),
        ...(shortfall ? { shortfall } : {}),
      };
    }),
    expectation: { ...expectation, tolerate: [...expectation.tolerate] },
    ...(evidence.deployment ? { codedeploy: evidence.deployment } : {}),
    ...(evidence.stop && evidence.deployment?.status === 'Stopped' ? { stop: { ...evidence.stop } } : {}),
    ...(evidence.aliasSkipped ? { aliasSkipped: evidence.aliasSkipped } : {}),
    ...(evidence.aliasNow
      ? {
          aliasNow: {
            ...evidence.aliasNow,
            additionalVersionWeights: { ...evidence.aliasNow.additionalVersionWeights },
          },
        }
      : {}),
    unreadable: [...evidence.unreadable],
  };
};
