// What a function's code can call, read from its bundle: the AWS SDK commands esbuild kept, mapped to
// the IAM actions they need (Service Authorization Reference, "Actions defined by …" tables).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from '../../bench/lib/bundle';

/** SDK command → IAM actions it needs. CreateDeployment also reads the deployment config and the
 * application revision (CodeDeploy User Guide, "Identity-based policy examples": deploy permissions). */
export const ACTIONS: Record<string, string[]> = {
  's3:HeadObject': ['s3:GetObject', 's3:GetObjectVersion'],
  's3:GetObject': ['s3:GetObject'],
  's3:PutObject': ['s3:PutObject'],
  's3:DeleteObject': ['s3:DeleteObject'],
  's3:ListObjectsV2': ['s3:ListBucket'],
  'codedeploy:CreateDeployment': [
    'codedeploy:CreateDeployment',
    'codedeploy:GetDeploymentConfig',
    'codedeploy:GetApplicationRevision',
    'codedeploy:RegisterApplicationRevision',
  ],
  'codedeploy:GetDeployment': ['codedeploy:GetDeployment'],
  'codedeploy:StopDeployment': ['codedeploy:StopDeployment'],
  'codedeploy:ListDeployments': ['codedeploy:ListDeployments'],
  'codedeploy:ListDeploymentTargets': ['codedeploy:ListDeploymentTargets'],
  'codedeploy:BatchGetDeploymentTargets': ['codedeploy:BatchGetDeploymentTargets'],
  'codedeploy:GetDeploymentTarget': ['codedeploy:GetDeploymentTarget'],
  'sns:Publish': ['sns:Publish'],
  'secretsmanager:GetSecretValue': ['secretsmanager:GetSecretValue'],
  'secretsmanager:DescribeSecret': ['secretsmanager:DescribeSecret'],
  'cloudwatch:DescribeAlarms': ['cloudwatch:DescribeAlarms'],
  'lambda:GetAlias': ['lambda:GetAlias'],
  // The Invoke API is authorized as lambda:InvokeFunction (Service Authorization Reference, AWS Lambda).
  'lambda:Invoke': ['lambda:InvokeFunction'],
};

const SERVICES: Record<string, string> = {
  'client-s3': 's3',
  'client-codedeploy': 'codedeploy',
  'client-sns': 'sns',
  'client-secrets-manager': 'secretsmanager',
  'client-cloudwatch': 'cloudwatch',
  'client-lambda': 'lambda',
};

/** The SDK commands inside a function's bundle, as `service:Operation`. */
export const commandsOf = async (handler: string): Promise<string[]> => {
  const built = await bundle(handler, join(mkdtempSync(join(tmpdir(), 'baton-iam-')), 'probe.js'));
  return built.commands
    .map((c) => {
      const [pkg = '', op = ''] = c.split(':');
      return `${SERVICES[pkg.replace('@aws-sdk/', '')] ?? pkg}:${op}`;
    })
    .sort();
};
