// The IAM around CodeDeploy in the packaged stack: the service role, what instances may read and
// call, and what CI may write, for the shipped pipeline.yml and a variant.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Template } from '../support/packaged';
import { ofType, packageWith, shippedPipeline } from '../support/packaged-config';

let shipped: Template;
let variant: Template;

const variantPipeline = () => {
  const raw = shippedPipeline();
  raw.artifactPrefix = '';
  raw.applications.web.createInstanceRoles = false;
  raw.applications.web.artifactKey = 'builds/{branch}/{application}/{commit}.zip';
  raw.applications.web.environments[2].group.blueGreen = { greenFleet: 'discover-existing' };
  raw.applications.web.environments[2].group.instances = { ec2Tags: [{ key: 'env', value: 'production' }] };
  return raw;
};

beforeAll(() => {
  shipped = packageWith(shippedPipeline());
  variant = packageWith(variantPipeline());
}, 180_000);

const props = (t: Template, id: string) => t.Resources[id]?.Properties ?? {};
const objects = (prefix: string) => ({ 'Fn::Sub': `\${PipelineBucket.Arn}/${prefix}*` });
const roleArn = (role: string) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${role}`,
});

describe('the CodeDeploy service role', () => {
  it('is assumable by CodeDeploy for this application’s groups only, with AWSCodeDeployRole', () => {
    const p = props(shipped, 'CodeDeployServiceRoleWeb');
    expect(p.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'codedeploy.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: {
              'aws:SourceArn': {
                'Fn::Sub': `arn:\${AWS::Partition}:codedeploy:\${AWS::Region}:\${AWS::AccountId}:deploymentgroup:baton-web/*`,
              },
            },
          },
        },
      ],
    });
    expect(p.ManagedPolicyArns).toEqual([
      { 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRole` },
    ]);
  });

  it('may launch a blue/green copy of an Auto Scaling group, passing only the instance roles to EC2', () => {
    const [policy] = props(shipped, 'CodeDeployServiceRoleWeb').Policies as { PolicyDocument: unknown }[];
    expect(policy?.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 'ec2:CreateTags',
          Resource: '*',
          Condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
        },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: [roleArn('baton-web-instance')],
          Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        },
      ],
    });
  });

  it('launches nothing when no group copies an Auto Scaling group', () => {
    expect(props(variant, 'CodeDeployServiceRoleWeb').Policies).toBeUndefined();
  });
});

describe('the instance side', () => {
  it('creates each instance role for EC2 only, with its instance profile and both policies', () => {
    expect(props(shipped, 'InstanceRoleBatonWebInstance')).toMatchObject({
      RoleName: 'baton-web-instance',
      AssumeRolePolicyDocument: {
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      ManagedPolicyArns: [{ Ref: 'InstanceArtifactPolicyWeb' }, { Ref: 'SecretsInvokePolicy' }],
    });
    expect(props(shipped, 'InstanceProfileBatonWebInstance')).toEqual({
      InstanceProfileName: 'baton-web-instance',
      Roles: [{ Ref: 'InstanceRoleBatonWebInstance' }],
    });
    expect(shipped.Outputs?.InstanceProfileNamesWeb?.Value).toBe('baton-web-instance');
  });

  it("lets instances read exactly their application's artifacts, any version", () => {
    const doc = props(shipped, 'InstanceArtifactPolicyWeb').PolicyDocument;
    expect(doc).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadArtifacts',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:GetObjectVersion'],
          Resource: objects('artifacts/web/'),
        },
      ],
    });
    expect(shipped.Outputs?.InstanceArtifactPolicyArnWeb?.Value).toEqual({
      Ref: 'InstanceArtifactPolicyWeb',
    });
  });

  it('calls the secrets URL only with EC2 instance credentials', () => {
    const doc = props(shipped, 'SecretsInvokePolicy').PolicyDocument as {
      Statement: { Condition: unknown }[];
    };
    expect(doc.Statement.map((s) => s.Condition)).toEqual([
      {
        StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' },
        Null: { 'ec2:SourceInstanceARN': 'false' },
      },
      { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' }, Null: { 'ec2:SourceInstanceARN': 'false' } },
    ]);
  });

  it('creates no role where the roles exist, and scopes reads to the fixed start of the key layout', () => {
    expect(ofType(variant, 'AWS::IAM::InstanceProfile')).toEqual({});
    expect(variant.Resources.InstanceRoleBatonWebInstance).toBeUndefined();
    const doc = props(variant, 'InstanceArtifactPolicyWeb').PolicyDocument as {
      Statement: { Resource: unknown }[];
    };
    expect(doc.Statement[0]?.Resource).toEqual(objects('builds/'));
  });
});

describe('the CI side', () => {
  it('may put objects under the artifact prefix and nothing else', () => {
    expect(props(shipped, 'CiUploadPolicy').PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'UploadArtifacts', Effect: 'Allow', Action: 's3:PutObject', Resource: objects('artifacts/') },
      ],
    });
    expect(shipped.Outputs?.CiUploadPolicyArn?.Value).toEqual({ Ref: 'CiUploadPolicy' });
  });

  it('is denied the ledger when the artifact prefix is the whole bucket', () => {
    const doc = props(variant, 'CiUploadPolicy').PolicyDocument as { Statement: unknown[] };
    expect(doc.Statement).toEqual([
      { Sid: 'UploadArtifacts', Effect: 'Allow', Action: 's3:PutObject', Resource: objects('') },
      { Sid: 'NeverTheLedger', Effect: 'Deny', Action: 's3:PutObject', Resource: objects('ledger/') },
    ]);
  });
});
