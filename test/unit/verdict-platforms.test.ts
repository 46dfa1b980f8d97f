// The verdict rules of ECS and Lambda deployments, on targets shaped as the API model says: VERIFIED only
// when every lifecycle event passed and traffic ended on the new revision, whatever CodeDeploy's status;
// for Lambda, only when GetAlias finds the alias on the target version alone.

import type { DeploymentTarget } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import type { AliasNow } from '../../shared/audit/rules/evidence';
import { platformShortfall } from '../../shared/audit/rules/platform-outcome';
import { decide } from '../../shared/audit/rules/verdict';
import { renderReport } from '../../shared/audit/rules/verdict-text';
import { strict, target } from '../support/audit';
import { checkOperation } from '../support/aws-model';
import { awsModel } from '../support/aws-models';
import { auditOf } from '../support/codedeploy-api';
import {
  aliasOn,
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

/** A Lambda deployment's audit, with what GetAlias says of its alias after it (on the target version by default). */
const lambdaAudit = (targets: DeploymentTarget[], aliasNow: AliasNow = aliasOn('8')) =>
  auditOf(targets, LAMBDA, strict, 100, aliasNow);

describe('Lambda verdicts', () => {
  it('VERIFIED when the alias gives the target version all traffic, or points to it, and GetAlias agrees', async () => {
    const { report } = await lambdaAudit([lambdaTarget()]);
    expect(report).toMatchObject({ verdict: 'VERIFIED', counts: { succeeded: 1 }, failing: [] });
    expect(report.aliasNow).toEqual(aliasOn('8'));
    const pointed = lambdaTarget({ info: { currentVersion: '8', targetVersionWeight: 0 } });
    expect((await lambdaAudit([pointed])).report.verdict).toBe('VERIFIED');
  });

  it('not VERIFIED when GetAlias finds the alias on another version (moved back out of band)', async () => {
    const { report } = await lambdaAudit([lambdaTarget()], aliasOn('7'));
    const shortfall = 'GetAlias: alias fn-api:live serves version 7, not the deployed version 8';
    expect(report).toMatchObject({
      verdict: 'PARTIAL',
      counts: { expected: 1, succeeded: 0 },
      failing: [{ id: 'fn-api:live', status: 'Succeeded', shortfall }],
      targets: [{ id: 'fn-api:live', status: 'Succeeded', shortfall }],
    });
    expect(report.reasons).toContain(`fn-api:live: ${shortfall}`);
    expect(renderReport(report, { application: 'fn', environment: 'production' }).text).toContain(
      'CodeDeploy says Succeeded (CodeDeployDefault.LambdaCanary10Percent5Minutes, Lambda, BLUE_GREEN).\nGetAlias: fn-api:live → 7.\n',
    );
  });

  it('not VERIFIED when GetAlias finds weighted routing left on the alias', async () => {
    const { report } = await lambdaAudit([lambdaTarget()], aliasOn('8', { '7': 0.1 }));
    expect(report.verdict).toBe('PARTIAL');
    expect(report.reasons).toContain(
      'fn-api:live: GetAlias: alias fn-api:live routes traffic to version 7 as well (weighted routing)',
    );
    expect(renderReport(report, { application: 'fn', environment: 'production' }).text).toContain(
      'GetAlias: fn-api:live → 8, and 7 (10%) by weighted routing.',
    );
  });

  it('not VERIFIED when CodeDeploy shifted an alias other than the environment’s', async () => {
    const { report } = await lambdaAudit([lambdaTarget()], { ...aliasOn('8'), alias: 'staging' });
    expect(report.reasons).toContain(
      "fn-api:live: GetAlias: CodeDeploy shifted alias fn-api:live, not the environment's alias fn-api:staging",
    );
  });

  it('INCOMPLETE when GetAlias could not be read, naming why; PARTIAL still when CodeDeploy shows a shortfall', async () => {
    const { evidence } = await auditOf([lambdaTarget()], LAMBDA);
    const throttled = 'GetAlias fn-api:live: TooManyRequestsException: Rate exceeded';
    const unread = { ...evidence, unreadable: [throttled] };
    expect(decide(unread, strict)).toMatchObject({
      verdict: 'INCOMPLETE',
      reasons: [`where the alias points now could not be read: ${throttled}`],
    });
    expect(decide(evidence, strict)).toMatchObject({
      verdict: 'INCOMPLETE',
      reasons: ["where the alias points now could not be read: Lambda's GetAlias was not asked"],
    });
    const hookFailed = await auditOf([lambdaTarget({ failed: 'AfterAllowTraffic' })], LAMBDA);
    expect(decide({ ...hookFailed.evidence, unreadable: [throttled] }, strict)).toMatchObject({
      verdict: 'PARTIAL',
      reasons: expect.arrayContaining([
        'fn-api:live: lifecycle event AfterAllowTraffic Failed',
        `where the alias points now could not be read: ${throttled}`,
      ]),
    });
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
