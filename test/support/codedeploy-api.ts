// CodeDeploy replies in the shapes of the API reference (GetDeployment deploymentInfo,
// ListDeploymentTargets, BatchGetDeploymentTargets deploymentTargets), and a mocked client serving them:
// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BatchGetDeploymentTargets.html
import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  type DeploymentInfo,
  type DeploymentTarget,
  GetDeploymentCommand,
  type LifecycleEvent,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { readEvidence } from '../../shared/audit/audit';
import type { AliasNow, TargetStatus } from '../../shared/audit/rules/evidence';
import { buildReport } from '../../shared/audit/rules/verdict';
import { codedeployReader } from '../../shared/aws/codedeploy-reader';
import { DEPLOYMENT, IN_PLACE_EVENTS, strict, VALIDATE_FAILED } from './audit';

const at = (s: number) => new Date(Date.UTC(2026, 10, 20, 18, 0, s));

/** In-place lifecycle events; `failAt` fails that event with diagnostics and skips the rest. */
export const lifecycle = (failAt?: string, diagnostics = VALIDATE_FAILED): LifecycleEvent[] => {
  const failed = failAt ? IN_PLACE_EVENTS.indexOf(failAt) : -1;
  return IN_PLACE_EVENTS.map((name, i): LifecycleEvent => {
    const status = failed < 0 || i < failed ? 'Succeeded' : i === failed ? 'Failed' : 'Skipped';
    return {
      lifecycleEventName: name,
      status,
      startTime: at(i),
      endTime: at(i + 1),
      diagnostics:
        status === 'Failed'
          ? diagnostics
          : status === 'Succeeded'
            ? { errorCode: 'Success', scriptName: '', message: 'Succeeded', logTail: 'ok\n'.repeat(200) }
            : undefined,
    };
  });
};

export const instanceTarget = (
  id: string,
  opts: { failAt?: string; status?: TargetStatus; label?: 'Blue' | 'Green'; deploymentId?: string } = {},
): DeploymentTarget => ({
  deploymentTargetType: 'InstanceTarget',
  instanceTarget: {
    deploymentId: opts.deploymentId ?? DEPLOYMENT,
    targetId: id,
    targetArn: `arn:aws:ec2:us-east-1:123456789012:instance/${id}`,
    status: opts.status ?? (opts.failAt ? 'Failed' : 'Succeeded'),
    lastUpdatedAt: at(30),
    lifecycleEvents: opts.status === 'Skipped' ? [] : lifecycle(opts.failAt),
    ...(opts.label ? { instanceLabel: opts.label } : {}),
  },
});

export const instanceIds = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `i-${(from + i).toString(16).padStart(17, '0')}`);

export const deploymentInfo = (over: Partial<DeploymentInfo> = {}): DeploymentInfo => ({
  applicationName: 'baton-web',
  deploymentGroupName: 'web-production',
  deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
  deploymentId: DEPLOYMENT,
  status: 'Succeeded',
  createTime: at(0),
  startTime: at(1),
  completeTime: at(40),
  creator: 'user',
  computePlatform: 'Server',
  deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
  ...over,
});

/** The overview CodeDeploy would show for these targets. */
export const overviewOf = (targets: DeploymentTarget[]) => {
  const o: Record<string, number> = {
    Pending: 0,
    InProgress: 0,
    Succeeded: 0,
    Failed: 0,
    Skipped: 0,
    Ready: 0,
  };
  for (const t of targets) {
    const s = (t.instanceTarget ?? t.ecsTarget ?? t.lambdaTarget ?? t.cloudFormationTarget)?.status;
    if (s && s in o) o[s] = (o[s] ?? 0) + 1;
  }
  return o;
};

const idOf = (t: DeploymentTarget) =>
  (t.instanceTarget ?? t.ecsTarget ?? t.lambdaTarget ?? t.cloudFormationTarget)?.targetId ?? '';

/** A mocked CodeDeploy serving one deployment: its info, its targets in pages of `pageSize`. */
export const fakeCodeDeploy = (info: DeploymentInfo, targets: DeploymentTarget[], pageSize = 100) => {
  const client = new CodeDeployClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  const byId = new Map(targets.map((t) => [idOf(t), t]));
  const ids = targets.map(idOf);
  mock.on(GetDeploymentCommand).resolves({ deploymentInfo: info });
  mock.on(ListDeploymentTargetsCommand).callsFake((input: { nextToken?: string }) => {
    const start = input.nextToken ? Number(input.nextToken.slice('page-'.length)) : 0;
    const end = start + pageSize;
    return { targetIds: ids.slice(start, end), ...(end < ids.length ? { nextToken: `page-${end}` } : {}) };
  });
  mock.on(BatchGetDeploymentTargetsCommand).callsFake((input: { targetIds?: string[] }) => {
    if ((input.targetIds?.length ?? 0) > 25)
      throw new Error('BatchGetDeploymentTargets takes at most 25 IDs');
    return { deploymentTargets: (input.targetIds ?? []).flatMap((id) => byId.get(id) ?? []) };
  });
  return { client, mock };
};

/** The reader's retry settings without the waits. */
export const noWait = { sleep: async () => {} };

/**
 * `targets` served by the mocked client, read by the real reader, and the report on them; `aliasNow`
 * what GetAlias says of a Lambda deployment's alias after it.
 */
export const auditOf = async (
  targets: DeploymentTarget[],
  info = {},
  expectation = strict,
  pageSize = 100,
  aliasNow?: AliasNow,
) => {
  const cd = fakeCodeDeploy(
    deploymentInfo({ deploymentOverview: overviewOf(targets), ...info }),
    targets,
    pageSize,
  );
  const read = await readEvidence(codedeployReader(cd.client, noWait), DEPLOYMENT);
  const evidence = aliasNow ? { ...read.evidence, aliasNow } : read.evidence;
  return { report: buildReport(DEPLOYMENT, evidence, expectation), evidence, mock: cd.mock };
};
