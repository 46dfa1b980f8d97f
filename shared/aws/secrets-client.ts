import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clientConfig } from './client-config';

export const secretsManager = new SecretsManagerClient(clientConfig());
