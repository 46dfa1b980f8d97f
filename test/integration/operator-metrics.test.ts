// The operator's `metrics` on moto: pushes, artifacts and deployments recorded by the real functions in
// the real S3 ledger, then the delivery metrics read back through the operator as a console event would.
import { describe, expect, it } from 'vitest';
import { run as artifactUploaded } from '../../functions/artifact-uploaded/handler';
import { run as sourcePushed } from '../../functions/source-pushed/handler';
import type { Verdict } from '../../shared/audit/rules/gate';
import { keys } from '../../shared/ledger/keys';
import type { DeploymentRecord } from '../../shared/ledger/records';
import { update } from '../../shared/ledger/store';
import type { OperatorDeps } from '../../shared/operator/commands';
import { invokeOperator } from '../../shared/operator/invoke';
import { COMMIT, COMMIT2, StepClock } from '../support/fixtures';
import { putArtifact, releaseDepsOn, useMotoLedger } from '../support/moto-ledger';
import { branchEvent, COMMIT3, finish } from '../support/releases';

const BUCKET = 'baton-metrics-test';
const ctx = useMotoLedger(BUCKET);

// The artifact's upload time is S3's own clock: the ledger's other times are set around it. Each push
// comes before the uploads, as a push comes before its build: the metrics look for a commit's pushes on
// the day of its upload and the day before (pushes are keyed by day), so a push set after the upload
// would be missed whenever the run crosses midnight UTC.
const T0 = Date.now();
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const clock = new StepClock(at(0));

/** A push of `commit` to main, its artifact, its deployment to dev, and the verdict at `finishedAt`. */
const delivered = async (
  d: ReturnType<typeof releaseDepsOn>,
  commit: string,
  prev: string | undefined,
  pushed: number,
  verdict: Verdict,
  done: number,
) => {
  await sourcePushed(branchEvent(commit, at(pushed), prev), d);
  await artifactUploaded((await putArtifact(ctx.s3, BUCKET, commit)).event, d);
  const deploymentId = `d-FAKE${String(d.deployer.calls.length).padStart(5, '0')}`;
  await finish(d, deploymentId, verdict);
  await update<DeploymentRecord>(ctx.store, keys.deployment(deploymentId), (r) => ({
    ...r,
    finishedAt: at(done),
  }));
  return deploymentId;
};

describe('metrics on moto', () => {
  it('gives per environment frequency, lead time from the push, failure rate and time to restore', async () => {
    const d = releaseDepsOn(ctx, clock);
    await delivered(d, COMMIT, undefined, -60, 'VERIFIED', 10);
    const failed = await delivered(d, COMMIT2, COMMIT, -45, 'FAILED', 25);
    await delivered(d, COMMIT3, COMMIT2, -30, 'VERIFIED', 55);
    expect(failed).toBe('d-FAKE00002');

    const deps = { ...releaseDepsOn(ctx, new StepClock(at(24 * 60))) } as unknown as OperatorDeps;
    const answer = await invokeOperator(deps, { command: 'metrics', application: 'web', since: '2d' });

    expect(answer).toMatchObject({
      ok: true,
      result: {
        window: { since: new Date(T0 + 24 * 3_600_000 + 1000 - 2 * 86_400_000).toISOString(), days: 2 },
        deploymentRecordsRead: 3,
        applications: [{ application: 'web', production: 'production' }],
      },
    });
    const result = (answer as { result: { applications: { environments: unknown[] }[] } }).result;
    const [dev, staging, production] = result.applications[0]?.environments ?? [];
    // Lead times from each push: 70 min (pushed -60, VERIFIED 10) and 85 min (-30 → 55); the failure at
    // 25 is restored at 55.
    expect(dev).toEqual({
      environment: 'dev',
      deployments: 3,
      rollbacks: 0,
      inFlight: 0,
      verdicts: { VERIFIED: 2, PARTIAL: 0, FAILED: 1, INCOMPLETE: 0 },
      deploymentsPerDay: 1,
      changeFailureRate: 0.333,
      leadTime: {
        count: 2,
        medianSeconds: ((70 + 85) / 2) * 60,
        meanSeconds: ((70 + 85) / 2) * 60,
        maxSeconds: 85 * 60,
        from: { commit: 0, push: 2, upload: 0 },
        unknown: 0,
      },
      timeToRestore: { count: 1, medianSeconds: 30 * 60, meanSeconds: 30 * 60, maxSeconds: 30 * 60 },
    });
    expect(staging).toMatchObject({ environment: 'staging', deployments: 0 });
    expect(production).toMatchObject({ environment: 'production', deployments: 0 });
  });

  it('refuses a window it cannot read, naming the field and the rule', async () => {
    const deps = releaseDepsOn(ctx, new StepClock(at(0))) as unknown as OperatorDeps;
    expect(await invokeOperator(deps, { command: 'metrics', since: 'last week' })).toMatchObject({
      ok: false,
      kind: 'ValidationError',
      error: expect.stringMatching(
        /^since: an ISO date or date and time .* or a duration back from now \(7d, 24h, 90m\)/,
      ),
    });
    expect(await invokeOperator(deps, { command: 'metrics', since: '2999-01-01' })).toEqual({
      ok: false,
      kind: 'MetricsWindowError',
      error: 'since: 2999-01-01T00:00:00.000Z is not in the past',
    });
  });
});
