// Faults that outlast the SDK's retries, at the call sites where a handler can stop half-way. The
// asynchronous handlers throw (in AWS: Lambda retries the event, then its on-failure destination, the
// FailedInvocations queue, keeps it) or leave a stalled mark in the ledger; a redelivery of the same
// event, or reconcile, completes the work once: CodeDeploy holds exactly one deployment per request and
// the ledger agrees with it. The function URLs answer a generic 503, and the client's retry succeeds.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../shared/audit/records';
import { auditKeys } from '../../shared/ledger/keys';
import type { DeploymentRecord, DeploymentRequest, GroupSlot } from '../../shared/ledger/records';
import type { Match } from '../support/faults';
import { type FaultStack, startFaultStack } from '../support/faults-harness';

let s: FaultStack;
beforeAll(async () => {
  s = await startFaultStack();
}, 60_000);
afterAll(() => s?.stop());
beforeEach(async () => {
  s.faults.off();
  await s.resetLedger();
});

const commit = () => randomBytes(20).toString('hex');
const putTo =
  (part: string): Match =>
  (a) =>
    a.operation === 'PutObject' && String(a.input.Key).includes(part);
const requests = async (env: string) =>
  Promise.all(
    (await s.ledger.list(`requests/web/${env}/`)).map(
      async (k) => (await s.ledger.get<DeploymentRequest>(k))?.record,
    ),
  );
const slot = async (env: string) => (await s.ledger.get<GroupSlot>(`slots/web/${env}.json`))?.record;
const verdict = async (id: string) =>
  (await s.ledger.get<DeploymentRecord>(`deployments/${id}.json`))?.record.verdict;
const newIn = async (group: 'web-dev' | 'web-staging' | 'web-production', before: string[]) =>
  (await s.deployments(group)).filter((id) => !before.includes(id));

/** Artifact → dev, finished and audited, faults off: a commit ready for a release tag. */
const devDone = async (c: string) => {
  const before = await s.deployments('web-dev');
  await s.fns.artifactUploaded.run(await s.upload(c));
  const [dev = ''] = await newIn('web-dev', before);
  await s.fns.deploymentFinished.run(await s.finished(dev));
};

/** A release whose staging deployment was VERIFIED: its approval for production is asked. */
const awaitingApproval = async (tag: string) => {
  const c = commit();
  await devDone(c);
  const staging = await s.deployments('web-staging');
  await s.fns.sourcePushed.run(s.push('tag', tag, c));
  const [stagingId = ''] = await newIn('web-staging', staging);
  await s.fns.deploymentFinished.run(await s.finished(stagingId));
  return { production: await s.deployments('web-production'), post: await s.approvalPost('approve') };
};

