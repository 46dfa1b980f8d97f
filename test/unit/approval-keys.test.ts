// The approval key source: signing reads only AWSCURRENT; verifying also reads AWSPREVIOUS.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { secretsKeySource } from '../../shared/adapters/approval-keys';

const sm = mockClient(SecretsManagerClient);
const stages = () => sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.VersionStage);

describe('approval key source', () => {
  beforeEach(() => {
    sm.reset();
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' }).resolves({
      SecretString: 'current-key-0001',
    });
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' }).resolves({
      SecretString: 'previous-key-001',
    });
  });

  it('reads only the current key to sign links', async () => {
    const source = secretsKeySource(new SecretsManagerClient({ region: 'us-east-1' }), 'baton/approval-key');
    const keys = await source({ signing: true });
    expect(Buffer.from(keys.current).toString()).toBe('current-key-0001');
    expect(keys.previous).toBeUndefined();
    expect(stages()).toEqual(['AWSCURRENT']);
  });

  it('reads both keys to verify links, once per cache period', async () => {
    const source = secretsKeySource(new SecretsManagerClient({ region: 'us-east-1' }), 'baton/approval-key');
    const keys = await source();
    await source();
    expect(Buffer.from(keys.previous ?? new Uint8Array()).toString()).toBe('previous-key-001');
    expect(stages().sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
  });
});
