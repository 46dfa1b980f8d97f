// One table per operator result (status, releases, deploy, promote here; the gates in cli-views-gates),
// fed with results of the real use cases on the in-memory ledger; and each view reads its use case's type.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { VIEWS } from '../../cli/views';
import type { approvalsSchema, decideSchema } from '../../cli/views/approvals';
import type { auditedSchema, unfinishedSchema } from '../../cli/views/audit';
import type { deploySchema, promoteSchema } from '../../cli/views/changes';
import type { releasesSchema } from '../../cli/views/releases';
import type { secretsCheckSchema } from '../../cli/views/secrets';
import type { statusSchema } from '../../cli/views/status';
import { run as sourcePushed } from '../../functions/source-pushed/handler';
import type { reauditReport } from '../../shared/audit/requested-reaudit';
import type { DeployOutcome } from '../../shared/deployments/deployment-launch';
import type { listApprovals } from '../../shared/operator/approvals';
import type { decideCommand } from '../../shared/operator/decide';
import { invokeOperator, type OperatorResponse } from '../../shared/operator/invoke';
import type { promote } from '../../shared/operator/promote';
import type { releases } from '../../shared/operator/releases';
import type { secretsCheck } from '../../shared/operator/secrets-check';
import type { status } from '../../shared/operator/status';
import { COMMIT, COMMIT2 } from '../support/fixtures';
import { finish, releaseDeps, tagEvent, uploadArtifact } from '../support/releases';
import { type Reads, type Result, show } from '../support/views';

const resultOf = (answer: OperatorResponse): unknown => {
  if (!answer.ok) throw new Error(`${answer.kind}: ${answer.error}`);
  return answer.result;
};

describe('the views read what the use cases return', () => {
  it('every view schema accepts its use case result type', () => {
    expectTypeOf<Result<typeof status>>().toExtend<Reads<typeof statusSchema>>();
    expectTypeOf<Result<typeof releases>>().toExtend<Reads<typeof releasesSchema>>();
    expectTypeOf<DeployOutcome>().toExtend<Reads<typeof deploySchema>>();
    expectTypeOf<Result<typeof promote>>().toExtend<Reads<typeof promoteSchema>>();
    expectTypeOf<Result<typeof reauditReport>>().toExtend<
      Reads<typeof auditedSchema> | Reads<typeof unfinishedSchema>
    >();
    expectTypeOf<Result<typeof listApprovals>>().toExtend<Reads<typeof approvalsSchema>>();
    expectTypeOf<Result<typeof decideCommand>>().toExtend<Reads<typeof decideSchema>>();
    expectTypeOf<Result<typeof secretsCheck>>().toExtend<Reads<typeof secretsCheckSchema>>();
    expect(Object.keys(VIEWS).sort()).toEqual([
      'approvals',
      'audit',
      'decide',
      'deploy',
      'history',
      'metrics',
      'promote',
      'releases',
      'retry',
      'rollback',
      'secrets-check',
      'status',
      'stop',
    ]);
  });

  it('gives no table for a result of another shape (the caller prints JSON)', () => {
    expect(show('status', { application: 'web', environments: 'all fine' })).toBeUndefined();
    expect(show('audit', { verdict: 'VERIFIED' })).toBeUndefined();
  });
});

/** Two artifacts pushed to main (the second queued behind the first in dev), v1.2.0 VERIFIED in staging. */
const releaseInStaging = async () => {
  const deps = releaseDeps();
  await uploadArtifact(deps, COMMIT);
  await uploadArtifact(deps, COMMIT2);
  await sourcePushed(tagEvent('v1.2.0', COMMIT, '2026-11-20T18:50:02Z'), deps);
  await finish(deps, 'd-FAKE00002', 'VERIFIED');
  return deps;
};

describe('status', () => {
  it('shows one row per environment: latest with its verdict, in flight, queued', async () => {
    // Prepare
    const deps = await releaseInStaging();
    // Act
    const result = resultOf(await invokeOperator(deps, { command: 'status', application: 'web' }));
    // Assess
    expect(show('status', result)).toBe(
      [
        'web: deployments by environment',
        '',
        'ENVIRONMENT  LATEST                      VERDICT         STARTED            IN FLIGHT    QUEUED      CAUSE',
        'dev          d-FAKE00001 3f78685         no verdict yet  2026-11-20 18:00Z  d-FAKE00001  1: a94a8fe  artifact for a push to main',
        'staging      d-FAKE00002 3f78685 v1.2.0  VERIFIED        2026-11-20 18:00Z  -            -           release v1.2.0',
        'production   -                           -               -                  -            -           -',
        '',
      ].join('\n'),
    );
  });
});