describe('artifact-uploaded, retries exhausted', () => {
  it('on the group slot write: throws; the redelivered event deploys it, once', async () => {
    // Prepare
    const before = await s.deployments('web-dev');
    const event = await s.upload(commit());
    // Both slot writes: the fast path's, and the one after the request is recorded.
    s.faults.exhaust(putTo('/slots/'), 'server-503', 2);
    // Act
    await expect(s.fns.artifactUploaded.run(event)).rejects.toThrow('Service is unable to handle request.');
    const stalled = await requests('dev');
    s.faults.off();
    const redelivered = await s.fns.artifactUploaded.run(event);
    const third = await s.fns.artifactUploaded.run(event);
    // Assess
    expect(stalled.map((r) => r?.state)).toEqual(['pending']);
    const created = await newIn('web-dev', before);
    expect(created).toHaveLength(1);
    expect(redelivered).toMatchObject({
      results: [{ deployments: { dev: { outcome: 'started', deploymentId: created[0] } } }],
    });
    expect(third).toMatchObject({
      results: [{ deployments: { dev: { outcome: 'duplicate', state: 'started' } } }],
    });
    await s.fns.deploymentFinished.run(await s.finished(created[0] ?? ''));
    expect(await verdict(created[0] ?? '')).toBe('VERIFIED');
    expect(await slot('dev')).toBeUndefined();
    // The first delivery's open mark outlived it; reconcile sees the request done and clears it.
    const later = await s.reconcileIn(6);
    expect(Object.values(later.resumePendingRequests ?? {})).toEqual(['already started']);
    expect(await s.ledger.list('open-requests/')).toEqual([]);
  });

  it('on the group slot write, never delivered again: reconcile deploys the pending request, once', async () => {
    const before = await s.deployments('web-dev');
    s.faults.exhaust(putTo('/slots/'), 'throttle', 2);
    await expect(s.fns.artifactUploaded.run(await s.upload(commit()))).rejects.toThrow(
      'Please reduce your request rate.',
    );
    const later = await s.reconcileIn(6);
    const created = await newIn('web-dev', before);
    expect(created).toHaveLength(1);
    expect(Object.values(later.resumePendingRequests ?? {})).toEqual([`started ${created[0]}`]);
    await s.fns.deploymentFinished.run(await s.finished(created[0] ?? ''));
    expect(await verdict(created[0] ?? '')).toBe('VERIFIED');
  });

  it('on CreateDeployment, throttled: throws, the slot marks a stalled launch; reconcile creates it, once', async () => {
    const before = await s.deployments('web-dev');
    const event = await s.upload(commit());
    s.faults.exhaust((a) => a.operation === 'CreateDeployment', 'throttle');
    await expect(s.fns.artifactUploaded.run(event)).rejects.toThrow(
      /CreateDeployment in web-dev ended in ThrottlingException after 4/,
    );
    s.faults.off();
    const redelivered = await s.fns.artifactUploaded.run(event);
    const early = await s.reconcileIn(0);
    const late = await s.reconcileIn(6);
    const created = await newIn('web-dev', before);
    expect(redelivered).toMatchObject({
      results: [{ deployments: { dev: { outcome: 'duplicate', state: 'pending' } } }],
    });
    expect(early.recoverStalledLaunches).toMatchObject({ 'web/dev': 'launch under way' });
    expect(late.recoverStalledLaunches).toMatchObject({
      'web/dev': expect.stringMatching(/not in CodeDeploy, created d-/),
    });
    expect(created).toHaveLength(1);
    expect(await slot('dev')).toMatchObject({ deploymentId: created[0] });
    await s.fns.deploymentFinished.run(await s.finished(created[0] ?? ''));
    expect(await verdict(created[0] ?? '')).toBe('VERIFIED');
  });

  it('on CreateDeployment, its answer lost: the retry is refused as busy; reconcile adopts the one deployment', async () => {
    // Prepare: the deployment stays in progress while the SDK retries into DeploymentLimitExceeded.
    const before = await s.deployments('web-dev');
    const event = await s.upload(commit());
    const gate = await s.hold();
    s.faults.next((a) => a.operation === 'CreateDeployment', 'lost-response');
    // Act
    await expect(s.fns.artifactUploaded.run(event)).rejects.toThrow(
      /ended in DeploymentLimitExceededException after 2/,
    );
    await gate.release();
    const [created = ''] = await newIn('web-dev', before);
    // Its finish event comes before reconcile: audited as a stranger, the group stays taken.
    const stranger = await s.fns.deploymentFinished.run(await s.finished(created));
    const late = await s.reconcileIn(6);
    // Assess
    expect(await newIn('web-dev', before)).toEqual([created]);
    expect(stranger).toMatchObject({ results: [{ outcome: 'audited', verdict: 'VERIFIED' }] });
    expect(late.recoverStalledLaunches).toMatchObject({
      'web/dev': expect.stringMatching(
        new RegExp(`found ${created} in CodeDeploy, recorded; audited VERIFIED$`),
      ),
    });
    expect((await s.ledger.get<AuditRecord>(auditKeys.audit(created)))?.record).toMatchObject({
      inLedger: true,
    });
    expect(await verdict(created)).toBe('VERIFIED');
    expect((await requests('dev')).map((r) => r?.state)).toEqual(['started']);
    expect(await slot('dev')).toBeUndefined();
  });
});

describe('source-pushed, retries exhausted', () => {
  it('on the staging request of a release tag: throws before CreateDeployment; reconcile launches it from the slot, once', async () => {
    // Prepare
    const c = commit();
    await devDone(c);
    const before = await s.deployments('web-staging');
    const tag = s.push('tag', 'v2.0.0', c);
    // The new release's request takes the slot, which carries it; its record's write fails.
    s.faults.exhaust(putTo('/requests/web/staging/'), 'timeout');
    // Act
    await expect(s.fns.sourcePushed.run(tag)).rejects.toThrow('requestTimeout');
    s.faults.off();
    const redelivered = await s.fns.sourcePushed.run(tag);
    const held = await slot('staging');
    const early = await newIn('web-staging', before);
    const late = await s.reconcileIn(6);
    const created = await newIn('web-staging', before);
    await s.fns.deploymentFinished.run(await s.finished(created[0] ?? ''));
    // Assess: the redelivery finds its own launch in the slot; reconcile creates it, once.
    expect(redelivered).toMatchObject({
      results: [{ outcome: 'release', state: 'exists', result: 'duplicate' }],
    });
    expect(held).toMatchObject({ requestId: expect.any(String), request: { release: 'v2.0.0' } });
    expect(early).toEqual([]);
    expect(late.recoverStalledLaunches).toMatchObject({
      'web/staging': expect.stringMatching(/not in CodeDeploy, created d-/),
    });
    expect(created).toHaveLength(1);
    expect(await verdict(created[0] ?? '')).toBe('VERIFIED');
    expect((await requests('staging')).map((r) => r?.state)).toEqual(['started']);
    expect(await slot('staging')).toBeUndefined();
  });
});

