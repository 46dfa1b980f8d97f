import { describe, expect, it } from 'vitest';
import {
  environmentForGroup,
  environmentsForBranch,
  nextEnvironment,
  parsePipeline,
} from '../../shared/pipeline/rules/config';
import { configIssues, shippedPipeline } from '../support/pipeline-config';

const sample = shippedPipeline;
const issuesOf = configIssues;

describe('pipeline configuration', () => {
  it('accepts the shipped example and fills defaults', () => {
    const pipeline = parsePipeline(sample());
    const web = pipeline.applications.web;
    expect(web?.environments.map((e) => e.name)).toEqual(['dev', 'staging', 'production']);
    expect(web?.environments[0]?.onFailure).toBe('block');
    expect(web?.environments[2]?.approval).toEqual({
      approvers: ['release-manager@example.com'],
      required: 1,
      expiresInMinutes: 4320,
    });
    expect(pipeline.staleAfterMinutes).toBe(30);
  });

  it('names the path and the rule of a missing field', () => {
    const raw = sample();
    delete raw.applications.web.environments[2].deploymentGroup;
    expect(issuesOf(raw)).toEqual(['applications.web.environments[2].deploymentGroup: required']);
  });

  it('names unknown fields, bad types and broken rules', () => {
    const raw = sample();
    raw.applications.web.environments[0].deploymentGrup = 'x';
    raw.applications.web.environments[1].audit.minimumTargets = 'three';
    raw.applications.web.environments[2].approval.expiresInMinutes = 1;
    raw.applications.web.releaseTagPattern = '([';
    const issues = issuesOf(raw);
    expect(issues).toContain(
      'applications.web.environments[0]: unknown field(s) deploymentGrup (did you mean deploymentGroup?)',
    );
    expect(issues).toContain('applications.web.environments[1].audit.minimumTargets: must be number');
    expect(issues).toContain('applications.web.environments[2].approval.expiresInMinutes: too short (min 5)');
    expect(issues).toContain('applications.web.releaseTagPattern: must be a valid regular expression');
  });

  it('refuses duplicate environments, a first environment entered by promotion, shared repositories', () => {
    const raw = sample();
    raw.applications.web.environments[1].name = 'dev';
    raw.applications.api = {
      codedeployApplication: 'api',
      repositories: ['web'],
      environments: [{ name: 'prod', deploymentGroup: 'api-prod', enter: 'promotion' }],
    };
    expect(issuesOf(raw)).toEqual([
      'applications.web.environments[1].name: duplicate name',
      'applications.api.environments[0].enter: the first environment has no previous one',
      'applications.api.repositories[0]: already belongs to web',
    ]);
  });

  it('answers where a branch deploys, which environment a group is, and what comes next', () => {
    const pipeline = parsePipeline(sample());
    const web = pipeline.applications.web;
    if (!web) throw new Error('sample has no web application');
    expect(environmentsForBranch(web, 'main').map((e) => e.name)).toEqual(['dev']);
    expect(environmentsForBranch(web, 'feature/x')).toEqual([]);
    expect(environmentForGroup(pipeline, 'baton-web', 'web-staging')?.environment.name).toBe('staging');
    expect(environmentForGroup(pipeline, 'baton-web', 'nope')).toBeUndefined();
    expect(nextEnvironment(web, 'staging')?.name).toBe('production');
    expect(nextEnvironment(web, 'production')).toBeUndefined();
  });

  it('suggests the nearest known field for a misspelt one, at its own level, and none for a stranger', () => {
    const raw = sample();
    raw.alertEmail = raw.alertEmails;
    delete raw.alertEmails;
    raw.applications.web.environments[0].enter = { brnch: 'main' };
    raw.applications.web.environments[1].secrets.files[0].secretid = 'x';
    raw.applications.web.colour = 'blue';
    expect(issuesOf(raw)).toEqual([
      'applications.web.environments[0].enter.branch: required',
      'applications.web.environments[0].enter: unknown field(s) brnch (did you mean branch?)',
      'applications.web.environments[1].secrets.files[0]: unknown field(s) secretid (did you mean secretId?)',
      'applications.web: unknown field(s) colour',
      '(top level): unknown field(s) alertEmail (did you mean alertEmails?)',
    ]);
  });

  it('refuses approvals that could never be given or count one approver twice, all at once', () => {
    const raw = sample();
    raw.applications.web.environments[2].approval = {
      approvers: ['a@example.com', 'b@example.com', 'A@example.com'],
      required: 3,
    };
    raw.applications.web.environments[1].approval = { approvers: ['a@example.com'], required: 2 };
    expect(issuesOf(raw)).toEqual([
      'applications.web.environments[1].approval.required: 2 approvals required, but only 1 distinct approver(s)',
      'applications.web.environments[2].approval.approvers[2]: duplicate approver',
      'applications.web.environments[2].approval.required: 3 approvals required, but only 2 distinct approver(s)',
    ]);
  });
});
