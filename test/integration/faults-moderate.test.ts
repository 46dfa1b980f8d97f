// A whole release with faults at random rates on every AWS call (S3, SNS, Secrets Manager on moto;
// CodeDeploy on the local stand-in): artifact → dev, tag → staging (an instance fetching its secrets
// meanwhile), approval → production, every event delivered twice. The injector spares each call's last
// attempt, so the SDK's retries absorb every fault: each group gets exactly one deployment, each
// verdict is VERIFIED, the release is done. Lost responses are injected only where a retry is harmless
// (reads, and S3 writes: the ledger reads back a conditional write whose answer was lost).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../shared/ledger/records';
import { readTimeline } from '../../shared/releases/records';
import type { FaultKind } from '../support/faults';
import { type FaultStack, startFaultStack } from '../support/faults-harness';
import { COMMIT } from '../support/fixtures';

let s: FaultStack;
beforeAll(async () => {
  s = await startFaultStack();
}, 60_000);
afterAll(() => s?.stop());

const RATES: Partial<Record<FaultKind, number>> = {
  throttle: 0.06,
  'server-500': 0.03,
  'server-503': 0.03,
  timeout: 0.02,
  reset: 0.03,
  'lost-response': 0.03,
};

/** Every event twice, as EventBridge may deliver it: the first answer is kept. */
const twice = async <T>(deliver: () => Promise<T>): Promise<T> => {
  const first = await deliver();
  await deliver();
  return first;
};

/** The secrets function, asked as the hook asks, until the deployment is in progress. */
const secretsWhileInProgress = async (deploymentId: string) => {
  for (let i = 0; ; i++) {
    const res = await s.fns.secrets.run(s.secretsEvent('web-staging', deploymentId));
    if (res.statusCode !== 403 || i > 50) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('a release with faults at random rates on every AWS call', () => {
  it('deploys each environment exactly once, VERIFIED, with every fault absorbed by retries', async () => {
    // Prepare
    s.faults.randomly({
      rates: RATES,
      spareLastAttempt: true,
      allow: (a, kind) =>
        kind !== 'lost-response' || (a.service !== 'SNS' && a.operation !== 'CreateDeployment'),
    });
    // Few calls go to SNS, Secrets Manager and CodeDeploy: some of them get faults for sure.
    s.faults.next((a) => a.operation === 'CreateDeployment', 'throttle', 'server-500', 'reset');
    s.faults.next((a) => a.operation === 'GetDeployment', 'lost-response', 'timeout');
    s.faults.next((a) => a.service === 'SNS', 'throttle', 'server-500');
    s.faults.next((a) => a.service === 'SecretsManager', 'throttle', 'reset', 'server-503');
    s.faults.next((a) => a.service === 'SecretsManager', 'timeout', 'lost-response');
    const upload = await s.upload(COMMIT);
    // Act: artifact → dev (its branch push arrives too)
    const artifact = await twice(() => s.fns.artifactUploaded.run(upload));
    await twice(() => s.fns.sourcePushed.run(s.push('branch', 'main', COMMIT)));
    const [dev = ''] = await s.deployments('web-dev');
    const devEvent = await s.finished(dev);
    const devAudit = await twice(() => s.fns.deploymentFinished.run(devEvent));
    // tag → staging, held in AfterInstall while an instance asks for its secrets
    const gate = await s.hold();
    await twice(() => s.fns.sourcePushed.run(s.push('tag', 'v1.0.0', COMMIT)));
    const [staging = ''] = await s.deployments('web-staging');
    const secrets = await secretsWhileInProgress(staging);
    await gate.release();
    const stagingEvent = await s.finished(staging);
    await twice(() => s.fns.deploymentFinished.run(stagingEvent));
    // the approver approves (and the browser posts twice) → production
    const post = await s.approvalPost('approve');
    const decided = await s.fns.approval.run(post);
    const again = await s.fns.approval.run(post);
    for (const event of await s.decided()) await twice(() => s.fns.approvalDecided.run(event));
    const [production = ''] = await s.deployments('web-production');
    const productionEvent = await s.finished(production);
    await twice(() => s.fns.deploymentFinished.run(productionEvent));
    s.faults.off();

    // Assess: one deployment per group, each VERIFIED, the release done.
    expect(artifact).toMatchObject({
      results: [{ deployments: { dev: { outcome: 'started', deploymentId: dev } } }],
    });
    expect(devAudit).toMatchObject({ results: [{ outcome: 'audited', verdict: 'VERIFIED' }] });
    expect(secrets.statusCode).toBe(200);
    expect(JSON.parse(secrets.body).files.map((f: { path: string }) => f.path)).toEqual([
      '.env',
      'config/jwt.pem',
    ]);
    expect([decided.statusCode, again.statusCode]).toEqual([200, 409]);
    expect([
      await s.deployments('web-dev'),
      await s.deployments('web-staging'),
      await s.deployments('web-production'),
    ]).toEqual([[dev], [staging], [production]]);
    for (const id of [dev, staging, production])
      expect((await s.ledger.get<DeploymentRecord>(`deployments/${id}.json`))?.record.verdict).toBe(
        'VERIFIED',
      );
    const timeline = await readTimeline(s.ledger, 'web', 'v1.0.0');
    expect(timeline.filter((e) => e.what === 'done')).toHaveLength(1);
    expect(await s.messages(s.approvalTopicArn)).toHaveLength(1);
    expect(await s.messages(s.alertTopicArn)).toHaveLength(0);
    expect(await s.ledger.list('open-requests/')).toEqual([]);

    // …and the faults were many, of every kind, on every service, each absorbed within 4 attempts.
    const faulted = s.faults.attempts.filter((a) => a.fault);
    const byKind = Object.fromEntries(
      Object.keys(RATES).map((k) => [k, faulted.filter((a) => a.fault === k).length]),
    );
    const services = new Set(faulted.map((a) => a.service));
    const calls = Object.values(s.faults.callsBy()).flat();
    console.info(
      `[faults] ${s.faults.attempts.length} attempts in ${calls.length} calls, ${faulted.length} faulted ${JSON.stringify(byKind)}, ` +
        `${calls.filter((n) => n > 1).length} calls retried, at most ${Math.max(...calls)} attempts`,
    );
    expect(Object.values(byKind).every((n) => n > 0)).toBe(true);
    expect([...services].sort()).toEqual(['CodeDeploy', 'S3', 'SNS', 'SecretsManager']);
    expect(Math.max(...calls)).toBeLessThanOrEqual(4);
  });
});
