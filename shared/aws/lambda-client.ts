import { LambdaClient } from '@aws-sdk/client-lambda';
import { clientConfig } from './client-config';

export const lambda = new LambdaClient(clientConfig());
