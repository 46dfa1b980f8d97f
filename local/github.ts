// GitHub webhooks on the local stack: the webhook secret infra/github.yml generates in AWS, created
// on moto, so the github-webhook function verifies signatures against it unchanged; and the function
// served on a loopback function URL (auth NONE, as in AWS: the signature is the credential).
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { serveFunctionUrl } from './function-url';

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

export const serveGithubWebhook = () =>
  serveFunctionUrl(async (event) => (await import('../functions/github-webhook/handler')).run(event));
