// One SDK client per service doctor reads, with the caller's own credentials (default chain or
// --profile) and region (--region, AWS_REGION or the profile's).
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface DoctorClients {
  cloudformation: CloudFormationClient;
  cloudwatch: CloudWatchClient;
  codedeploy: CodeDeployClient;
  iam: IAMClient;
  lambda: LambdaClient;
  secrets: SecretsManagerClient;
  sns: SNSClient;
  events: EventBridgeClient;
  sqs: SQSClient;
}

export interface ClientOptions {
  region?: string;
  profile?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
}

export const doctorClients = (options: ClientOptions = {}): DoctorClients => {
  const config = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
  return {
    cloudformation: new CloudFormationClient(config),
    cloudwatch: new CloudWatchClient(config),
    codedeploy: new CodeDeployClient(config),
    iam: new IAMClient(config),
    lambda: new LambdaClient(config),
    secrets: new SecretsManagerClient(config),
    sns: new SNSClient(config),
    events: new EventBridgeClient(config),
    // The queue's own URL names the regional endpoint: with the resolved endpoint kept, AWS_ENDPOINT_URL
    // (a local stand-in) is honoured too.
    sqs: new SQSClient({ ...config, useQueueUrlAsEndpoint: false }),
  };
};
