// pipeline.yml's `group:` blocks, `existing` and `createInstanceRoles`: defaults, and the
// contradictions refused with their path and rule.
import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../shared/pipeline/rules/config';
import { configIssues, shippedPipeline } from '../support/pipeline-config';

const issuesOf = configIssues;
const at = (i: number) => `applications.web.environments[${i}]`;

describe('deployment groups in pipeline.yml', () => {
  it('creates the shipped groups, defaults filled', () => {
    const web = parsePipeline(shippedPipeline()).applications.web;
    expect(web?.existing).toBe(false);
    expect(web?.environments[0]?.group).toEqual({
      instances: {
        ec2Tags: [{ key: 'baton:group', value: 'web-dev' }],
        ec2TagGroups: [],
        autoScalingGroups: [],
      },
      deploymentConfig: 'CodeDeployDefault.AllAtOnce',
      style: 'in-place',
      blueGreen: undefined,
      alarms: [],
      autoRollback: [],
    });
  });

  it('fills blue/green defaults when the block is left out', () => {
    const raw = shippedPipeline();
    delete raw.applications.web.environments[2].group.blueGreen;
    expect(parsePipeline(raw).applications.web?.environments[2]?.group?.blueGreen).toEqual({
      greenFleet: 'copy-auto-scaling-group',
      originalInstances: 'terminate',
      terminateAfterMinutes: 60,
      reroute: 'when-ready',
    });
  });

  it('parses its own output again unchanged (defaults satisfy the rules)', () => {
    const once = parsePipeline(shippedPipeline());
    expect(parsePipeline(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });

  it('adopts existing groups when no environment has a group block', () => {
    const raw = shippedPipeline();
    for (const env of raw.applications.web.environments) delete env.group;
    delete raw.applications.web.existing;
    expect(parsePipeline(raw).applications.web?.existing).toBe(true);
  });

  it('refuses a group block on an adopted application, and a missing one on a created application', () => {
    const raw = shippedPipeline();
    raw.applications.web.existing = true;
    expect(issuesOf(raw)).toEqual(
      [0, 1, 2].map(
        (i) =>
          `${at(i)}.group: existing: true adopts the group as it is: remove group, or set existing: false`,
      ),
    );
    const created = shippedPipeline();
    delete created.applications.web.environments[1].group;
    expect(issuesOf(created)).toEqual([
      `${at(1)}.group: required: the stack creates this application’s groups (or set existing: true to adopt them)`,
    ]);
  });

  it('refuses a group without instances, tags and tag groups together, and duplicates', () => {
    const raw = shippedPipeline();
    raw.applications.web.environments[0].group.instances = {};
    raw.applications.web.environments[1].group.instances = {
      ec2Tags: [{ key: 'a' }],
      ec2TagGroups: [[{ value: 'b' }]],
      autoScalingGroups: ['x', 'x'],
    };
    raw.applications.web.environments[1].group.alarms = ['5xx', '5xx'];
    expect(issuesOf(raw)).toEqual([
      `${at(0)}.group.instances: choose the instances: ec2Tags, ec2TagGroups or autoScalingGroups`,
      `${at(1)}.group.instances.ec2TagGroups: CodeDeploy takes ec2Tags or ec2TagGroups, not both`,
      `${at(1)}.group.instances.autoScalingGroups[1]: duplicate`,
      `${at(1)}.group.alarms[1]: duplicate`,
    ]);
  });

  it('refuses blue/green without a target group or one group to copy, and blue/green settings in place', () => {
    const raw = shippedPipeline();
    const production = raw.applications.web.environments[2].group;
    delete production.targetGroup;
    production.instances = { autoScalingGroups: ['a', 'b'] };
    raw.applications.web.environments[0].group.blueGreen = { reroute: 'manual' };
    expect(issuesOf(raw)).toEqual([
      `${at(0)}.group.blueGreen: only with style: blue-green`,
      `${at(2)}.group.targetGroup: required with style: blue-green (traffic moves through it)`,
      `${at(2)}.group.instances.autoScalingGroups: greenFleet copy-auto-scaling-group copies exactly one Auto Scaling group`,
    ]);
  });

  it('refuses blue/green waits that would not apply, and an alarm rollback without alarms', () => {
    const raw = shippedPipeline();
    const production = raw.applications.web.environments[2].group;
    production.blueGreen = { originalInstances: 'keep', terminateAfterMinutes: 5, manualRerouteMinutes: 5 };
    production.autoRollback = ['stop-on-alarm'];
    production.targetGroup = '-bad';
    expect(issuesOf(raw)).toEqual([
      `${at(2)}.group.blueGreen.terminateAfterMinutes: only with originalInstances: terminate`,
      `${at(2)}.group.blueGreen.manualRerouteMinutes: only with reroute: manual`,
      `${at(2)}.group.targetGroup: a target group name (1-32 letters, digits, -)`,
      `${at(2)}.group.autoRollback: stop-on-alarm needs alarms`,
    ]);
    production.blueGreen = {};
    production.targetGroup = 'tg';
    expect(issuesOf(raw)).toEqual([`${at(2)}.group.autoRollback: stop-on-alarm needs alarms`]);
  });

  it("refuses CodeDeploy's rollback where Baton rolls back itself", () => {
    const raw = shippedPipeline();
    raw.applications.web.environments[2].onFailure = 'rollback';
    raw.applications.web.environments[2].group.autoRollback = ['deployment-failure'];
    expect(issuesOf(raw)).toEqual([
      `${at(2)}.group.autoRollback: Baton rolls this environment back itself (onFailure: rollback): leave autoRollback empty`,
    ]);
  });

  it('refuses created instance roles without names, and a blue/green copy without an instance role', () => {
    const raw = shippedPipeline();
    raw.applications.web.instanceRoles = [];
    expect(issuesOf(raw)).toEqual([
      "applications.web.instanceRoles: required by production's blue/green copy: CodeDeploy passes this role to the instances it launches",
      'applications.web.instanceRoles: createInstanceRoles needs the role names here',
    ]);
  });

  it('refuses two applications creating one CodeDeploy application or one role', () => {
    const raw = shippedPipeline();
    raw.applications.api = structuredClone(raw.applications.web);
    raw.applications.api.repositories = [];
    raw.applications.api.github = [];
    expect(issuesOf(raw)).toEqual([
      'applications.api.codedeployApplication: already created by web',
      'applications.api.instanceRoles[0]: already created by web',
    ]);
  });

  it('counts role names that differ only in case as one role, as IAM does', () => {
    const raw = shippedPipeline();
    raw.applications.api = structuredClone(raw.applications.web);
    raw.applications.api.repositories = [];
    raw.applications.api.github = [];
    raw.applications.api.codedeployApplication = 'baton-api';
    raw.applications.api.instanceRoles = ['BATON-WEB-INSTANCE'];
    expect(issuesOf(raw)).toContain('applications.api.instanceRoles[0]: already created by web');
  });
});
