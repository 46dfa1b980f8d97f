// CodeDeploy's shapes (GetDeployment's deploymentInfo, BatchGetDeploymentTargets' deploymentTargets)
// mapped to the audit's evidence. Anything missing or unrecognised maps to what can never pass an
// audit (status Unknown), never to success.
import type {
  DeploymentInfo,
  DeploymentTarget,
  ECSTaskSet,
  LambdaFunctionInfo,
  LifecycleEvent,
} from '@aws-sdk/client-codedeploy';
import { EvidenceError } from '../audit/ports';
import {
  type AliasShift,
  type DeploymentFacts,
  type LifecycleStep,
  TARGET_STATUSES,
  type Target,
  type TargetKind,
  type TargetStatus,
  type TaskSet,
} from '../audit/rules/evidence';

const isTargetStatus = (s: unknown): s is TargetStatus =>
  typeof s === 'string' && (TARGET_STATUSES as readonly string[]).includes(s);

// Diagnostics of a successful event only say so, with a log tail of up to 2 KB: at 10,000 targets
// of 9 events each they would cost ~180 MB for nothing. Only unsuccessful events keep theirs.
const stepOf = (e: LifecycleEvent): LifecycleStep => {
  const status = e.status ?? 'Unknown';
  const d = e.diagnostics;
  const keep = d && status !== 'Succeeded';
  return {
    name: e.lifecycleEventName ?? '(unnamed event)',
    status,
    ...(keep
      ? {
          diagnostics: {
            ...(d.errorCode ? { errorCode: d.errorCode } : {}),
            ...(d.scriptName ? { scriptName: d.scriptName } : {}),
            ...(d.message ? { message: d.message } : {}),
            ...(d.logTail ? { logTail: d.logTail } : {}),
          },
        }
      : {}),
  };
};

interface Common {
  targetId?: string | undefined;
  status?: string | undefined;
  lifecycleEvents?: LifecycleEvent[] | undefined;
}

const kindOf = (dt: DeploymentTarget): { kind: TargetKind; target: Common } | undefined => {
  if (dt.instanceTarget) return { kind: 'instance', target: dt.instanceTarget };
  if (dt.ecsTarget) return { kind: 'ecs', target: dt.ecsTarget };
  if (dt.lambdaTarget) return { kind: 'lambda', target: dt.lambdaTarget };
  if (dt.cloudFormationTarget) return { kind: 'cloudformation', target: dt.cloudFormationTarget };
  return undefined;
};

const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const label = (l: string | undefined) => (l === 'Blue' || l === 'Green' ? l : undefined);

const taskSetOf = (s: ECSTaskSet): TaskSet =>
  defined({
    id: s.identifer,
    label: label(s.taskSetLabel),
    status: s.status,
    trafficWeight: s.trafficWeight,
  });

const aliasOf = (f: LambdaFunctionInfo): AliasShift =>
  defined({
    functionName: f.functionName,
    alias: f.functionAlias,
    currentVersion: f.currentVersion,
    targetVersion: f.targetVersion,
    targetVersionWeight: f.targetVersionWeight,
  });

/** One target of BatchGetDeploymentTargets; undefined when it names no target id. */
export const targetOf = (dt: DeploymentTarget): Target | undefined => {
  const found = kindOf(dt);
  if (!found?.target.targetId) return undefined;
  const instanceLabel = label(dt.instanceTarget?.instanceLabel);
  const taskSets = dt.ecsTarget ? (dt.ecsTarget.taskSetsInfo ?? []).map(taskSetOf) : undefined;
  const alias = dt.lambdaTarget?.lambdaFunctionInfo;
  return {
    id: found.target.targetId,
    kind: found.kind,
    status: isTargetStatus(found.target.status) ? found.target.status : 'Unknown',
    ...(instanceLabel ? { label: instanceLabel } : {}),
    events: (found.target.lifecycleEvents ?? []).map(stepOf),
    ...(taskSets ? { taskSets } : {}),
    ...(alias ? { alias: aliasOf(alias) } : {}),
  };
};

const overviewOf = (o: DeploymentInfo['deploymentOverview']): DeploymentFacts['overview'] => {
  if (!o) return undefined;
  const counts: NonNullable<DeploymentFacts['overview']> = {};
  for (const status of TARGET_STATUSES) {
    const n = status === 'Unknown' ? undefined : o[status];
    if (typeof n === 'number') counts[status] = n;
  }
  return counts;
};

const iso = (d: Date | undefined) =>
  d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined;

/** GetDeployment's deploymentInfo; a reply without a status is no evidence at all. */
export const factsOf = (deploymentId: string, info: DeploymentInfo | undefined): DeploymentFacts => {
  if (!info?.status) throw new EvidenceError('GetDeployment returned no deployment status');
  const overview = overviewOf(info.deploymentOverview);
  const createdAt = iso(info.createTime);
  const completedAt = iso(info.completeTime);
  const error = info.errorInformation;
  const rollback = info.rollbackInfo;
  return {
    deploymentId: info.deploymentId ?? deploymentId,
    codedeployApplication: info.applicationName ?? '',
    deploymentGroup: info.deploymentGroupName ?? '',
    status: info.status,
    ...(info.computePlatform ? { computePlatform: info.computePlatform } : {}),
    ...(info.deploymentConfigName ? { deploymentConfig: info.deploymentConfigName } : {}),
    ...(info.deploymentStyle?.deploymentType ? { deploymentType: info.deploymentStyle.deploymentType } : {}),
    ...(overview ? { overview } : {}),
    ...(info.creator ? { creator: info.creator } : {}),
    ...(error?.code || error?.message
      ? {
          error: {
            ...(error.code ? { code: error.code } : {}),
            ...(error.message ? { message: error.message } : {}),
          },
        }
      : {}),
    ...(rollback
      ? {
          rollback: {
            ...(rollback.rollbackDeploymentId ? { deploymentId: rollback.rollbackDeploymentId } : {}),
            ...(rollback.rollbackTriggeringDeploymentId
              ? { triggeredBy: rollback.rollbackTriggeringDeploymentId }
              : {}),
            ...(rollback.rollbackMessage ? { message: rollback.rollbackMessage } : {}),
          },
        }
      : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(completedAt ? { completedAt } : {}),
  };
};
