// The audit's CloudWatch metrics as Powertools writes them: EMF JSON lines on stdout, which CloudWatch
// Logs turns into metrics (no PutMetricData, so no IAM). Read back from stdout, not from a fake.
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { audit } from '../../shared/audit/audit';
import { verifiedRecords } from '../../shared/audit/records';
import { deploymentRecords } from '../../shared/ledger/schemas';
import { powertoolsAuditMetrics } from '../../shared/wiring/audit';
import { auditMemoryDeps, deployed, target } from '../support/audit';
import { COMMIT, COMMIT2, samplePipeline } from '../support/fixtures';

interface Emf {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit?: string }[];
    }[];
  };
  [field: string]: unknown;
}

/** Every EMF document written to stdout while `act` runs. */
const emitted = async (act: () => Promise<unknown>): Promise<Emf[]> => {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await act();
  } finally {
    write.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Emf);
};

const metric = (docs: Emf[], name: string) =>
  docs.filter((d) => d._aws.CloudWatchMetrics.some((m) => m.Metrics.some((x) => x.Name === name)));

afterEach(() => vi.restoreAllMocks());

describe('audit metrics in EMF', () => {
  it('writes Audits, FailedTargets and, once per deployment, Deployments by application', async () => {
    const deps = auditMemoryDeps();
    const withEmf = { ...deps, metrics: powertoolsAuditMetrics(new Metrics({ namespace: 'Baton' })) };
    const id = await deployed(deps, 'staging', COMMIT, { release: 'v1.0.0' });
    deps.reader.add(
      id,
      { deploymentGroup: 'web-staging' },
      ['i-1', 'i-2', 'i-3'].map((t) => target(t)),
    );

    const first = await emitted(() => audit(withEmf, { deploymentId: id, trigger: 'eventbridge SUCCESS' }));
    const again = await emitted(() => audit(withEmf, { deploymentId: id, trigger: 'operator', again: true }));

    const [deployments] = metric(first, 'Deployments');
    expect(deployments).toMatchObject({
      application: 'web',
      environment: 'staging',
      verdict: 'VERIFIED',
      Deployments: 1,
    });
    expect(deployments?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Baton',
      // Powertools adds its service dimension (POWERTOOLS_SERVICE_NAME).
      Dimensions: [['service', 'application', 'environment', 'verdict']],
    });
    expect(metric(first, 'Audits')).toMatchObject([
      { environment: 'staging', verdict: 'VERIFIED', Audits: 1 },
    ]);
    expect(metric(first, 'FailedTargets')).toMatchObject([{ environment: 'staging', FailedTargets: 0 }]);
    // A re-audit is counted as an audit, not as another deployment.
    expect(metric(again, 'Audits')).toHaveLength(1);
    expect(metric(again, 'Deployments')).toEqual([]);
  });
});

const COMMIT3 = 'c0ffee0000000000000000000000000000000003';
const COMMIT4 = 'c0ffee0000000000000000000000000000000004';
const MINUTE = 60_000;
const failing = [target('i-1'), target('i-2', 'Failed'), target('i-3', 'Failed')];

/** Audit deps whose metrics are Powertools', and `run`: one audit with the EMF it wrote. */
const emfDeps = (pipeline = samplePipeline()) => {
  const deps = auditMemoryDeps(pipeline);
  const withEmf = { ...deps, metrics: powertoolsAuditMetrics(new Metrics({ namespace: 'Baton' })) };
  const run = (deploymentId: string, again = false) =>
    emitted(() => audit(withEmf, { deploymentId, trigger: again ? 'operator' : 'eventbridge', again }));
  return { deps, run };
};

const at = (deps: ReturnType<typeof auditMemoryDeps>, minutes: number) =>
  new Date(deps.clock.now().getTime() + minutes * MINUTE).toISOString();

