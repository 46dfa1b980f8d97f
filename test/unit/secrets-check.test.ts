// Operator command secrets-check through the operator's own entry point: from Secrets Manager's
// metadata only (DescribeSecret), never a value.
import { describe, expect, it } from 'vitest';
import { invokeOperator } from '../../shared/operator/invoke';
import { loadEvent, memoryDeps } from '../support/fixtures';
import { CHANGED_AT, CURRENT_VERSION, fakeSecretMetadata } from '../support/secret-metadata';

describe('operator secrets-check', () => {
  it('answers the sample event with ids, paths, versions, last change and readiness', async () => {
    // Prepare
    const secretMetadata = fakeSecretMetadata({
      'baton/web/staging/env': {
        versions: [
          { versionId: CURRENT_VERSION, stages: ['AWSCURRENT'] },
          { versionId: 'EXAMPLE2-90ab-cdef-fedc-ba987SECRET2', stages: ['AWSPREVIOUS'] },
        ],
      },
      'baton/web/staging/jwt-key': {},
    });
    // Act
    const answer = await invokeOperator(
      { ...memoryDeps(), secretMetadata },
      loadEvent('operator/secrets-check.json'),
    );
    // Assess
    expect(answer).toEqual({
      ok: true,
      result: {
        application: 'web',
        environment: 'staging',
        instanceRoles: ['baton-web-instance'],
        ready: true,
        secrets: [
          {
            secretId: 'baton/web/staging/env',
            path: '.env',
            mode: '0600',
            exists: true,
            versionId: CURRENT_VERSION,
            versions: [
              { versionId: CURRENT_VERSION, stages: ['AWSCURRENT'] },
              { versionId: 'EXAMPLE2-90ab-cdef-fedc-ba987SECRET2', stages: ['AWSPREVIOUS'] },
            ],
            lastChangedAt: CHANGED_AT,
          },
          {
            secretId: 'baton/web/staging/jwt-key',
            path: 'config/jwt.pem',
            mode: '0600',
            exists: true,
            versionId: CURRENT_VERSION,
            versions: [{ versionId: CURRENT_VERSION, stages: ['AWSCURRENT'] }],
            lastChangedAt: CHANGED_AT,
          },
        ],
      },
    });
    expect(secretMetadata.described.sort()).toEqual(['baton/web/staging/env', 'baton/web/staging/jwt-key']);
  });

  it('says which secret is missing, unreadable, without a current version or being deleted', async () => {
    const secretMetadata = fakeSecretMetadata(
      {
        'baton/web/staging/env': { versions: [{ versionId: 'EXAMPLE3', stages: ['AWSPENDING'] }] },
        'baton/web/production/env': { deletedAt: '2026-11-19T08:00:00.000Z' },
      },
      ['baton/web/staging/jwt-key'],
    );
    const check = (environment: string) =>
      invokeOperator(
        { ...memoryDeps(), secretMetadata },
        { command: 'secrets-check', application: 'web', environment },
      );
    expect(await check('staging')).toMatchObject({
      ok: true,
      result: {
        ready: false,
        secrets: [
          {
            secretId: 'baton/web/staging/env',
            exists: true,
            problems: ['no current version (AWSCURRENT): instances would receive nothing'],
          },
          {
            secretId: 'baton/web/staging/jwt-key',
            exists: 'unknown',
            problems: ['secret baton/web/staging/jwt-key could not be read (AccessDeniedException)'],
          },
        ],
      },
    });
    expect(await check('production')).toMatchObject({
      result: {
        ready: false,
        secrets: [
          { exists: true, problems: ['scheduled for deletion (since 2026-11-19T08:00:00.000Z)'] },
          {
            secretId: 'baton/web/production/jwt-key',
            exists: false,
            problems: ['the secret does not exist'],
          },
        ],
      },
    });
  });

  it('refuses an unknown environment and an operator without Secrets Manager access', async () => {
    const bad = { command: 'secrets-check', application: 'web', environment: 'qa' };
    expect(await invokeOperator({ ...memoryDeps(), secretMetadata: fakeSecretMetadata({}) }, bad)).toEqual({
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
