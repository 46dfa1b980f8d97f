// SDK clients pointed at a local endpoint (moto or a stand-in), with dummy credentials.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export const clientsFor = (endpoint: string, codedeployEndpoint = endpoint, maxAttempts = 1) => ({
  s3: new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials, maxAttempts }),
  codedeploy: new CodeDeployClient({
    endpoint: codedeployEndpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts,
  }),
  sns: new SNSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts }),
  secrets: new SecretsManagerClient({ endpoint, region: 'us-east-1', credentials, maxAttempts }),
  // The local stack's own plumbing: S3's events and the emails, read back through queues.
  sqs: new SQSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts }),
  events: new EventBridgeClient({ endpoint, region: 'us-east-1', credentials, maxAttempts }),
  cloudwatch: new CloudWatchClient({ endpoint, region: 'us-east-1', credentials, maxAttempts }),
  // GetAlias, served by the CodeDeploy stand-in from the aliases its deployments move.
  lambda: new LambdaClient({ endpoint: codedeployEndpoint, region: 'us-east-1', credentials, maxAttempts }),
});

export const createVersionedBucket = async (s3: S3Client, bucket: string) => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
};
