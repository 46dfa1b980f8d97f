import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { clientConfig } from './client-config';

export const cloudwatch = new CloudWatchClient(clientConfig());
