// The verdict rules of ECS and Lambda deployments, on targets shaped as the API model says: VERIFIED only
// when every lifecycle event passed and traffic ended on the new revision, whatever CodeDeploy's status.
import { describe, expect, it } from 'vitest';
import { platformShortfall } from '../../shared/audit/rules/platform-outcome';
import { renderReport } from '../../shared/audit/rules/verdict-text';
import { target } from '../support/audit';
import { checkOperation } from '../support/aws-model';
import { awsModel } from '../support/aws-models';
import { auditOf } from '../support/codedeploy-api';
import {
  ECS_EVENTS,
  ecsTarget,
  greenTaskSet,
  LAMBDA_EVENTS,
  lambdaTarget,
} from '../support/platform-targets';

const ECS = {
  computePlatform: 'ECS',
  deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
  deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
};
const LAMBDA = {
  computePlatform: 'Lambda',
  deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
};

describe('ECS verdicts', () => {
  it('the fixtures are BatchGetDeploymentTargets answers the model allows', () => {
    const model = awsModel('codedeploy');
    const targets = [ecsTarget({ failed: 'AfterAllowTraffic', greenWeight: 90 }), lambdaTarget()];
    expect(
      checkOperation(model, 'BatchGetDeploymentTargets', 'output', { deploymentTargets: targets }),
    ).toEqual([]);
  });

  it("the lifecycle events are AWS's run order for ECS and Lambda deployments", () => {
    // CodeDeploy User Guide, "Run order of hooks in an Amazon ECS deployment" and "… in an AWS Lambda
    // deployment": the oracle, not the stand-in the fixtures take them from.
    expect(ECS_EVENTS).toEqual([
      'BeforeInstall',
      'Install',
      'AfterInstall',
      'AllowTestTraffic',
      'AfterAllowTestTraffic',
      'BeforeAllowTraffic',
      'AllowTraffic',
      'AfterAllowTraffic',
    ]);
    expect(LAMBDA_EVENTS).toEqual(['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic']);
  });

  it('VERIFIED when every event succeeded and the replacement task set serves all traffic', async () => {
    const { report } = await auditOf([ecsTarget()], ECS);
    expect(report).toMatchObject({ verdict: 'VERIFIED', counts: { expected: 1, succeeded: 1 }, failing: [] });
  });

  it('not VERIFIED when CodeDeploy says Succeeded after an AfterAllowTraffic hook reported Failed', async () => {
    const { report } = await auditOf([ecsTarget({ failed: 'AfterAllowTraffic' })], ECS);
    expect(report.verdict).toBe('PARTIAL');
    expect(report.failing).toEqual([
      {
        id: 'baton:svc-dev',
        kind: 'ecs',
        status: 'Succeeded',
        event: {
          name: 'AfterAllowTraffic',
          status: 'Failed',
          errorCode: 'UnknownError',
          message: 'The AfterAllowTraffic hook function reported Failed',
        },
        shortfall: 'lifecycle event AfterAllowTraffic Failed',
      },
    ]);
    expect(report.reasons).toContain('baton:svc-dev: lifecycle event AfterAllowTraffic Failed');
    expect(renderReport(report, { application: 'svc', environment: 'dev' }).text).toContain(
      '- baton:svc-dev: Succeeded at AfterAllowTraffic\n    lifecycle event AfterAllowTraffic Failed',
    );
  });

  it('not VERIFIED while traffic is not all on the replacement, or no replacement is reported', async () => {
    const shifted = await auditOf([ecsTarget({ greenWeight: 90 })], ECS);
    expect(shifted.report.verdict).toBe('PARTIAL');
    expect(shifted.report.reasons).toContain(
      'baton:svc-dev: the replacement (Green) task set serves 90% of traffic, not 100%',
    );
    const none = await auditOf([ecsTarget({ taskSets: [] })], ECS);
    expect(none.report.reasons).toContain('baton:svc-dev: no replacement (Green) task set is reported');
    const onlyGreen = await auditOf([ecsTarget({ taskSets: [greenTaskSet(100)] })], ECS);
    expect(onlyGreen.report.verdict).toBe('VERIFIED');
  });

  it('a Failed ECS deployment stays FAILED, naming the event', async () => {
    const { report } = await auditOf(
      [ecsTarget({ status: 'Failed', failed: 'AfterAllowTestTraffic', greenWeight: 0 })],
      {
        ...ECS,
        status: 'Failed',
      },
    );
    expect(report).toMatchObject({
      verdict: 'FAILED',
      failing: [{ event: { name: 'AfterAllowTestTraffic' } }],
    });
    expect(report.failing[0]?.shortfall).toBeUndefined();
  });
});

