// SecretValues on AWS Secrets Manager through Powertools parameters: values are cached per container
// for `maxAge` seconds, so the instances of one deployment cost one GetSecretValue per secret. The
// provider keeps the whole answer of one GetSecretValue (ARN, VersionId, value) so that the version
// recorded in the ledger is the version handed out; Powertools' SecretsProvider keeps only the value.
import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretValue, SecretValues } from '../secrets/ports';
import { secretReadError } from './secret-errors';

class SecretVersionProvider extends BaseProvider {
  constructor(private readonly sm: SecretsManagerClient) {
    super({ awsSdkV3Client: sm });
  }

  protected async _get(name: string): Promise<SecretValue | undefined> {
    try {
      const out = await this.sm.send(new GetSecretValueCommand({ SecretId: name }));
      const value = out.SecretString ?? out.SecretBinary;
      if (value === undefined || !out.ARN || !out.VersionId) return undefined;
      return { arn: out.ARN, versionId: out.VersionId, value };
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  protected async _getMultiple(): Promise<undefined> {
    throw new Error('SecretVersionProvider reads one secret at a time');
  }
}

const isSecretValue = (v: unknown): v is SecretValue =>
  typeof v === 'object' && v !== null && 'arn' in v && 'versionId' in v && 'value' in v;

export const secretValues = (client: SecretsManagerClient, maxAge = 30): SecretValues => {
  const provider = new SecretVersionProvider(client);
  return {
    async read(secretId, options) {
      let found: unknown;
      try {
        found = await provider.get(secretId, { maxAge, forceFetch: options?.fresh ?? false });
      } catch (error) {
        throw secretReadError(secretId, error);
      }
      return isSecretValue(found) ? found : undefined;
    },
  };
};