describe('deployment-finished, retries exhausted', () => {
  it('on the alert: throws; the follow-up is resumed by reconcile once its lease ran out, one alert', async () => {
    const before = await s.deployments('web-dev');
    s.standIn.failHook({ group: 'web-dev', instanceIndex: 0, hook: 'AfterInstall' });
    await s.fns.artifactUploaded.run(await s.upload(commit()));
    const [failed = ''] = await newIn('web-dev', before);
    const event = await s.finished(failed);
    s.standIn.clearFailures();
    const alertsBefore = (await s.messages(s.alertTopicArn)).length;
    s.faults.exhaust((a) => a.operation === 'Publish', 'throttle');
    await expect(s.fns.deploymentFinished.run(event)).rejects.toThrow('follow-up steps failed: alert');
    s.faults.off();
    const redelivered = await s.fns.deploymentFinished.run(event);
    const early = await s.reconcileIn(1);
    const late = await s.reconcileIn(3);
    expect(redelivered).toMatchObject({ results: [{ outcome: 'recorded-earlier', verdict: 'FAILED' }] });
    expect(early.resumeFollowUps).toEqual({ [failed]: 'recorded-earlier' });
    expect(late.resumeFollowUps).toEqual({ [failed]: 'audited' });
    expect((await s.messages(s.alertTopicArn)).length - alertsBefore).toBe(1);
    expect((await s.ledger.get<AuditRecord>(auditKeys.audit(failed)))?.record.followUp.state).toBe('done');
    expect(await slot('dev')).toBeUndefined();
  });
});

describe('function URLs, retries exhausted', () => {
  it('approval POST: a generic 503 page; the approver posts again, one decision, production deployed once', async () => {
    // Prepare: a release waiting for approval.
    const { production, post } = await awaitingApproval('v3.0.0');
    s.faults.exhaust(putTo('/approval-decisions/'), 'reset');
    // Act
    const failed = await s.fns.approval.run(post);
    s.faults.off();
    const retried = await s.fns.approval.run(post);
    // Assess
    expect(failed.statusCode).toBe(503);
    expect(failed.body).toContain('Baton could not answer just now');
    expect(failed.body).not.toMatch(/ECONNRESET|socket|TimeoutError|approval-decisions|PutObject/);
    expect(retried.statusCode).toBe(200);
    expect(await s.ledger.list('approval-decisions/')).toHaveLength(1);
    for (const event of await s.decided()) await s.fns.approvalDecided.run(event);
    const created = await newIn('web-production', production);
    expect(created).toHaveLength(1);
    await s.fns.deploymentFinished.run(await s.finished(created[0] ?? ''));
  });

  it('approval-decided failing to close the approval: throws; the redelivered event deploys production once', async () => {
    // Prepare: the approver's decision is recorded.
    const { production, post } = await awaitingApproval('v3.1.0');
    expect((await s.fns.approval.run(post)).statusCode).toBe(200);
    const [event] = await s.decided();
    s.faults.exhaust(putTo('/approvals/web/'), 'server-500');
    // Act
    const failed = s.fns.approvalDecided.run(event);
    await expect(failed).rejects.toThrow();
    const afterFailure = await newIn('web-production', production);
    s.faults.off();
    await s.fns.approvalDecided.run(event);
    await s.fns.approvalDecided.run(event);
    // Assess
    expect(afterFailure).toEqual([]);
    const created = await newIn('web-production', production);
    expect(created).toHaveLength(1);
    await s.fns.deploymentFinished.run(await s.finished(created[0] ?? ''));
  });

  it('secrets: a generic 503 (the hook retries 503), then the files', async () => {
    const before = await s.deployments('web-dev');
    const gate = await s.hold();
    await s.fns.artifactUploaded.run(await s.upload(commit()));
    const [dev = ''] = await newIn('web-dev', before);
    s.faults.exhaust((a) => a.operation === 'GetDeployment', 'timeout');
    const codedeployDown = await s.fns.secrets.run(s.secretsEvent('web-dev', dev));
    s.faults.exhaust((a) => a.operation === 'GetSecretValue', 'throttle');
    const secretsDown = await s.fns.secrets.run(s.secretsEvent('web-dev', dev));
    s.faults.off();
    const retried = await s.fns.secrets.run(s.secretsEvent('web-dev', dev));
    await gate.release();
    for (const res of [codedeployDown, secretsDown]) {
      expect(res.statusCode).toBe(503);
      expect(JSON.parse(res.body)).toEqual({
        error: 'temporarily unavailable',
        status: 503,
        reason: 'try again shortly; the secrets function log has the details',
      });
    }
    expect(retried.statusCode).toBe(200);
    expect(JSON.parse(retried.body).files.map((f: { path: string }) => f.path)).toEqual(['.env']);
    await s.fns.deploymentFinished.run(await s.finished(dev));
  });
});
