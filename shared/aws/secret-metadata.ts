// SecretMetadata on AWS Secrets Manager: DescribeSecret only, so a role that checks secrets never
// holds secretsmanager:GetSecretValue on them. Never cached: secrets-check asks for the state now.
import {
  DescribeSecretCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretMetadata } from '../secrets/ports';
import { secretReadError } from './secret-errors';

export const secretMetadata = (client: SecretsManagerClient): SecretMetadata => ({
  async describe(secretId) {
    try {
      const out = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
      if (!out.ARN) return undefined;
      return {
        arn: out.ARN,
        versions: Object.entries(out.VersionIdsToStages ?? {}).map(([versionId, stages]) => ({
          versionId,
          stages,
        })),
        ...(out.LastChangedDate ? { lastChangedAt: out.LastChangedDate.toISOString() } : {}),
        ...(out.DeletedDate ? { deletedAt: out.DeletedDate.toISOString() } : {}),
      };
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw secretReadError(secretId, error);
    }
  },
});
