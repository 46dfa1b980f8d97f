// The audit's CloudWatch metrics as Powertools writes them: EMF JSON lines on stdout, which CloudWatch
// Logs turns into metrics (no PutMetricData, so no IAM). Read back from stdout, not from a fake.
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { audit } from '../../shared/audit/audit';
import { powertoolsAuditMetrics } from '../../shared/wiring/audit';
import { auditMemoryDeps, deployed, target } from '../support/audit';
import { COMMIT } from '../support/fixtures';

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
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
