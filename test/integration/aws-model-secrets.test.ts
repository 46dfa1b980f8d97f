// Secrets Manager's API model as the oracle for what Baton sends: the secrets broker's reads (values
// and metadata, found and missing) and the approval link key's two stages, on moto, every command
// recorded as the adapter built it and checked against the operation's input shape.
import { CreateSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { beforeAll, describe, expect, it } from 'vitest';
import { secretsKeySource } from '../../shared/aws/approval-keys';
import { secretMetadata } from '../../shared/aws/secret-metadata';
import { secretValues } from '../../shared/aws/secret-values';
import { awsModel } from '../support/aws-models';
import { clientsFor, useMoto } from '../support/moto';
import { modelProblems, recordCommands, type SentCommand } from '../support/sdk-recorder';

const ctx = useMoto();
const model = () => awsModel('secretsmanager');
let sent: SentCommand[] = [];

beforeAll(async () => {
  const { secrets } = clientsFor(ctx.moto.endpoint);
  const env = await secrets.send(
    new CreateSecretCommand({ Name: 'baton/web/staging/env', SecretString: '{"DB_URL":"postgres://db"}' }),
  );
  const key = await secrets.send(
    new CreateSecretCommand({ Name: 'baton/link-key', SecretString: 'k'.repeat(48) }),
  );
  await secrets.send(new PutSecretValueCommand({ SecretId: key.ARN, SecretString: 'n'.repeat(48) }));
  sent = recordCommands(secrets);

  const values = secretValues(secrets, 0);
  await values.read('baton/web/staging/env');
  await values.read(env.ARN ?? '', { fresh: true });
  await values.read('baton/web/staging/missing');
  const metadata = secretMetadata(secrets);
  await metadata.describe('baton/web/staging/env');
  await metadata.describe('baton/web/staging/missing');
  await secretsKeySource(secrets, key.ARN ?? '')({ refresh: true });
});

describe('the Secrets Manager requests Baton sends, against the API model', () => {
  it('every GetSecretValue and DescribeSecret is a valid input of its operation', () => {
    expect(modelProblems(model(), sent)).toEqual([]);
    expect(new Set(sent.map((c) => c.operation))).toEqual(new Set(['GetSecretValue', 'DescribeSecret']));
    expect(sent.some((c) => c.input.VersionStage === 'AWSPREVIOUS')).toBe(true);
  });

  it('would catch a request Secrets Manager refuses', () => {
    const bad: SentCommand[] = [
      { operation: 'GetSecretValue', input: { SecretId: '', VersionStage: 's'.repeat(257) } },
      { operation: 'DescribeSecret', input: { Name: 'baton/web/staging/env' } },
    ];

    expect(modelProblems(model(), bad)).toEqual([
      'GetSecretValue $.SecretId: 0 characters, below the minimum 1',
      'GetSecretValue $.VersionStage: 257 characters, above the maximum 256',
      'DescribeSecret $: required member SecretId is missing',
      'DescribeSecret $: Name is not a member of DescribeSecretRequest',
    ]);
  });
});
