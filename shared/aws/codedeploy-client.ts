import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { clientConfig } from './client-config';

export const codedeploy = new CodeDeployClient(clientConfig());
