// Operator command secrets-check through the operator's own entry point, with a fake secret reader.
import { describe, expect, it } from 'vitest';
import { invokeOperator } from '../../shared/operator/invoke';
import { SecretReadError, type SecretValues } from '../../shared/secret-ports';
import { loadEvent, memoryDeps } from '../support/fixtures';
import { CANARY, jwtPem } from '../support/secrets';

const reader = (values: Record<string, string>, failing: string[] = []): SecretValues => ({
  read: async (id) => {
    if (failing.includes(id)) throw new SecretReadError(id, 'AccessDeniedException');
    const value = values[id];
    return value === undefined
      ? undefined
      : { arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${id}-AbCdEf`, versionId: 'v7', value };
  },
});

describe('operator secrets-check', () => {
  it('answers the sample event with ids, paths, keys and readiness, never a value', async () => {
    const secrets = reader({
      'baton/web/staging/env': JSON.stringify({ API_TOKEN: CANARY, 'not a key': CANARY, MULTI: "'`\\n\r" }),
      'baton/web/staging/jwt-key': jwtPem,
    });
    const answer = await invokeOperator(
      { ...memoryDeps(), secrets },
      loadEvent('operator/secrets-check.json'),
    );
    expect(answer).toEqual({
      ok: true,
      result: {
        application: 'web',
        environment: 'staging',
        instanceRoles: ['baton-web-instance'],
        ready: false,
        secrets: [
          {
            secretId: 'baton/web/staging/env',
            path: '.env',
            mode: '0600',
            exists: true,
            versionId: 'v7',
            keys: ['API_TOKEN', 'MULTI'],
            problems: [
              'entry 2: the key is not a valid name (^[A-Za-z_][A-Za-z0-9_]*$)',
              'entry 3 (MULTI): the value cannot be written to a .env file exactly',
            ],
          },
          {
            secretId: 'baton/web/staging/jwt-key',
            path: 'config/jwt.pem',
            mode: '0600',
            exists: true,
            versionId: 'v7',
          },
        ],
      },
    });
    expect(JSON.stringify(answer)).not.toContain(CANARY);
  });

  it('says which secret is missing or unreadable', async () => {
    const secrets = reader({}, ['baton/web/staging/jwt-key']);
    const answer = await invokeOperator(
      { ...memoryDeps(), secrets },
      loadEvent('operator/secrets-check.json'),
    );
    expect(answer).toMatchObject({
      ok: true,
      result: {
        ready: false,
        secrets: [
          { secretId: 'baton/web/staging/env', exists: false, problems: ['the secret does not exist'] },
          {
            secretId: 'baton/web/staging/jwt-key',
            exists: 'unknown',
            problems: ['secret baton/web/staging/jwt-key could not be read (AccessDeniedException)'],
          },
        ],
      },
    });
  });

  it('refuses an unknown environment and an operator without Secrets Manager access', async () => {
    const bad = { command: 'secrets-check', application: 'web', environment: 'qa' };
    expect(await invokeOperator({ ...memoryDeps(), secrets: reader({}) }, bad)).toEqual({
      ok: false,
      kind: 'NotFoundError',
      error: 'application "web" has no environment "qa"',
    });
    expect(await invokeOperator(memoryDeps(), loadEvent('operator/secrets-check.json'))).toMatchObject({
      ok: false,
      error: 'secrets-check: this operator has no Secrets Manager access configured',
    });
  });
});
