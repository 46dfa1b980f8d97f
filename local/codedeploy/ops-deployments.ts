// CodeDeploy operations on deployments and their targets.
import type { Context } from './context';
import { fail } from './errors';
import { asInput, type Input, optionalString, optionalStringList, page, requiredString } from './input';
import { deploymentInfo, deploymentTarget } from './render';
import { requestStop, startDeployment } from './runner';
import type {
  ComputePlatform,
  Deployment,
  FileExistsBehavior,
  S3Location,
  ShiftTarget,
  Target,
} from './types';
import { isTerminal } from './types';

const MAX_BATCH_TARGETS = 25;
/** Server deploys archives; ECS and Lambda deploy the AppSpec file itself. */
const BUNDLE_TYPES: Record<ComputePlatform, ReadonlyArray<S3Location['bundleType']>> = {
  Server: ['zip', 'tar', 'tgz'],
  ECS: ['YAML', 'JSON'],
  Lambda: ['YAML', 'JSON'],
};
const FILE_EXISTS: ReadonlyArray<FileExistsBehavior> = ['DISALLOW', 'OVERWRITE', 'RETAIN'];

const deploymentId = (input: Input) => requiredString(input, 'deploymentId', 'DeploymentIdRequiredException');

const parseRevision = (input: Input, platform: ComputePlatform): S3Location => {
  const revision = asInput(input.revision);
  if (Object.keys(revision).length === 0)
    fail('RevisionRequiredException', 'The revision ID was not specified.');
  if (revision.revisionType !== 'S3') {
    fail('InvalidRevisionException', 'The local stand-in deploys S3 revisions only (revisionType S3).');
  }
  const s3 = asInput(revision.s3Location);
  const bucket = requiredString(s3, 'bucket', 'InvalidRevisionException');
  const key = requiredString(s3, 'key', 'InvalidRevisionException');
  const allowed = BUNDLE_TYPES[platform];
  const bundleType = allowed.find((type) => type === s3.bundleType);
  if (bundleType === undefined)
    fail(
      'InvalidRevisionException',
      `The bundle type of a ${platform} revision must be one of ${allowed.join(', ')}.`,
    );
  const eTag = optionalString(s3, 'eTag');
  const version = optionalString(s3, 'version');
  return { bucket, key, bundleType, eTag, version };
};

/** Targets exist once a deployment has started; before that CodeDeploy says it has not started. */
const startedTargets = (d: Deployment): Array<Target | ShiftTarget> =>
  d.status === 'Created'
    ? fail('DeploymentNotStartedException', `Deployment ${d.deploymentId} has not started`)
    : d.computePlatform === 'Server'
      ? d.targets
      : d.shift
        ? [d.shift]
        : [];

const labelOf = (t: Target | ShiftTarget) => ('label' in t ? t.label : undefined);

const findTarget = (d: Deployment, targetId: string): Target | ShiftTarget =>
  startedTargets(d).find((t) => t.targetId === targetId) ??
  fail(
    'DeploymentTargetDoesNotExistException',
    `Deployment target ${targetId} does not belong to deployment ${d.deploymentId}`,
  );

const epochSeconds = (value: unknown): number | undefined =>
  typeof value === 'number' ? value * 1000 : undefined;

