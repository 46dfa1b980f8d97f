// The CloudFormation references the functions' environment holds (bucket, topics, approval URL, link
// key). `osls package` and `osls deploy` get the references themselves. `osls invoke local` cannot
// resolve them offline (it asks CloudFormation for a Ref and refuses Fn::GetAtt), so there they come
// from the local stack that `npm start -- --keep` describes in .local/stack.json (or BATON_STACK_FILE),
// and so do its endpoints: the function runs against the embedded emulator, unchanged.
const { existsSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const REFS = {
  BATON_BUCKET: { Ref: 'PipelineBucket' },
  BATON_ALERT_TOPIC_ARN: { Ref: 'AlertTopic' },
  BATON_APPROVAL_TOPIC_ARN: { Ref: 'ApprovalTopic' },
  BATON_APPROVAL_KEY_SECRET_ARN: { Ref: 'ApprovalTokenKey' },
  BATON_APPROVAL_URL: { 'Fn::GetAtt': ['ApprovalLambdaFunctionUrl', 'FunctionUrl'] },
  BATON_GITHUB_WEBHOOK_SECRET_ARN: { Ref: 'GithubWebhookSecret' },
  // The function that audits, which the operator asks for re-audits (Ref: the function's name).
  BATON_AUDIT_FUNCTION: { Ref: 'DeploymentFinishedLambdaFunction' },
};

const invokingLocally = () => {
  const i = process.argv.indexOf('invoke');
  return i >= 0 && process.argv[i + 1] === 'local';
};

let local;
const localStack = () => {
  if (local) return local;
  const file = resolve(join(__dirname, '..'), process.env.BATON_STACK_FILE || '.local/stack.json');
  if (!existsSync(file))
    throw new Error(
      `osls invoke local runs against the local stack, and ${file} does not exist: start one with \`npm start -- --keep\``,
    );
  local = JSON.parse(readFileSync(file, 'utf8')).env;
  // Endpoints, region and test credentials of the emulator, unless the caller set their own.
  for (const [key, value] of Object.entries(local))
    if (!key.startsWith('BATON_') && process.env[key] === undefined) process.env[key] = value;
  return local;
};

const ref = (name) => () => {
  if (!invokingLocally()) return REFS[name];
  const value = localStack()[name];
  if (typeof value !== 'string') throw new Error(`the local stack file has no ${name}`);
  return value;
};

module.exports = Object.fromEntries(Object.keys(REFS).map((name) => [name, ref(name)]));
