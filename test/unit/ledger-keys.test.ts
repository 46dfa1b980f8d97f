// A deployed ledger holds records under these exact strings: a key that changes spelling loses them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  approvalKeys,
  auditKeys,
  keys,
  openRequestKeys,
  releaseKeys,
  secretGrantKeys,
  verificationKeys,
} from '../../shared/ledger/keys';
import { root } from '../support/fixtures';

const AT = '2026-03-01T10:00:00.000Z';

describe('ledger keys', () => {
  it('spells the deployment flow keys as records written so far', () => {
    expect(keys.artifact('web', 'abc123')).toBe('artifacts/web/abc123.json');
    expect(keys.request('web', 'staging', 'r-1')).toBe('requests/web/staging/r-1.json');
    expect(keys.queueEntry('web', 'staging', AT, 'r-1')).toBe(`queue/web/staging/${AT}_r-1.json`);
    expect(keys.slot('web', 'prod')).toBe('slots/web/prod.json');
    expect(keys.head('web', 'prod')).toBe('heads/web/prod.json');
    expect(keys.deployment('d-ABC123')).toBe('deployments/d-ABC123.json');
    expect(keys.rejection(AT, 'x1')).toBe(`rejected/2026-03-01/${AT}_x1.json`);
    expect(keys.rejectionAlert('c1')).toBe('rejection-alerts/c1.json');
    expect(keys.githubDelivery('d-1')).toBe('github-deliveries/d-1.json');
    expect(keys.forced('my app', AT, 'f1')).toBe(`forced/my%20app/${AT}_f1.json`);
    expect(keys.stop('d-ABC123')).toBe('stops/d-ABC123.json');
    expect(keys.rollback('web', 'prod', AT, 'b1')).toBe(`rollbacks/web/prod/${AT}_b1.json`);
    expect(openRequestKeys.mark('web', 'dev', AT, 'r-2')).toBe(`open-requests/web/dev/${AT}_r-2.json`);
  });

  it('spells release, audit, approval and secret keys as records written so far', () => {
    expect(releaseKeys.release('web', 'v1.2.0')).toBe('releases/web/v1.2.0.json');
    expect(releaseKeys.waiting('web', 'abc', 'v1')).toBe('waiting-releases/web/abc/v1.json');
    expect(releaseKeys.timelineEntry('web', 'v1', 'verdict/staging/0000')).toBe(
      'timeline/web/v1/verdict/staging/0000.json',
    );
    expect(releaseKeys.expectation('web', 'dev')).toBe('expectations/web/dev.json');
    expect(releaseKeys.push('web', AT, 'p1')).toBe(`pushes/web/2026-03-01/${AT}_p1.json`);
    expect(auditKeys.audit('d-X')).toBe('audits/d-X.json');
    expect(auditKeys.verified('web', 'prod')).toBe('verified/web/prod.json');
    expect(auditKeys.state('d-X', 'SUCCESS')).toBe('deployment-states/d-X/SUCCESS.json');
    expect(auditKeys.openFollowUp('d-X')).toBe('follow-ups/d-X.json');
    expect(auditKeys.incomplete('d-X')).toBe('incomplete/d-X.json');
    expect(verificationKeys.bake('d-X')).toBe('bakes/d-X.json');
    expect(verificationKeys.bakes()).toBe('bakes/');
    expect(verificationKeys.stuckAlert('d-X', '2026-11-20T18:30:00.000Z')).toBe(
      'bake-alerts/d-X/2026-11-20T18%3A30%3A00.000Z.json',
    );
    expect(approvalKeys.approval('web', 'v1', 'prod')).toBe('approvals/web/v1/prod.json');
    expect(approvalKeys.byId('a1')).toBe('approval-ids/a1.json');
    expect(approvalKeys.decision('a1', 'operator:arn:aws:iam::1:user/al')).toBe(
      'approval-decisions/a1/operator%3Aarn%3Aaws%3Aiam%3A%3A1%3Auser%2Fal.json',
    );
    expect(secretGrantKeys.grant(undefined, 'i-1', AT, 'n1')).toBe(`secret-grants/-/i-1/${AT}_n1.json`);
  });

  it('escapes every name part, so a slash in a name never makes a folder', () => {
    expect(releaseKeys.release('web', 'feature/x')).toBe('releases/web/feature%2Fx.json');
    expect(keys.artifact('a/b', 'c')).toBe('artifacts/a%2Fb/c.json');
  });

  it('spells a Lambda revision key as records written so far', () => {
    const artifact = { bucket: 'b', key: 'web/abc.zip', etag: '"e1"', commit: 'abc', versionId: 'v 1' };
    expect(keys.lambdaRevision('web', 'prod', artifact)).toBe('revisions/web/abc/prod/v%201.json');
    expect(keys.lambdaRevision('web', 'prod', { ...artifact, versionId: undefined })).toBe(
      'revisions/web/abc/prod/e1.json',
    );
  });

  it('is the one place a ledger key is spelled: no other module of shared/ starts a string with a ledger folder', () => {
    const keysModule = join(root, 'shared', 'ledger', 'keys.ts');
    const folders = [
      ...new Set(
        [...readFileSync(keysModule, 'utf8').matchAll(/[`'"]([a-z][a-z0-9-]*)\//g)].map((m) => m[1]),
      ),
    ];
    expect(folders).toContain('revisions');
    const spelled = new RegExp(`[\`'"](${folders.join('|')})/`);
    const found = readdirSync(join(root, 'shared'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(root, 'shared', file))
      .filter((file) => file !== keysModule)
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ at: `${relative(root, file)}:${i + 1}`, line: line.trim() }))
          // Comments may show keys; pipeline.yml's artifactPrefix default names the artifacts' own S3 prefix.
          .filter(({ line }) => !/^(\/\/|\*|\/\*)/.test(line) && !line.startsWith('artifactPrefix:'))
          .filter(({ line }) => spelled.test(line))
          .map(({ at }) => at),
      );
    expect(found).toEqual([]);
  });

  it('reads an approval id back from its open marker', () => {
    expect(approvalKeys.openId(approvalKeys.open('a/1 b'))).toBe('a/1 b');
  });
});
