// Who may touch the artifacts, from pipeline.yml: per application, a managed policy that lets its
// instances read its artifacts (the CodeDeploy agent downloads the revision with the instance's own
// credentials), the instance roles and profiles when the stack creates them, and CI's upload policy.
// The secrets URL's invoke policy is SecretsInvokePolicy (infra/secrets.yml).
const { load } = require('./pipeline.cjs');
const { artifactKeyPrefix, logicalIds, sub } = require('./names.cjs');

const objects = (prefix) => sub(`\${PipelineBucket.Arn}/${prefix}*`);

const artifactReadPolicy = (pipeline, name) => ({
  Type: 'AWS::IAM::ManagedPolicy',
  Properties: {
    Description: `Lets the instances of ${name} download its artifacts (the revisions CodeDeploy installs)`,
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadArtifacts',
          Effect: 'Allow',
          // Baton deploys one object version: the agent asks for it by version id.
          Action: ['s3:GetObject', 's3:GetObjectVersion'],
          Resource: objects(artifactKeyPrefix(pipeline, name)),
        },
      ],
    },
  },
});

const instanceRole = (role, policyId) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    RoleName: role,
    Description: 'An instance role of a Baton application: its artifacts and its secrets',
    // EC2 only: the secrets broker knows an instance by the session EC2 names after it.
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    ManagedPolicyArns: [{ Ref: policyId }, { Ref: 'SecretsInvokePolicy' }],
  },
});

// CI puts artifacts and nothing else. Where the ledger lies under the artifact prefix (an empty
// prefix), it is denied outright, so CI can never write a record.
const ciPolicy = (pipeline) => {
  const { artifactPrefix, ledgerPrefix } = pipeline;
  const overlaps = ledgerPrefix.startsWith(artifactPrefix);
  return {
    Type: 'AWS::IAM::ManagedPolicy',
    Properties: {
      Description: 'Lets CI upload build artifacts under the artifact prefix of the pipeline bucket',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'UploadArtifacts',
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: objects(artifactPrefix),
          },
          ...(overlaps
            ? [
                {
                  Sid: 'NeverTheLedger',
                  Effect: 'Deny',
                  Action: 's3:PutObject',
                  Resource: objects(ledgerPrefix),
                },
              ]
            : []),
        ],
      },
    },
  };
};

const resources = () => {
  const pipeline = load();
  const id = logicalIds();
  const out = { CiUploadPolicy: ciPolicy(pipeline) };
  for (const [name, app] of Object.entries(pipeline.applications)) {
    const policyId = id('InstanceArtifactPolicy', name);
    out[policyId] = artifactReadPolicy(pipeline, name);
    if (!app.createInstanceRoles) continue;
    for (const role of app.instanceRoles) {
      const roleId = id('InstanceRole', role);
      out[roleId] = instanceRole(role, policyId);
      out[id('InstanceProfile', role)] = {
        Type: 'AWS::IAM::InstanceProfile',
        Properties: { InstanceProfileName: role, Roles: [{ Ref: roleId }] },
      };
    }
  }
  return out;
};

const outputs = () => {
  const pipeline = load();
  const id = logicalIds();
  const out = {
    CiUploadPolicyArn: {
      Description: 'Attach to the role or user CI uploads with: s3:PutObject under the artifact prefix only.',
      Value: { Ref: 'CiUploadPolicy' },
    },
  };
  for (const [name, app] of Object.entries(pipeline.applications)) {
    out[id('InstanceArtifactPolicyArn', name)] = {
      Description: `Attach, with SecretsInvokePolicyArn, to every instance role of ${name} the stack does not create`,
      Value: { Ref: id('InstanceArtifactPolicy', name) },
    };
    if (app.createInstanceRoles)
      out[id('InstanceProfileNames', name)] = {
        Description: `Instance profiles for the instances (or launch templates) of ${name}`,
        Value: app.instanceRoles.join(','),
      };
  }
  return out;
};

module.exports = { resources, outputs };
