import { SNSClient } from '@aws-sdk/client-sns';
import { clientConfig } from './client-config';

export const sns = new SNSClient(clientConfig());
