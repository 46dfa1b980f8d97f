// ECS and Lambda targets as BatchGetDeploymentTargets returns them (the API model's ECSTarget with its
// ECSTaskSet list, LambdaTarget with its LambdaFunctionInfo), changed per case by the tests.
import type {
  DeploymentTarget,
  ECSTaskSet,
  LambdaFunctionInfo,
  LifecycleEvent,
  TargetStatus,
} from '@aws-sdk/client-codedeploy';
import { ECS_EVENTS, LAMBDA_EVENTS } from '../../local/codedeploy/types';
import type { AliasNow } from '../../shared/audit/rules/evidence';
import { DEPLOYMENT } from './audit';

// The lifecycle events in the local CodeDeploy's run order, which verdict-platforms.test.ts holds to
// AWS's (CodeDeploy User Guide, "Run order of hooks").
export { ECS_EVENTS, LAMBDA_EVENTS } from '../../local/codedeploy/types';

/** Every event Succeeded, but `failed` (a hook function that reported Failed). */
const eventsOf = (names: readonly string[], failed?: string): LifecycleEvent[] =>
  names.map((n) => ({
    lifecycleEventName: n,
    status: n === failed ? 'Failed' : 'Succeeded',
    ...(n === failed
      ? {
          diagnostics: {
            errorCode: 'UnknownError' as const,
            message: `The ${n} hook function reported Failed`,
          },
        }
      : {}),
  }));

const taskSet = (label: 'Blue' | 'Green', trafficWeight: number, status: string): ECSTaskSet => ({
  identifer: `ecs-svc/${label === 'Blue' ? '1111' : '2222'}`,
  desiredCount: 2,
  pendingCount: 0,
  runningCount: 2,
  status,
  trafficWeight,
  targetGroup: { name: `svc-dev-${label.toLowerCase()}` },
  taskSetLabel: label,
});

/** An ECS service target: traffic on the replacement (Green) task set unless `greenWeight` says less. */
export const ecsTarget = (
  over: { status?: TargetStatus; failed?: string; greenWeight?: number; taskSets?: ECSTaskSet[] } = {},
): DeploymentTarget => {
  const green = over.greenWeight ?? 100;
  return {
    deploymentTargetType: 'ECSTarget',
    ecsTarget: {
      deploymentId: DEPLOYMENT,
      targetId: 'baton:svc-dev',
      targetArn: 'arn:aws:ecs:us-east-1:123456789012:service/baton/svc-dev',
      status: over.status ?? 'Succeeded',
      lifecycleEvents: eventsOf(ECS_EVENTS, over.failed),
      taskSetsInfo: over.taskSets ?? [
        taskSet('Blue', 100 - green, green === 100 ? 'ACTIVE' : 'PRIMARY'),
        taskSet('Green', green, green === 100 ? 'PRIMARY' : 'ACTIVE'),
      ],
    },
  };
};
export const greenTaskSet = (weight: number) => taskSet('Green', weight, 'PRIMARY');

/** A Lambda alias target: version 7 → 8, all of the traffic on 8 unless `info` says otherwise. */
export const lambdaTarget = (
  over: { status?: TargetStatus; failed?: string; info?: Partial<LambdaFunctionInfo> } = {},
): DeploymentTarget => ({
  deploymentTargetType: 'LambdaTarget',
  lambdaTarget: {
    deploymentId: DEPLOYMENT,
    targetId: 'fn-api:live',
    targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn-api:live',
    status: over.status ?? 'Succeeded',
    lifecycleEvents: eventsOf(LAMBDA_EVENTS, over.failed),
    lambdaFunctionInfo: {
      functionName: 'fn-api',
      functionAlias: 'live',
      currentVersion: '7',
      targetVersion: '8',
      targetVersionWeight: 100,
      ...over.info,
    },
  },
});

/** What GetAlias says of lambdaTarget's alias (fn-api:live) after the deployment; weights are 0 to 1. */
export const aliasOn = (
  functionVersion: string,
  additionalVersionWeights: Record<string, number> = {},
): AliasNow => ({
  functionName: 'fn-api',
  alias: 'live',
  functionVersion,
  additionalVersionWeights,
});
