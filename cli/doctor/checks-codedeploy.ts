// The CodeDeploy side of a stage: each application and deployment group of pipeline.yml exists, on the
// compute platform pipeline.yml gives it, with a service role and something to deploy to (instances on
// Server, the service and its target group pair on ECS; a Lambda group names no target, its AppSpec does).
import type { ApplicationFacts, GroupFacts, GroupInfo, Row } from './facts';
import type { Plan, PlannedGroup } from './plan';

export const unreadable = (check: string, subject: string, error: string): Row => ({
  check,
  subject,
  status: 'FAIL',
  detail: `could not check: ${error}`,
});

// CodeDeploy omits computePlatform on applications made before it had other platforms: Server.
const platformProblem = (platform: string | undefined, expected: string): string | undefined =>
  (platform ?? 'Server') === expected ? undefined : `compute platform ${platform}, expected ${expected}`;

export const applicationRow = (
  facts: ApplicationFacts,
  region: string,
  plan: Pick<Plan, 'platforms'>,
): Row => {
  const expected = plan.platforms[facts.application] ?? 'Server';
  const base = { check: 'application', subject: facts.application };
  if (!facts.info.ok) return unreadable(base.check, base.subject, facts.info.error);
  const info = facts.info.value;
  if (!info) return { ...base, status: 'FAIL', detail: `no such CodeDeploy application in ${region}` };
  const problem = platformProblem(info.computePlatform, expected);
  return problem
    ? { ...base, status: 'FAIL', detail: problem }
    : { ...base, status: 'ok', detail: info.computePlatform ?? 'Server' };
};

const groupRow = (subject: string, planned: PlannedGroup, info: GroupInfo | undefined): Row => {
  const base = { check: 'deployment group', subject };
  if (!info)
    return {
      ...base,
      status: 'FAIL',
      detail: `no such deployment group (pipeline.yml ${planned.app}, environment ${planned.environment})`,
    };
  const problems = [
    platformProblem(info.computePlatform, planned.platform),
    info.serviceRoleArn ? undefined : 'no service role',
  ].filter((p): p is string => p !== undefined);
  return problems.length
    ? { ...base, status: 'FAIL', detail: problems.join('; ') }
    : {
        ...base,
        status: 'ok',
        detail: `${info.computePlatform ?? 'Server'}, service role ${info.serviceRoleArn}`,
      };
};

const instancesRow = (subject: string, info: GroupInfo): Row => {
  const base = { check: 'instances', subject };
  const found = [
    info.ec2Tags.length ? `EC2 tags ${info.ec2Tags.join(', ')}` : undefined,
    info.onPremisesTags.length ? `on-premises tags ${info.onPremisesTags.join(', ')}` : undefined,
    info.autoScalingGroups.length ? `Auto Scaling groups ${info.autoScalingGroups.join(', ')}` : undefined,
  ].filter((f): f is string => f !== undefined);
  return found.length
    ? { ...base, status: 'ok', detail: found.join('; ') }
    : {
        ...base,
        status: 'FAIL',
        detail:
          'no EC2 or on-premises tag filters and no Auto Scaling groups: a deployment would have no targets',
      };
};

const ecsServiceRow = (subject: string, info: GroupInfo): Row => {
  const base = { check: 'ECS service', subject };
  const services = info.ecsServices ?? [];
  const groups = info.targetGroups ?? [];
  const problems = [
    services.length === 1
      ? undefined
      : services.length
        ? `${services.length} ECS services`
        : 'no ECS service',
    groups.length === 2
      ? undefined
      : `${groups.length} target group${groups.length === 1 ? '' : 's'}, a blue/green pair needs 2`,
  ].filter((p): p is string => p !== undefined);
  return problems.length
    ? { ...base, status: 'FAIL', detail: `${problems.join('; ')}: a deployment would have no target` }
    : { ...base, status: 'ok', detail: `${services.join(', ')}, target groups ${groups.join(', ')}` };
};

/** What the group deploys to, by platform: instances, an ECS service, or nothing (Lambda's AppSpec names it). */
const targetRows = (subject: string, planned: PlannedGroup, info: GroupInfo): Row[] =>
  planned.platform === 'Server'
    ? [instancesRow(subject, info)]
    : planned.platform === 'ECS'
      ? [ecsServiceRow(subject, info)]
      : [];

/** A group's row, then (when the group exists) the row of what it deploys to. */
export const groupRows = (planned: PlannedGroup, facts: GroupFacts | undefined): Row[] => {
  const subject = `${planned.application}/${planned.group}`;
  if (!facts) return [unreadable('deployment group', subject, 'not asked')];
  if (!facts.info.ok) return [unreadable('deployment group', subject, facts.info.error)];
  const info = facts.info.value;
  return [groupRow(subject, planned, info), ...(info ? targetRows(subject, planned, info) : [])];
};
