// The approval key source: signing reads only AWSCURRENT; verifying also reads AWSPREVIOUS.
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { secretsKeySource } from '../../shared/aws/approval-keys';

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

describe('approval key source across a rotation', () => {
  it('verifies with the previous key as soon as a refresh has found it, not after the missing-key pause', async () => {
    // Prepare: the first version of the secret has no AWSPREVIOUS
    sm.reset();
    let at = 1_000_000;
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' }).resolves({
      SecretString: 'key-one-00000001',
    });
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' }).rejects(
      new ResourceNotFoundException({ message: 'no such version', $metadata: {} }),
    );
    const source = secretsKeySource(new SecretsManagerClient({ region: 'us-east-1' }), 'baton/approval-key', {
      now: () => at,
    });
    expect((await source()).previous).toBeUndefined();
    // Act: the key is rotated; a link signed with the new key makes the page refresh, 40 s later
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' }).resolves({
      SecretString: 'key-two-00000002',
    });
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' }).resolves({
      SecretString: 'key-one-00000001',
    });
    at += 40_000;
    const refreshed = await source({ refresh: true });
    at += 1_000;
    const next = await source();
    // Assess: links sent before the rotation still verify on the next, unrefreshed, read
    expect(Buffer.from(refreshed.previous ?? new Uint8Array()).toString()).toBe('key-one-00000001');
    expect(Buffer.from(next.current).toString()).toBe('key-two-00000002');
    expect(Buffer.from(next.previous ?? new Uint8Array()).toString()).toBe('key-one-00000001');
  });
});
