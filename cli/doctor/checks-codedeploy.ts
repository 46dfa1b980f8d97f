// The CodeDeploy side of a stage: each application and deployment group of pipeline.yml exists, on the
// expected compute platform, with a service role and something to deploy to.
import type { ApplicationFacts, GroupFacts, GroupInfo, Row } from './facts';
import { EXPECTED_PLATFORM, type PlannedGroup } from './plan';

export const unreadable = (check: string, subject: string, error: string): Row => ({
  check,
  subject,
  status: 'FAIL',
  detail: `could not check: ${error}`,
});

const platformProblem = (platform: string | undefined): string | undefined =>
  (platform ?? EXPECTED_PLATFORM) === EXPECTED_PLATFORM
    ? undefined
    : `compute platform ${platform}, expected ${EXPECTED_PLATFORM}`;

export const applicationRow = (facts: ApplicationFacts, region: string): Row => {
  const base = { check: 'application', subject: facts.application };
  if (!facts.info.ok) return unreadable(base.check, base.subject, facts.info.error);
  const info = facts.info.value;
  if (!info) return { ...base, status: 'FAIL', detail: `no such CodeDeploy application in ${region}` };
  const problem = platformProblem(info.computePlatform);
  return problem
    ? { ...base, status: 'FAIL', detail: problem }
    : { ...base, status: 'ok', detail: info.computePlatform ?? EXPECTED_PLATFORM };
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
    platformProblem(info.computePlatform),
    info.serviceRoleArn ? undefined : 'no service role',
  ].filter((p): p is string => p !== undefined);
  return problems.length
    ? { ...base, status: 'FAIL', detail: problems.join('; ') }
    : {
        ...base,
        status: 'ok',
        detail: `${info.computePlatform ?? EXPECTED_PLATFORM}, service role ${info.serviceRoleArn}`,
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

/** A group's row, then (when the group exists) its instances' row. */
export const groupRows = (planned: PlannedGroup, facts: GroupFacts | undefined): Row[] => {
  const subject = `${planned.application}/${planned.group}`;
  if (!facts) return [unreadable('deployment group', subject, 'not asked')];
  if (!facts.info.ok) return [unreadable('deployment group', subject, facts.info.error)];
  const info = facts.info.value;
  return [groupRow(subject, planned, info), ...(info ? [instancesRow(subject, info)] : [])];
};
