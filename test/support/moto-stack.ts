// The packaged stack deployed to moto the way `osls deploy` deploys it: the create-stack template
// (the deployment bucket alone), the functions' zips uploaded into that bucket, then an update to the
// full template.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Packaged, Statement, Template } from './packaged';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
export const motoClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials,
  maxAttempts: 1,
});

// moto 5.2.1 has no CloudFormation model for these types: it skips them, and a Fn::GetAtt on one
// fails the whole request (CreateStack: HTTP 500 from its output validation; UpdateStack:
// "Template error: instance of Fn::GetAtt references undefined resource").
export const MOTO_UNMODELLED = new Set([
  'AWS::Lambda::Url',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::SNS::Subscription',
  'AWS::SNS::TopicPolicy',
  'AWS::S3::BucketPolicy',
  'AWS::SecretsManager::Secret',
  'AWS::CodeDeploy::Application',
  'AWS::CodeDeploy::DeploymentGroup',
]);
export const PLACEHOLDER = 'unmodelled-in-moto';

/** The template with each Fn::GetAtt on a type moto cannot model replaced by a placeholder string. */
export const forMoto = (t: Template): Template => {
  const unmodelled = (v: unknown): boolean => {
    const att = (v as { 'Fn::GetAtt'?: unknown[] } | null)?.['Fn::GetAtt'];
    return Array.isArray(att) && MOTO_UNMODELLED.has(t.Resources[String(att[0])]?.Type ?? '');
  };
  const swap = (v: unknown): unknown => {
    if (unmodelled(v)) return PLACEHOLDER;
    if (Array.isArray(v)) return v.map(swap);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
    return v;
  };
  const outputs = Object.entries(t.Outputs ?? {}).filter(([, o]) => !unmodelled(o.Value));
  return { Resources: swap(t.Resources) as Template['Resources'], Outputs: Object.fromEntries(outputs) };
};

const settled = async (cfn: CloudFormationClient, StackName: string): Promise<string> => {
  for (let i = 0; i < 100; i++) {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName }));
    const status = Stacks?.[0]?.StackStatus ?? 'UNKNOWN';
    if (!status.endsWith('_IN_PROGRESS')) return status;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${StackName} still in progress`);
};

export interface MotoStack {
  statuses: string[];
  resources: StackResourceSummary[];
}

export const deployToMoto = async (
  endpoint: string,
  packaged: Packaged,
  StackName: string,
): Promise<MotoStack> => {
  const cfn = new CloudFormationClient(motoClientConfig(endpoint));
  const s3 = new S3Client({ ...motoClientConfig(endpoint), forcePathStyle: true });
  const Capabilities = ['CAPABILITY_NAMED_IAM' as const];
  await cfn.send(
    new CreateStackCommand({
      StackName,
      TemplateBody: JSON.stringify(packaged.createTemplate),
      Capabilities,
    }),
  );
  const created = await settled(cfn, StackName);
  const { StackResourceSummaries: first = [] } = await cfn.send(new ListStackResourcesCommand({ StackName }));
  const Bucket = first.find((r) => r.LogicalResourceId === 'ServerlessDeploymentBucket')?.PhysicalResourceId;
  for (const r of Object.values(packaged.template.Resources).filter(
    (x) => x.Type === 'AWS::Lambda::Function',
  )) {
    const Key = String((r.Properties.Code as { S3Key: string }).S3Key);
    await s3.send(
      new PutObjectCommand({ Bucket, Key, Body: readFileSync(join(packaged.dir, basename(Key))) }),
    );
  }
  const TemplateBody = JSON.stringify(forMoto(packaged.template));
  await cfn.send(new UpdateStackCommand({ StackName, TemplateBody, Capabilities }));
  const updated = await settled(cfn, StackName);
  const { StackResourceSummaries: resources = [] } = await cfn.send(
    new ListStackResourcesCommand({ StackName }),
  );
  return { statuses: [created, updated], resources };
};

// AWS returns an inline policy URL-encoded JSON; moto 5.2.1 returns a CloudFormation-made role's
// inline policy as a Python literal ({'Effect': 'Allow', …}). Both read as JSON here.
const pythonLiteral = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\bTrue\b|\bFalse\b|\bNone\b/g;
const PYTHON_WORDS: Record<string, string> = { True: 'true', False: 'false', None: 'null' };

export const policyStatements = (raw: string): Statement[] => {
  const text = raw.startsWith('%') ? decodeURIComponent(raw) : raw;
  const json = text.startsWith("{'")
    ? text.replace(
        pythonLiteral,
        (m) =>
          PYTHON_WORDS[m] ?? (m.startsWith("'") ? JSON.stringify(m.slice(1, -1).replace(/\\'/g, "'")) : m),
      )
    : text;
  return (JSON.parse(json) as { Statement: Statement[] }).Statement;
};