describe('lead time and time to restore in EMF', () => {
  it("writes LeadTimeSeconds at a change's first VERIFIED verdict, from its commit's best-known time", async () => {
    const { deps, run } = emfDeps();
    const committed = at(deps, -60);
    const first = await deployed(deps, 'staging', COMMIT, {
      release: 'v1.0.0',
      uploadedAt: at(deps, -30),
      commitTime: { at: committed, source: 'commit' },
    });
    const verified = await run(first);
    const reaudited = await run(first, true);
    deps.clock.advance(10 * MINUTE);
    // Only its upload time is known: the lead time counts from it.
    const uploaded = at(deps, -20);
    const second = await deployed(deps, 'staging', COMMIT2, { release: 'v1.1.0', uploadedAt: uploaded });
    const fromUpload = await run(second);

    const [lead] = metric(verified, 'LeadTimeSeconds');
    expect(lead).toMatchObject({ application: 'web', environment: 'staging', LeadTimeSeconds: 3600 });
    expect(lead?._aws.CloudWatchMetrics[0]).toMatchObject({
      Dimensions: [['service', 'application', 'environment']],
      Metrics: [{ Name: 'LeadTimeSeconds', Unit: 'Seconds' }],
    });
    expect(metric(reaudited, 'LeadTimeSeconds')).toEqual([]);
    expect(metric(fromUpload, 'LeadTimeSeconds')).toMatchObject([{ LeadTimeSeconds: 20 * 60 }]);
    // No failure came before: nothing was restored.
    expect(metric([...verified, ...fromUpload], 'TimeToRestoreSeconds')).toEqual([]);
  });

  it('writes TimeToRestoreSeconds once, at the VERIFIED verdict after failures, from the first of them', async () => {
    const { deps, run } = emfDeps();
    const good = await deployed(deps, 'staging', COMMIT, { release: 'v1.0.0' });
    await run(good);
    deps.clock.advance(10 * MINUTE);
    const bad = await deployed(deps, 'staging', COMMIT2, { release: 'v1.1.0', status: 'Failed' });
    const failed = await run(bad);
    deps.clock.advance(5 * MINUTE);
    const worse = await deployed(deps, 'staging', COMMIT3, { release: 'v1.2.0', targets: failing });
    const partial = await run(worse);
    deps.clock.advance(25 * MINUTE);
    const fixed = await deployed(deps, 'staging', COMMIT4, { release: 'v1.3.0' });
    const restored = await run(fixed);
    const reaudited = await run(fixed, true);

    expect(metric([...failed, ...partial], 'TimeToRestoreSeconds')).toEqual([]);
    const pointer = await verifiedRecords(deps.store).get('web', 'staging');
    expect(pointer?.record).toMatchObject({ deploymentId: fixed });
    expect(pointer?.record.failingSince).toBeUndefined();
    const [restore] = metric(restored, 'TimeToRestoreSeconds');
    expect(restore).toMatchObject({
      application: 'web',
      environment: 'staging',
      TimeToRestoreSeconds: 30 * 60,
    });
    expect(restore?._aws.CloudWatchMetrics[0]).toMatchObject({
      Dimensions: [['service', 'application', 'environment']],
      Metrics: [{ Name: 'TimeToRestoreSeconds', Unit: 'Seconds' }],
    });
    expect(metric(reaudited, 'TimeToRestoreSeconds')).toEqual([]);
  });

  it('counts a rollback as a restore, not as a lead time', async () => {
    const pipeline = samplePipeline();
    for (const env of pipeline.applications.web?.environments ?? [])
      if (env.name === 'production') env.onFailure = 'rollback';
    const { deps, run } = emfDeps(pipeline);
    const good = await deployed(deps, 'production', COMMIT, { release: 'v1.2.0', uploadedAt: at(deps, -5) });
    await run(good);
    deps.clock.advance(10 * MINUTE);
    const bad = await deployed(deps, 'production', COMMIT2, { release: 'v1.3.0', targets: failing });
    await run(bad);
    // The rollback is the third deployment the fake CodeDeploy started.
    expect(deps.deployer.calls.map((c) => c.key)).toEqual(
      [COMMIT, COMMIT2, COMMIT].map((c) => `artifacts/web/${c}.zip`),
    );
    const rollback = 'd-FAKE00003';
    deps.reader.add(
      rollback,
      { deploymentGroup: 'web-production' },
      ['i-1', 'i-2', 'i-3'].map((t) => target(t)),
    );
    deps.clock.advance(7 * MINUTE);

    const restored = await run(rollback);

    const record = (await deploymentRecords(deps.store).get(rollback))?.record;
    expect(record).toMatchObject({ cause: { type: 'rollback' }, artifact: { commit: COMMIT } });
    expect(metric(restored, 'TimeToRestoreSeconds')).toMatchObject([{ TimeToRestoreSeconds: 7 * 60 }]);
    expect(metric(restored, 'LeadTimeSeconds')).toEqual([]);
  });
});