export const deploymentOperations = (ctx: Context) => ({
  CreateDeployment: (input: Input) => {
    const application = requiredString(input, 'applicationName', 'ApplicationNameRequiredException');
    const groupName = requiredString(input, 'deploymentGroupName', 'DeploymentGroupNameRequiredException');
    const group = ctx.store.group(application, groupName);
    const revision = parseRevision(input, group.computePlatform);
    const deploymentConfigName = optionalString(input, 'deploymentConfigName') ?? group.deploymentConfigName;
    if (ctx.store.config(deploymentConfigName).computePlatform !== group.computePlatform)
      fail(
        'InvalidDeploymentConfigNameException',
        `${deploymentConfigName} is not a deployment configuration of the ${group.computePlatform} platform`,
      );
    const behavior = input.fileExistsBehavior ?? 'DISALLOW';
    const fileExistsBehavior = FILE_EXISTS.find((b) => b === behavior);
    if (fileExistsBehavior === undefined)
      fail('InvalidFileExistsBehaviorException', `Invalid fileExistsBehavior: ${behavior}`);
    const active = ctx.store.activeDeployment(application, groupName);
    if (active) {
      fail(
        'DeploymentLimitExceededException',
        `The deployment group ${groupName} already has an active deployment ${active.deploymentId}`,
      );
    }
    const previous = ctx.store.deployments.get(group.lastSuccessfulDeploymentId ?? '');
    const deployment: Deployment = {
      deploymentId: ctx.store.newDeploymentId(),
      applicationName: application,
      deploymentGroupName: groupName,
      deploymentGroupId: group.deploymentGroupId,
      deploymentConfigName,
      revision,
      previousRevision: previous?.revision,
      description: optionalString(input, 'description'),
      fileExistsBehavior,
      deploymentStyle: { ...group.deploymentStyle },
      ...(group.blueGreen ? { blueGreen: group.blueGreen } : {}),
      ...(group.targetGroup ? { targetGroup: group.targetGroup } : {}),
      instanceTerminationWaitTimeStarted: false,
      computePlatform: group.computePlatform,
      status: 'Created',
      createTime: Date.now(),
      targets: [],
      stopRequested: false,
    };
    ctx.store.deployments.set(deployment.deploymentId, deployment);
    group.lastAttemptedDeploymentId = deployment.deploymentId;
    startDeployment(ctx, deployment);
    return { deploymentId: deployment.deploymentId };
  },

  GetDeployment: (input: Input) => ({
    deploymentInfo: deploymentInfo(ctx.store.deployment(deploymentId(input))),
  }),

  ListDeployments: (input: Input) => {
    const application = optionalString(input, 'applicationName');
    const groupName = optionalString(input, 'deploymentGroupName');
    if (groupName !== undefined && application === undefined) {
      fail(
        'ApplicationNameRequiredException',
        'applicationName is required when deploymentGroupName is given',
      );
    }
    if (application !== undefined && groupName === undefined) {
      fail(
        'DeploymentGroupNameRequiredException',
        'deploymentGroupName is required when applicationName is given',
      );
    }
    if (application !== undefined && groupName !== undefined) ctx.store.group(application, groupName);
    const statuses = optionalStringList(input, 'includeOnlyStatuses');
    const range = asInput(input.createTimeRange);
    const start = epochSeconds(range.start) ?? Number.NEGATIVE_INFINITY;
    const end = epochSeconds(range.end) ?? Number.POSITIVE_INFINITY;
    const ids = [...ctx.store.deployments.values()]
      .filter((d) => application === undefined || d.applicationName === application)
      .filter((d) => groupName === undefined || d.deploymentGroupName === groupName)
      .filter((d) => statuses === undefined || statuses.includes(d.status))
      .filter((d) => d.createTime >= start && d.createTime <= end)
      .sort((a, b) => b.createTime - a.createTime)
      .map((d) => d.deploymentId);
    const scope = `deployments:${application}/${groupName}`;
    const { items, nextToken } = page(ids, scope, optionalString(input, 'nextToken'), ctx.pageSize);
    return { deployments: items, nextToken };
  },

  ListDeploymentTargets: (input: Input) => {
    const deployment = ctx.store.deployment(deploymentId(input));
    const filters = asInput(input.targetFilters);
    for (const name of Object.keys(filters)) {
      if (name !== 'TargetStatus' && name !== 'ServerInstanceLabel') {
        fail('InvalidTargetFilterNameException', `The target filter name ${name} is invalid.`);
      }
    }
    const statuses = optionalStringList(filters, 'TargetStatus');
    const labels = optionalStringList(filters, 'ServerInstanceLabel');
    const ids = startedTargets(deployment)
      .filter((t) => statuses === undefined || statuses.includes(t.status))
      .filter((t) => labels === undefined || labels.includes(labelOf(t) ?? ''))
      .map((t) => t.targetId);
    const scope = `targets:${deployment.deploymentId}`;
    const { items, nextToken } = page(ids, scope, optionalString(input, 'nextToken'), ctx.pageSize);
    return { targetIds: items, nextToken };
  },

  BatchGetDeploymentTargets: (input: Input) => {
    const deployment = ctx.store.deployment(deploymentId(input));
    const ids = optionalStringList(input, 'targetIds') ?? [];
    if (ids.length === 0)
      fail('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.');
    if (ids.length > MAX_BATCH_TARGETS) {
      fail(
        'DeploymentTargetListSizeExceededException',
        `The maximum number of deployment target IDs you can specify is ${MAX_BATCH_TARGETS}.`,
      );
    }
    const targets = ids.map((id) => findTarget(deployment, id));
    return {
      deploymentTargets: targets.map((t) => deploymentTarget(deployment, t, ctx.region, ctx.accountId)),
    };
  },

  GetDeploymentTarget: (input: Input) => {
    const deployment = ctx.store.deployment(deploymentId(input));
    const targetId = requiredString(input, 'targetId', 'DeploymentTargetIdRequiredException');
    const target = findTarget(deployment, targetId);
    return { deploymentTarget: deploymentTarget(deployment, target, ctx.region, ctx.accountId) };
  },

  /** Ends a blue/green wait: READY_WAIT starts rerouting, TERMINATION_WAIT terminates the originals now. */
  ContinueDeployment: (input: Input) => {
    const deployment = ctx.store.deployment(deploymentId(input));
    const type = optionalString(input, 'deploymentWaitType') ?? 'READY_WAIT';
    if (type !== 'READY_WAIT' && type !== 'TERMINATION_WAIT')
      fail('InvalidDeploymentWaitTypeException', `Invalid deployment wait type: ${type}`);
    if (isTerminal(deployment.status))
      fail(
        'DeploymentAlreadyCompletedException',
        `Deployment ${deployment.deploymentId} has already completed`,
      );
    if (deployment.deploymentStyle.deploymentType !== 'BLUE_GREEN')
      fail('UnsupportedActionForDeploymentTypeException', 'Only a blue/green deployment can be continued.');
    if (deployment.waiting?.type !== type)
      fail(
        'DeploymentIsNotInReadyStateException',
        `Deployment ${deployment.deploymentId} is not waiting (${type})`,
      );
    deployment.waiting.end();
    return {};
  },

  StopDeployment: (input: Input) => {
    const deployment = ctx.store.deployment(deploymentId(input));
    if (isTerminal(deployment.status)) {
      fail(
        'DeploymentAlreadyCompletedException',
        `Deployment ${deployment.deploymentId} has already completed`,
      );
    }
    requestStop(deployment);
    return {
      status: 'Succeeded',
      statusMessage: 'No more commands will be scheduled for execution in the deployment instances',
    };
  },
});
