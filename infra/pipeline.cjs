// serverless.yml reads what it needs for resources and IAM from pipeline.yml through this file,
// so the stack and the functions never disagree about applications, groups, secrets or approvers.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parse } = require('yaml');

const load = () =>
  parse(readFileSync(join(__dirname, '..', process.env.BATON_CONFIG || 'pipeline.yml'), 'utf8'));

const sub = (s) => ({ 'Fn::Sub': s });
const arn = (service, resource) =>
  sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);

const applications = () => Object.values(load().applications || {});
const environments = () =>
  applications().flatMap((a) => (a.environments || []).map((e) => ({ app: a, env: e })));

const deploymentGroupArns = () =>
  environments().map(({ app, env }) =>
    arn('codedeploy', `deploymentgroup:${app.codedeployApplication}/${env.deploymentGroup}`),
  );
const applicationArns = () =>
  applications().map((a) => arn('codedeploy', `application:${a.codedeployApplication}`));
// Secrets Manager appends a 6-character suffix to every secret ARN.
const secretArn = (id) => arn('secretsmanager', `secret:${id}-??????`);
const secretIds = () =>
  [
    ...new Set(
      environments().flatMap(({ env }) => [
        env.secrets?.env,
        ...(env.secrets?.files || []).map((f) => f.secretId),
      ]),
    ),
  ].filter(Boolean);

// The CodeCommit repositories pipeline.yml names. An EventBridge pattern refuses an empty list, so with
// none configured the rule matches a name no repository can have.
const repositories = () => [...new Set(applications().flatMap((a) => a.repositories || []))];
const repositoryNames = () => (repositories().length > 0 ? repositories() : ['(no repositories configured)']);

// Lets each configured repository's trigger invoke source-pushed (see infra/codecommit.yml).
const codecommitTriggerPermissions = () =>
  Object.fromEntries(
    repositories().map((repo, i) => [
      `SourcePushedTriggerPermission${i}${repo.replace(/[^A-Za-z0-9]/g, '')}`,
      {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': ['SourcePushedLambdaFunction', 'Arn'] },
          Principal: 'codecommit.amazonaws.com',
          SourceAccount: { Ref: 'AWS::AccountId' },
          SourceArn: arn('codecommit', repo),
        },
      },
    ]),
  );

module.exports = {
  // An esbuild `define` value: the configuration as a JSON string literal, baked into each bundle.
  bakedJson: () => JSON.stringify(JSON.stringify(load())),
  deploymentGroupArns,
  applicationArns,
  // For EventBridge patterns on CodeDeploy's events (detail.application).
  codedeployApplications: () => [...new Set(applications().map((a) => a.codedeployApplication))],
  deploymentConfigArns: () => [arn('codedeploy', 'deploymentconfig:*')],
  secretArns: () => secretIds().map(secretArn),
  ledgerPrefix: () => load().ledgerPrefix || 'ledger/',
  artifactPrefix: () => load().artifactPrefix || 'artifacts/',
  approvers: () => [...new Set(environments().flatMap(({ env }) => env.approval?.approvers || []))],
  instanceRoleArns: () =>
    [...new Set(applications().flatMap((a) => a.instanceRoles || []))].map((r) =>
      sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${r}`),
    ),
  repositoryNames,
  repositoryArns: () => repositories().map((r) => arn('codecommit', r)),
  codecommitTriggerPermissions,
};
