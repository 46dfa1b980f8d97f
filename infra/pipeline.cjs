// serverless.yml reads what it needs for resources and IAM from pipeline.yml through this file,
// so the stack and the functions never disagree about applications, groups, secrets or approvers.
// The file is validated here with Baton's schema (shared/pipeline/rules/pipeline-schema.ts, bundled on
// the fly by esbuild), so a bad pipeline.yml fails `osls package` and `osls deploy` with its
// path-and-rule messages, before anything reaches AWS; the functions get it as it validated.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { join, resolve } = require('node:path');
const { buildSync } = require('esbuild');
const { parse } = require('yaml');

const root = join(__dirname, '..');

const loadConfigModule = () => {
  const entry = join(root, 'shared', 'pipeline', 'rules', 'config.ts');
  const [bundle] = buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
  }).outputFiles;
  const mod = new Module(entry, module);
  mod.filename = entry;
  mod._compile(bundle.text, entry);
  return mod.exports;
};

let loaded;
/** pipeline.yml (or BATON_CONFIG, relative to the repository), parsed and validated, defaults filled. */
const load = () => {
  const file = resolve(root, process.env.BATON_CONFIG || 'pipeline.yml');
  if (loaded?.file === file) return loaded.pipeline;
  const raw = parse(readFileSync(file, 'utf8'));
  const { parsePipeline } = loadConfigModule();
  let pipeline;
  try {
    pipeline = parsePipeline(raw);
  } catch (error) {
    if (!Array.isArray(error.issues)) throw error;
    const invalid = new Error(
      `${file} is not a valid pipeline configuration:\n${error.issues.map((i) => `  - ${i}`).join('\n')}`,
    );
    // osls prints the stack: the message is all an operator needs.
    invalid.stack = invalid.message;
    throw invalid;
  }
  loaded = { file, pipeline };
  return pipeline;
};

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

// One email subscription per approver on the approval topic, each with a filter policy on the `approver`
// message attribute, so every approver receives only the messages (and links) addressed to them.
// Logical ids come from a hash of the address: stable across deploys, whatever the address contains.
const approvalSubscriptions = () => {
  const approvers = [...new Set(environments().flatMap(({ env }) => env.approval?.approvers || []))];
  return Object.fromEntries(
    approvers.map((email) => [
      `ApprovalSubscription${createHash('sha256').update(email).digest('hex').slice(0, 12)}`,
      {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          TopicArn: { Ref: 'ApprovalTopic' },
          Protocol: 'email',
          Endpoint: email,
          FilterPolicyScope: 'MessageAttributes',
          FilterPolicy: { approver: [email] },
        },
      },
    ]),
  );
};

// One email subscription to the alert topic per address in alertEmails.
const alertSubscriptions = () =>
  Object.fromEntries(
    [...new Set(load().alertEmails || [])].map((email) => [
      `AlertSubscription${createHash('sha256').update(email).digest('hex').slice(0, 12)}`,
      {
        Type: 'AWS::SNS::Subscription',
        Properties: { TopicArn: { Ref: 'AlertTopic' }, Protocol: 'email', Endpoint: email },
      },
    ]),
  );

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

// The alarms the environments' bakes list (verify.alarms). The reconcile function describes them on
// "*": the DescribeAlarms API reference says composite alarms are returned only when
// cloudwatch:DescribeAlarms is scoped to * (a grant on arn:…:alarm:NAME hides a listed composite
// alarm, which would then read as missing). The action only reads alarm states. With no alarm listed
// it describes none, which a Deny says, and its EventBridge rule matches a name no alarm has.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
const bakeAlarms = () => [...new Set(environments().flatMap(({ env }) => env.verify?.alarms || []))];
// An action allowed on exactly these resources, or denied when there are none.
const onlyOn = (action, resources) =>
  resources.length > 0
    ? { Effect: 'Allow', Action: action, Resource: resources }
    : { Effect: 'Deny', Action: action, Resource: '*' };
const describeAlarmsStatement = () =>
  bakeAlarms().length > 0
    ? {
        Effect: 'Allow',
        Action: 'cloudwatch:DescribeAlarms',
        Resource: '*',
      }
    : { Effect: 'Deny', Action: 'cloudwatch:DescribeAlarms', Resource: '*' };
// The functions Lambda environments deploy (group.lambda.function): every function that launches a
// deployment reads the version its environment's alias serves, and those that audit (deployment-finished,
// reconcile, operator) read it again after a deployment (lambda:GetAlias, resource type function,
// the unqualified function ARN: Service Authorization Reference, AWS Lambda). With no Lambda application
// it reads none, which a Deny says (IAM refuses a statement without resources).
const lambdaFunctions = () => [
  ...new Set(environments().flatMap(({ env }) => (env.group?.lambda ? [env.group.lambda.function] : []))),
];
const getAliasStatement = () =>
  onlyOn(
    'lambda:GetAlias',
    lambdaFunctions().map((fn) => arn('lambda', `function:${fn}`)),
  );
const bakeAlarmNames = () => (bakeAlarms().length > 0 ? bakeAlarms() : ['(no bake alarms configured)']);

module.exports = {
  // pipeline.yml validated, defaults filled (for the other generators in infra/).
  load,
  // An esbuild `define` value: the configuration as it validated, defaults filled, as a JSON string
  // literal, baked into each function, which reads it as is and carries no copy of the schema.
  validatedJson: () => JSON.stringify(JSON.stringify(load())),
  deploymentGroupArns,
  applicationArns,
  // For EventBridge patterns on CodeDeploy's events (detail.application).
  codedeployApplications: () => [...new Set(applications().map((a) => a.codedeployApplication))],
  deploymentConfigArns: () => [arn('codedeploy', 'deploymentconfig:*')],
  secretArns: () => secretIds().map(secretArn),
  ledgerPrefix: () => load().ledgerPrefix || 'ledger/',
  artifactPrefix: () => load().artifactPrefix || 'artifacts/',
  approvers: () => [...new Set(environments().flatMap(({ env }) => env.approval?.approvers || []))],
  approvalSubscriptions,
  alertSubscriptions,
  instanceRoleArns: () =>
    [...new Set(applications().flatMap((a) => a.instanceRoles || []))].map((r) =>
      sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${r}`),
    ),
  repositoryNames,
  repositoryArns: () => repositories().map((r) => arn('codecommit', r)),
  codecommitTriggerPermissions,
  describeAlarmsStatement,
  getAliasStatement,
  bakeAlarmNames,
};
