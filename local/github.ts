// GitHub webhooks on the local stack: the webhook secret infra/github.yml generates in AWS, created
// on moto, so the github-webhook function verifies signatures against it unchanged.
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export const provisionGithubWebhook = async (
  clients: { secrets: SecretsManagerClient },
  name = 'baton-local',
) => {
  const secret = await clients.secrets.send(
    new CreateSecretCommand({
      Name: `${name}/github-webhook`,
      SecretString: randomBytes(32).toString('hex'),
    }),
  );
  return { env: { BATON_GITHUB_WEBHOOK_SECRET_ARN: secret.ARN ?? '' } };
};