describe('Lambda verdicts', () => {
  it('VERIFIED when the alias gives the target version all traffic, or points to it', async () => {
    expect((await auditOf([lambdaTarget()], LAMBDA)).report.verdict).toBe('VERIFIED');
    const pointed = lambdaTarget({ info: { currentVersion: '8', targetVersionWeight: 0 } });
    expect((await auditOf([pointed], LAMBDA)).report.verdict).toBe('VERIFIED');
  });

  it('not VERIFIED when the alias stayed on the canary share of the new version', async () => {
    const { report } = await auditOf([lambdaTarget({ info: { targetVersionWeight: 10 } })], LAMBDA);
    expect(report.verdict).toBe('PARTIAL');
    expect(report.reasons).toContain(
      'fn-api:live: alias fn-api:live gives version 8 10% of traffic and still points to version 7',
    );
  });

  it('not VERIFIED when a hook function reported Failed, whatever the alias shows', async () => {
    const { report } = await auditOf([lambdaTarget({ failed: 'BeforeAllowTraffic' })], LAMBDA);
    expect(report).toMatchObject({
      verdict: 'PARTIAL',
      failing: [
        {
          id: 'fn-api:live',
          event: { name: 'BeforeAllowTraffic' },
          shortfall: 'lifecycle event BeforeAllowTraffic Failed',
        },
      ],
    });
  });

  it('not VERIFIED without the alias’s target version', async () => {
    const { report } = await auditOf([lambdaTarget({ info: { targetVersion: undefined } })], LAMBDA);
    expect(report.reasons).toContain('fn-api:live: the alias’s target version is not reported');
  });
});

describe('an ECS or Lambda deployment that delivered nothing', () => {
  const lax = { minimumTargets: 0, tolerate: ['Skipped', 'Unknown', 'Ready'] as const };

  it.each([
    ['ECS', ECS, () => ecsTarget({ status: 'Skipped', greenWeight: 0 })],
    ['Lambda', LAMBDA, () => lambdaTarget({ status: 'Skipped', info: { targetVersionWeight: 0 } })],
  ])('%s: a Skipped target is not tolerated, whatever the expectation says', async (_, info, skipped) => {
    const { report } = await auditOf([skipped()], info, lax);
    expect(report.verdict).toBe('PARTIAL');
    expect(report.counts).toMatchObject({ expected: 1, succeeded: 0, tolerated: 0 });
  });

  it.each([
    ['ECS', ECS],
    ['Lambda', LAMBDA],
  ])('%s: a Succeeded deployment with no target is not VERIFIED', async (platform, info) => {
    const { report } = await auditOf([], info, lax);
    expect(report.verdict).toBe('PARTIAL');
    expect(report.reasons).toContain(
      `targets are missing: the deployment has 0 targets, ${platform === 'ECS' ? 'an' : 'a'} ${platform} deployment has exactly one (its ${platform === 'ECS' ? 'service' : 'alias'})`,
    );
  });
});

describe('the platform rule leaves instances alone', () => {
  it('an instance target is judged by its status, as before', () => {
    expect(
      platformShortfall({ ...target('i-1'), events: [{ name: 'ValidateService', status: 'Failed' }] }),
    ).toBeUndefined();
  });
});
