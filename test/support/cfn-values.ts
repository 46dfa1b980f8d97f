// A template's values as the strings CloudFormation would make of them, in one made-up account, so
// that two references to the same resource (a Ref, a GetAtt, a Join or a Sub) compare equal.
import type { Template } from './packaged';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'baton-dev',
};

// The property that names each resource, and its ARN (CloudFormation resource reference, return values).
const NAMED: Record<string, { name: string; arn: (name: string) => string }> = {
  'AWS::Lambda::Function': { name: 'FunctionName', arn: (n) => `lambda:${REGION}:${ACCOUNT}:function:${n}` },
  'AWS::SQS::Queue': { name: 'QueueName', arn: (n) => `sqs:${REGION}:${ACCOUNT}:${n}` },
  'AWS::SNS::Topic': { name: 'TopicName', arn: (n) => `sns:${REGION}:${ACCOUNT}:${n}` },
  'AWS::Events::Rule': { name: 'Name', arn: (n) => `events:${REGION}:${ACCOUNT}:rule/${n}` },
  'AWS::Events::EventBus': { name: 'Name', arn: (n) => `events:${REGION}:${ACCOUNT}:event-bus/${n}` },
  'AWS::IAM::Role': { name: 'RoleName', arn: (n) => `iam::${ACCOUNT}:role/${n}` },
  'AWS::S3::Bucket': { name: 'BucketName', arn: (n) => `s3:::${n}` },
};

const nameOf = (t: Template, id: string): string => {
  const r = t.Resources[id];
  const key = r && NAMED[r.Type]?.name;
  const name = key ? r.Properties[key] : undefined;
  return name === undefined ? id : resolve(t, name);
};

export const arnOf = (t: Template, id: string): string => {
  const named = NAMED[t.Resources[id]?.Type ?? ''];
  return named ? `arn:aws:${named.arn(nameOf(t, id))}` : `${id}.Arn`;
};

const ref = (t: Template, id: string): string => {
  const pseudo = PSEUDO[id];
  if (pseudo) return pseudo;
  const type = t.Resources[id]?.Type;
  // Ref gives the ARN for these, the name for the others.
  if (type === 'AWS::SNS::Topic' || type === 'AWS::IAM::ManagedPolicy') return arnOf(t, id);
  if (type === 'AWS::SQS::Queue') return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${nameOf(t, id)}`;
  return nameOf(t, id);
};

const getAtt = (t: Template, id: string, attr: string): string =>
  attr === 'Arn' || attr === 'TopicArn' ? arnOf(t, id) : `${id}.${attr}`;

const sub = (t: Template, text: string, vars: Record<string, unknown>): string =>
  text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name in vars) return resolve(t, vars[name]);
    const [id = '', attr] = name.split('.');
    return attr ? getAtt(t, id, attr) : ref(t, id);
  });

/** The string a template value stands for. */
export const resolve = (t: Template, value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return ref(t, v.Ref);
  const att = v['Fn::GetAtt'];
  if (Array.isArray(att)) return getAtt(t, String(att[0]), String(att[1]));
  const join = v['Fn::Join'];
  if (Array.isArray(join)) {
    const [separator, parts] = join as [string, unknown[]];
    return parts.map((p) => resolve(t, p)).join(separator);
  }
  const s = v['Fn::Sub'];
  if (typeof s === 'string') return sub(t, s, {});
  if (Array.isArray(s)) return sub(t, String(s[0]), (s[1] ?? {}) as Record<string, unknown>);
  return JSON.stringify(value);
};

/** IAM's resource match: `*` stands for any run of characters, `?` for one. */
export const matchesArn = (pattern: string, arn: string): boolean => {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(arn);
};
