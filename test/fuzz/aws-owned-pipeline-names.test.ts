// AWS-owned names in pipeline.yml pass whatever their owner's API model allows: CodeDeploy application
// and group names (1-100, no pattern), CodeCommit repository names (`[\w\.-]+`, 1-100) and IAM role
// names (`[\w+=,.@-]+`, 1-64), CloudWatch alarm names (1-255). The exceptions are documented in the
// errors: no `*`, `?` or `${` in the CodeDeploy names the stack writes into IAM ARNs, no `${` in an
// alarm name (the Serverless Framework would resolve it in the EventBridge rule's pattern). Baton's own names (applications, environments) stay plain.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pipelineSchema } from '../../shared/pipeline/rules/config';
import { shapeOf } from '../support/aws-models';
import { edgeStrings, modelStrings } from '../support/aws-strings';

const RUNS = 300;
const IN_ARNS = /[*?]|\$\{/u;
const model = (service: string, shape: string, guard: number) => {
  const rules = shapeOf(service, shape);
  return fc.oneof(modelStrings(rules, guard), fc.constantFrom(...edgeStrings(rules, guard, '_')));
};
const codedeploy = (shape: string) => model('codedeploy', shape, 100).filter((s) => !IN_ARNS.test(s));
const names = {
  codedeployApplication: codedeploy('ApplicationName'),
  deploymentGroup: codedeploy('DeploymentGroupName'),
  repository: fc.oneof(
    model('codecommit', 'RepositoryName', 100),
    fc.constantFrom('.dotfiles', '_tools', '-dash'),
  ),
  instanceRole: fc.oneof(model('iam', 'roleNameType', 64), fc.constantFrom('+ops=a,b@c', '_web')),
};

const config = (n: { app: string; group: string; repo: string; role: string }) => ({
  version: 1,
  applications: {
    web: {
      codedeployApplication: n.app,
      repositories: [n.repo],
      instanceRoles: [n.role],
      existing: true,
      environments: [{ name: 'dev', deploymentGroup: n.group, enter: { branch: 'main' } }],
    },
  },
});
const issuesOf = (raw: unknown) =>
  (pipelineSchema.safeParse(raw).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
const valid = { app: 'baton-web', group: 'web-dev', repo: 'web', role: 'web-instances' };

describe('AWS-owned names in pipeline.yml', () => {
  it('accepts every name the owning service allows', () => {
    fc.assert(
      fc.property(
        names.codedeployApplication,
        names.deploymentGroup,
        names.repository,
        names.instanceRole,
        (app, group, repo, role) => {
          expect(issuesOf(config({ app, group, repo, role }))).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it.each([
    ['app', '*'],
    ['app', 'web?'],
    ['group', 'dev-*'],
    ['group', `\${aws:username}`],
  ] as const)('refuses the %s name %j, saying why', (field, value) => {
    const [issue] = issuesOf(config({ ...valid, [field]: value }));

    expect(issue).toMatch(/IAM policy ARNs, where \* and \? are wildcards/);
  });

  it.each([
    ['app', ''],
    ['group', 'g'.repeat(101)],
    ['repo', 'web/api'],
    ['repo', 'r'.repeat(101)],
    ['role', 'web*'],
    ['role', 'r'.repeat(65)],
  ] as const)('refuses the %s name %j the owner refuses', (field, value) => {
    expect(issuesOf(config({ ...valid, [field]: value }))).toHaveLength(1);
  });

  it('accepts every alarm name CloudWatch allows (1-255, no pattern) but one with ${', () => {
    const alarm = model('cloudwatch', 'AlarmName', 255).filter((s) => !s.includes('${'));
    const verifying = (name: string) => {
      const raw = config(valid);
      const [dev] = raw.applications.web.environments;
      return {
        ...raw,
        applications: {
          web: {
            ...raw.applications.web,
            environments: [{ ...dev, verify: { bakeMinutes: 5, alarms: [name] } }],
          },
        },
      };
    };
    fc.assert(
      fc.property(alarm, (name) => {
        expect(issuesOf(verifying(name))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    expect(issuesOf(verifying('web-*-5xx?'))).toEqual([]);
    expect(issuesOf(verifying(`web-\${self:service}`))).toEqual([
      "applications.web.environments.0.verify.alarms.0: no ${: the Serverless Framework would resolve it as a variable in the alarm names of the reconcile function's EventBridge rule, so the rule would watch another name",
    ]);
  });

  it('keeps the names Baton owns plain: applications and environments', () => {
    const app = config(valid).applications.web;
    const environment = { name: '_dev', deploymentGroup: 'g', enter: 'release' };

    expect(issuesOf({ version: 1, applications: { '-web': app } })).toEqual([
      'applications.-web: Invalid input',
    ]);
    expect(issuesOf({ version: 1, applications: { web: { ...app, environments: [environment] } } })).toEqual([
      'applications.web.environments.0.name: letters, digits, . _ - (max 100)',
    ]);
  });
});