describe('releases', () => {
  it('shows one row per release and environment with the verdict, and what each release waits for', async () => {
    const deps = await releaseInStaging();
    await sourcePushed(tagEvent('v1.3.0', COMMIT2, '2026-11-20T19:30:00Z'), deps);
    const result = resultOf(await invokeOperator(deps, { command: 'releases', application: 'web' }));
    expect(show('releases', result)).toBe(
      [
        'web: 2 release(s)',
        '',
        'RELEASE  COMMIT   ENVIRONMENT  STATE        DEPLOYMENT',
        'v1.3.0   a94a8fe  staging      deploying    d-FAKE00003',
        '                  production   not entered  -',
        'v1.2.0   3f78685  staging      VERIFIED     d-FAKE00002',
        '                  production   not entered  -',
        '',
        'Next:',
        '  v1.3.0  wait for verdict: deployment d-FAKE00003 has no audit verdict yet',
        '  v1.2.0  request approval for production',
        '',
      ].join('\n'),
    );
  });

  it('shows one release with its artifact and timeline', async () => {
    const deps = await releaseInStaging();
    const result = resultOf(
      await invokeOperator(deps, { command: 'releases', application: 'web', release: 'v1.2.0' }),
    );
    const text = show('releases', result) ?? '';
    expect(text).toContain(`Artifact: artifacts/web/${COMMIT}.zip`);
    expect(text).toContain(
      'Timeline of v1.2.0:\nAT                    ENVIRONMENT  WHAT              DETAIL\n',
    );
    expect(text).toContain(
      '2026-11-20 18:00:11Z  staging      deploy-requested  deployment d-FAKE00002 started (by push of refs/tags/v1.2.0',
    );
  });

  it('says when there is no release yet', () => {
    expect(show('releases', { application: 'web', total: 0, releases: [] })).toBe(
      'web: no releases yet (push a release tag)\n',
    );
  });
});

describe('deploy and promote', () => {
  it.each<[DeployOutcome, string]>([
    [
      { outcome: 'started', requestId: 'r1', deploymentId: 'd-7Q4BZ2K1X' },
      'web staging: deployment d-7Q4BZ2K1X started (request r1)\n',
    ],
    [
      { outcome: 'queued', requestId: 'r2', reason: 'the deployment group is busy' },
      'web staging: queued behind the deployment in flight (request r2): the deployment group is busy\n',
    ],
    [
      { outcome: 'duplicate', requestId: 'r3', state: 'started' },
      'web staging: already requested (request r3), now started\n',
    ],
  ])('deploy: %j', (outcome, expected) => {
    expect(show('deploy', outcome, { command: 'deploy', application: 'web', environment: 'staging' })).toBe(
      expected,
    );
  });

  it('promote: approval requested, then already waiting, then forced with a reason', async () => {
    const deps = await releaseInStaging();
    const promote = { command: 'promote', application: 'web', release: 'v1.2.0', environment: 'production' };
    const asked = resultOf(await invokeOperator(deps, promote));
    const again = resultOf(await invokeOperator(deps, promote));
    const forced = resultOf(
      await invokeOperator(deps, { ...promote, force: true, reason: 'approver away', operator: 'alice' }),
    );
    expect(show('promote', asked)).toBe(
      [
        'v1.2.0 (3f78685) → production',
        'Step: request approval for production',
        'Result: approval requested: the approvers were sent the link (see baton approvals)',
        '',
      ].join('\n'),
    );
    expect(show('promote', again)).toBe(
      [
        'v1.2.0 (3f78685) → production: already there: approval pending',
        'Next: wait for approval: approval to enter production',
        '',
      ].join('\n'),
    );
    expect(show('promote', forced)).toBe(
      [
        'v1.2.0 (3f78685) → production (forced: the reason is on the release timeline)',
        'Step: deploy to production (forced)',
        'Result: deployment d-FAKE00003 started (request 7bb04124e40496366a69)',
        '',
      ].join('\n'),
    );
  });
});
