// Topic policies for the approval topic (it carries every approver's link) and the alert topic.
// Publish: only the roles of Baton's functions whose own IAM statements publish to the topic (read from
// functions/*/function.yml, so the two never disagree), and only over TLS. Subscribe: only email, and
// only the addresses pipeline.yml names (the subscriptions this stack creates); nobody else, in this
// account or another. Same-account access still needs an IAM allow: these statements only deny.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { approvers, load } = require('./pipeline.cjs');

const FUNCTIONS = join(__dirname, '..', 'functions');

// serverless-iam-roles-per-function names each function's role <FunctionName>IamRoleLambdaExecution.
const roleOf = (folder) =>
  `${folder.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase())}IamRoleLambdaExecution`;

/** The functions whose function.yml allows sns:Publish on `topic` (a statement per `- Effect:`). */
const publishersOf = (topic) =>
  readdirSync(FUNCTIONS)
    .filter((folder) => {
      const text = readFileSync(join(FUNCTIONS, folder, 'function.yml'), 'utf8');
      return text
        .split(/^\s*- Effect:/m)
        .some((s) => /sns:Publish\b/.test(s) && new RegExp(`!Ref ${topic}\\b`).test(s));
    })
    .sort();

const unique = (list) => [...new Set(list)];

const policy = (topic, subscribers) => {
  const Resource = { Ref: topic };
  const deny = (Sid, Action, Condition) => ({
    Sid,
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action,
    Resource,
    ...(Condition ? { Condition } : {}),
  });
  const roles = publishersOf(topic).map((f) => ({ 'Fn::GetAtt': [roleOf(f), 'Arn'] }));
  return {
    Type: 'AWS::SNS::TopicPolicy',
    Properties: {
      Topics: [Resource],
      PolicyDocument: {
        Version: '2012-10-17',
        Id: `${topic}Policy`,
        Statement: [
          deny('PublishOnlyBatonFunctions', 'sns:Publish', { ArnNotEquals: { 'aws:PrincipalArn': roles } }),
          deny('PublishOnlyOverTls', 'sns:Publish', { Bool: { 'aws:SecureTransport': 'false' } }),
          deny('SubscribeOnlyByEmail', 'sns:Subscribe', {
            StringNotEquals: { 'sns:Protocol': 'email' },
          }),
          subscribers.length > 0
            ? deny('SubscribeOnlyConfiguredAddresses', 'sns:Subscribe', {
                StringNotEquals: { 'sns:Endpoint': subscribers },
              })
            : deny('SubscribeNobody', 'sns:Subscribe'),
        ],
      },
    },
  };
};

module.exports = {
  publishersOf,
  resources: () => ({
    ApprovalTopicPolicy: policy('ApprovalTopic', approvers()),
    AlertTopicPolicy: policy('AlertTopic', unique(load().alertEmails || [])),
  }),
};
