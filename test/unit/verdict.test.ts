import { describe, expect, it } from 'vitest';
import type { Target } from '../../shared/audit/rules/evidence';
import { buildReport, decide } from '../../shared/audit/rules/verdict';
import { facts, targetIds as ids, strict, target } from '../support/audit';

const failedAt = (id: string, event = 'ValidateService'): Target => ({
  ...target(id, 'Failed'),
  events: [
    { name: 'BeforeInstall', status: 'Succeeded' },
    {
      name: event,
      status: 'Failed',
      diagnostics: {
        errorCode: 'ScriptFailed',
        scriptName: 'scripts/validate.sh',
        message: 'exit code 1',
        logTail: 'boom',
      },
    },
    { name: 'AfterAllowTraffic', status: 'Skipped' },
  ],
});

describe('the verdict', () => {
  it('is PARTIAL for AllAtOnce "Succeeded" with one success out of nine, naming the eight', () => {
    const [first = 'i-1', ...rest] = ids(9);
    const evidence = {
      deployment: facts(),
      targets: [target(first), ...rest.map((id) => failedAt(id))],
      unreadable: [],
    };
    const d = decide(evidence, { minimumTargets: 3, tolerate: [] });
    expect(d.verdict).toBe('PARTIAL');
    expect(d.failing.map((t) => t.id)).toEqual(rest);
    expect(d.reasons).toEqual([
      'CodeDeploy reports Succeeded, but 8 of 9 targets did not succeed',
      'only 1 of 9 targets run the new revision, the environment needs at least 3',
    ]);
    expect(d.failing[0]?.event).toEqual({
      name: 'ValidateService',
      status: 'Failed',
      errorCode: 'ScriptFailed',
      scriptName: 'scripts/validate.sh',
      message: 'exit code 1',
      logTail: 'boom',
    });
    expect(d.counts).toEqual({
      targets: 9,
      expected: 9,
      succeeded: 1,
      tolerated: 0,
      retired: 0,
      byStatus: { Succeeded: 1, Failed: 8 },
    });
  });

  it('is PARTIAL for OneAtATime "Succeeded" whose last instance failed', () => {
    const evidence = {
      deployment: facts({ deploymentConfig: 'CodeDeployDefault.OneAtATime' }),
      targets: [target('i-1'), target('i-2'), failedAt('i-3', 'AfterInstall')],
      unreadable: [],
    };
    const d = decide(evidence, strict);
    expect(d.verdict).toBe('PARTIAL');
    expect(d.failing.map((t) => [t.id, t.event?.name])).toEqual([['i-3', 'AfterInstall']]);
  });

  it('is VERIFIED when every target succeeded and the count meets the expectation', () => {
    const evidence = { deployment: facts(), targets: ids(3).map((id) => target(id)), unreadable: [] };
    const d = decide(evidence, {
      minimumTargets: 3,
      tolerate: [],
      lastVerified: { deploymentId: 'd-EARLIER01', fleet: 3 },
    });
    expect(d).toMatchObject({
      verdict: 'VERIFIED',
      failing: [],
      reasons: ['every target that should have the new revision succeeded: 3 of 3'],
    });
  });

  it('calls out a shrinking fleet even when every target succeeded', () => {
    const evidence = { deployment: facts(), targets: ids(2).map((id) => target(id)), unreadable: [] };
    const d = decide(evidence, {
      minimumTargets: 1,
      tolerate: [],
      lastVerified: { deploymentId: 'd-EARLIER01', fleet: 3 },
    });
    expect(d.verdict).toBe('PARTIAL');
    expect(d.reasons).toEqual([
      'the fleet shrank: 2 targets, the last VERIFIED deployment d-EARLIER01 had 3',
    ]);
  });

  it('expects only the Green targets of a blue/green deployment to succeed; Blue is being retired', () => {
    const blue = ids(3, 'i-blue').map((id) => target(id, 'Ready', { label: 'Blue' }));
    const green = ids(3, 'i-green').map((id) => target(id, 'Succeeded', { label: 'Green' }));
    const evidence = {
      deployment: facts({ deploymentType: 'BLUE_GREEN' }),
      targets: [...blue, ...green],
      unreadable: [],
    };
    const d = decide(evidence, { minimumTargets: 3, tolerate: [] });
    expect(d.verdict).toBe('VERIFIED');
    expect(d.counts).toMatchObject({ targets: 6, expected: 3, retired: 3, succeeded: 3 });
    const oneGreenFailed = { ...evidence, targets: [...blue, ...green.slice(1), failedAt('i-green9')] };
    expect(decide(oneGreenFailed, strict).failing.map((t) => t.id)).toEqual(['i-green9']);
  });

  it('excuses a Blue label only in a blue/green deployment', () => {
    const evidence = {
      deployment: facts(),
      targets: [target('i-1'), target('i-2', 'Failed', { label: 'Blue' })],
      unreadable: [],
    };
    expect(decide(evidence, strict).verdict).toBe('PARTIAL');
  });

  it.each(['Failed', 'Stopped'])('is FAILED when CodeDeploy says %s, with its error', (status) => {
    const evidence = {
      deployment: facts({
        status,
        error: { code: 'HEALTH_CONSTRAINTS', message: 'too many failed instances' },
      }),
      targets: [failedAt('i-1'), target('i-2')],
      unreadable: [],
    };
    const d = decide(evidence, strict);
    expect(d.verdict).toBe('FAILED');
    expect(d.reasons).toEqual([
      `CodeDeploy reports the deployment ${status}: HEALTH_CONSTRAINTS (too many failed instances)`,
      '1 of 2 targets did not succeed',
    ]);
  });

  it('is FAILED, not INCOMPLETE, when CodeDeploy says Failed and the targets cannot be read', () => {
    const evidence = {
      deployment: facts({ status: 'Failed' }),
      unreadable: ['the targets: ThrottlingException'],
    };
    expect(decide(evidence, strict).verdict).toBe('FAILED');
  });

  it("names the group's own alarm configuration when CodeDeploy stopped the deployment on an alarm", () => {
    const stopped = {
      deployment: facts({
        status: 'Stopped',
        error: { code: 'ALARM_ACTIVE', message: 'One or more alarms have been activated: web-5xx' },
      }),
      targets: ids(3).map((id) => target(id)),
      unreadable: [],
    };
    expect(decide(stopped, { ...strict, groupAlarms: ['web-5xx', 'web-p99'] }).reasons).toEqual([
      'CodeDeploy reports the deployment Stopped: ALARM_ACTIVE (One or more alarms have been activated: web-5xx)',
      "CodeDeploy stopped it on the deployment group's alarm configuration: web-5xx, web-p99 (pipeline.yml group.alarms)",
    ]);
    expect(decide(stopped, strict).reasons[1]).toBe(
      "CodeDeploy stopped it on the deployment group's alarm configuration (the group is adopted: its alarms are in CodeDeploy, not pipeline.yml)",
    );
  });

  it('builds a report that keeps the facts and the expectation it was decided on', () => {
    const report = buildReport(
      'd-AUDIT0001',
      { deployment: facts({ overview: { Succeeded: 1 } }), targets: [target('i-1')], unreadable: [] },
      strict,
    );
    expect(report).toMatchObject({
      v: 1,
      deploymentId: 'd-AUDIT0001',
      verdict: 'VERIFIED',
      expectation: strict,
      unreadable: [],
    });
    expect(report.codedeploy).toEqual(facts({ overview: { Succeeded: 1 } }));
  });

  it('keeps every target in the report, succeeded ones too, with its kind and blue/green label', () => {
    const green: Target = { ...target('i-green'), label: 'Green' };
    const blue: Target = { ...target('i-blue'), label: 'Blue' };
    const evidence = { targets: [target('i-1'), failedAt('i-2'), green, blue], unreadable: [] };
    const blueGreen = buildReport(
      'd-AUDIT0002',
      { ...evidence, deployment: facts({ deploymentType: 'BLUE_GREEN' }) },
      strict,
    );
    const inPlace = buildReport('d-AUDIT0003', { ...evidence, deployment: facts() }, strict);
    expect(blueGreen.targets).toEqual([
      { id: 'i-1', kind: 'instance', status: 'Succeeded' },
      { id: 'i-2', kind: 'instance', status: 'Failed' },
      { id: 'i-green', kind: 'instance', status: 'Succeeded', label: 'Green' },
      { id: 'i-blue', kind: 'instance', status: 'Succeeded', label: 'Blue' },
    ]);
    // CodeDeploy labels an in-place deployment's targets Blue: no fleet is meant, none is kept.
    expect(inPlace.targets?.map((t) => t.label)).toEqual([undefined, undefined, undefined, undefined]);
  });
});
