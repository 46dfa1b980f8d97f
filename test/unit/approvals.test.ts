// Approvals as use cases: requested once, one message per approver, decisions, expiry, hand-off.

import { describe, expect, it } from 'vitest';
import { approvals, decide, expireApprovals, pendingApprovals } from '../../shared/approvals/approvals';
import type { ApprovalDecision, ApprovalRecord } from '../../shared/approvals/records';
import { verifyToken } from '../../shared/approvals/rules/token';
import { ValidationError } from '../../shared/core/rules/errors';
import { approvalKeys } from '../../shared/ledger/keys';
import {
  ALERT_TOPIC,
  APPROVAL_TOPIC,
  APPROVER,
  approvalTestDeps,
  SAMPLE_APPROVAL_ID,
  SAMPLE_KEY,
  sampleRequest,
  seedStagingAudit,
} from '../support/approvals';
import { COMMIT, samplePipeline } from '../support/fixtures';

const threeApprovers = () => {
  const pipeline = samplePipeline();
  const production = pipeline.applications.web?.environments.find((e) => e.name === 'production');
  if (!production) throw new Error('sample pipeline has no production');
  production.approval = {
    approvers: ['ana@example.com', 'bo@example.com', 'cy@example.com'],
    required: 2,
    expiresInMinutes: 60,
  };
  return pipeline;
};

const recordOf = async (deps: ReturnType<typeof approvalTestDeps>) =>
  (await deps.store.get<ApprovalRecord>(approvalKeys.approval('web', 'v1.2.0', 'production')))?.record;

const linkOf = (message: string) => {
  const line = message.split('\n').find((l) => l.startsWith('https://'));
  if (!line) throw new Error('no link in message');
  return new URL(line);
};

describe('requesting an approval', () => {
  it('creates the record once and sends each approver one message, however often it is asked', async () => {
    // Prepare
    const deps = approvalTestDeps();
    await seedStagingAudit(deps.store);
    // Act
    await Promise.all([1, 2, 3].map(() => approvals(deps).request(sampleRequest())));
    await approvals(deps).request(sampleRequest());
    // Assess
    const record = await recordOf(deps);
    expect(record).toMatchObject({
      id: SAMPLE_APPROVAL_ID,
      application: 'web',
      release: 'v1.2.0',
      commit: COMMIT,
      environment: 'production',
      fromEnvironment: 'staging',
      fromDeploymentId: 'd-STAGING01',
      approvers: [APPROVER],
      required: 1,
      requestedAt: '2026-11-20T18:00:00.000Z',
      expiresAt: '2026-11-23T18:00:00.000Z',
      state: 'pending',
      notifiedAt: '2026-11-20T18:00:00.000Z',
    });
    // Concurrent first requests may each send before one records notifiedAt: same link, same words.
    const bodies = new Set(deps.notifier.published.map((p) => p.notice.message));
    expect(bodies.size).toBe(1);
    expect(deps.notifier.published.every((p) => p.topicArn === APPROVAL_TOPIC)).toBe(true);
    expect(await approvals(deps).state('web', 'v1.2.0', 'production')).toBe('pending');
  });

  it('writes an email that reads well: release, commit, artifact, environments, audit, expiry, link', async () => {
    // Prepare
    const deps = approvalTestDeps();
    await seedStagingAudit(deps.store, 9);
    // Act
    await approvals(deps).request(sampleRequest());
    // Assess
    const [sent] = deps.notifier.published;
    expect(sent?.notice.subject).toBe('Baton web production: approve release v1.2.0?');
    expect(sent?.notice.attributes).toEqual({ approver: APPROVER });
    const text = sent?.notice.message ?? '';
    expect(text).toContain('Release v1.2.0 of web is ready to enter production, and needs your decision.');
    expect(text).toContain(`  Commit:       ${COMMIT}`);
    expect(text).toContain(
      `  Artifact:     s3://baton-pipeline/artifacts/web/${COMMIT}.zip (version IYV3p45BT0ac8hjHg1houSdS1a.Mro8e)`,
    );
    expect(text).toContain('  Leaves:       staging (deployment d-STAGING01)');
    expect(text).toContain('  Audit there:  VERIFIED (9/9 instances verified)');
    expect(text).toContain('  Enters:       production');
    expect(text).toContain('Approving lets Baton deploy this same artifact to production.');
    expect(text).toContain('It expires on 2026-11-23 18:00 UTC, in 3 days.');
    const link = linkOf(text);
    expect(link.origin).toBe('https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws');
    expect(link.searchParams.get('approval')).toBe(SAMPLE_APPROVAL_ID);
    const check = verifyToken({ current: SAMPLE_KEY }, link.searchParams.get('token'), {
      approvalId: SAMPLE_APPROVAL_ID,
      now: new Date('2026-11-20T18:00:00Z'),
    });
    expect(check).toMatchObject({ ok: true, claims: { approver: APPROVER } });
  });

  it('binds each approver to a link of their own, routed by the approver attribute', async () => {
    // Prepare
    const deps = approvalTestDeps(threeApprovers());
    await seedStagingAudit(deps.store, 9, ['i-0b2']);
    // Act
    await approvals(deps).request(sampleRequest());
    // Assess
    expect(deps.notifier.published.map((p) => p.notice.attributes?.approver)).toEqual([
      'ana@example.com',
      'bo@example.com',
      'cy@example.com',
    ]);
    for (const { notice } of deps.notifier.published) {
      const token = linkOf(notice.message).searchParams.get('token');
      const check = verifyToken({ current: SAMPLE_KEY }, token, {
        approvalId: SAMPLE_APPROVAL_ID,
        now: deps.clock.now(),
      });
      expect(check).toMatchObject({ ok: true, claims: { approver: notice.attributes?.approver } });
      expect(notice.message).toContain('Audit there:  PARTIAL (8/9 instances succeeded)');
      expect(notice.message).toContain('It needs 2 approvals from 3 approvers.');
    }
  });

  it('sends again on the next request when sending failed, and refuses environments without approval', async () => {
    // Prepare
    const deps = approvalTestDeps();
    deps.notifier.failWith = new Error('SNS throttled');
    // Act
    await expect(approvals(deps).request(sampleRequest())).rejects.toThrow('SNS throttled');
    deps.notifier.failWith = undefined;
    await approvals(deps).request(sampleRequest());
    // Assess
    expect(deps.notifier.published).toHaveLength(1);
    expect((await recordOf(deps))?.notifiedAt).toBeDefined();
    expect((await recordOf(deps))?.expiresAt).toBe('2026-11-23T18:00:00.000Z');
    await expect(approvals(deps).request(sampleRequest({ environment: 'staging' }))).rejects.toThrow(
      ValidationError,
    );
  });
});

describe('deciding', () => {
  const link = (approver: string, decision: 'approve' | 'reject', comment?: string) => ({
    approvalId: SAMPLE_APPROVAL_ID,
    approver,
    decision,
    ...(comment ? { comment } : {}),
    via: 'link' as const,
    sourceIp: '198.51.100.23',
    userAgent: 'Mozilla/5.0',
  });

  it('approves once the required number of distinct approvers approved; the first decision per approver wins', async () => {
    // Prepare
    const deps = approvalTestDeps(threeApprovers());
    await approvals(deps).request(sampleRequest());
    // Act
    const first = await decide(deps, link('ana@example.com', 'approve', 'looks good'));
    const again = await decide(deps, link('ana@example.com', 'reject'));
    const afterOne = await recordOf(deps);
    const second = await decide(deps, link('bo@example.com', 'approve'));
    // Assess
    expect(first.outcome).toBe('recorded');
    expect(again).toMatchObject({ outcome: 'already-decided', decision: { decision: 'approve' } });
    expect(afterOne?.state).toBe('pending');
    expect(second).toMatchObject({ outcome: 'recorded', approval: { state: 'approved' } });
    expect(deps.releaseFlow.calls).toEqual([
      { application: 'web', release: 'v1.2.0', trigger: 'approved by ana@example.com, bo@example.com' },
    ]);
    const decision = await deps.store.get<ApprovalDecision>(
      approvalKeys.decision(SAMPLE_APPROVAL_ID, 'ana@example.com'),
    );
    expect(decision?.record).toEqual({
      v: 1,
      kind: 'approval-decision',
      approvalId: SAMPLE_APPROVAL_ID,
      approver: 'ana@example.com',
      decision: 'approve',
      comment: 'looks good',
      at: '2026-11-20T18:00:00.000Z',
      via: 'link',
      sourceIp: '198.51.100.23',
      userAgent: 'Mozilla/5.0',
    });
    expect(await recordOf(deps)).toMatchObject({
      state: 'approved',
      handedOffAt: '2026-11-20T18:00:00.000Z',
    });
    expect(await deps.store.list(approvalKeys.opens())).toEqual([]);
    expect(await decide(deps, link('cy@example.com', 'reject'))).toMatchObject({ outcome: 'closed' });
  });

  it('stops at one rejection and alerts the team', async () => {
    // Prepare
    const deps = approvalTestDeps(threeApprovers());
    await approvals(deps).request(sampleRequest());
    await decide(deps, link('ana@example.com', 'approve'));
    // Act
    const result = await decide(deps, link('cy@example.com', 'reject', 'migration not ready'));
    // Assess
    expect(result).toMatchObject({
      outcome: 'recorded',
      approval: { state: 'rejected', outcome: 'rejected by cy@example.com' },
    });
    const alert = deps.notifier.published.find((p) => p.topicArn === ALERT_TOPIC);
    expect(alert?.notice.subject).toBe('Baton web production: release v1.2.0 rejected');
    expect(alert?.notice.message).toContain(
      '- cy@example.com rejected at 2026-11-20 18:00 UTC\n  Comment from cy@example.com:\n  > migration not ready',
    );
    expect(alert?.notice.message).toContain('- ana@example.com approved at 2026-11-20 18:00 UTC');
    expect(deps.releaseFlow.calls).toEqual([
      { application: 'web', release: 'v1.2.0', trigger: 'rejected by cy@example.com' },
    ]);
  });

  it('lets an operator decide alone, with the comment recorded as an operator decision', async () => {
    // Prepare
    const deps = approvalTestDeps(threeApprovers());
    await approvals(deps).request(sampleRequest());
    // Act
    const result = await decide(deps, {
      approvalId: SAMPLE_APPROVAL_ID,
      approver: 'alice',
      decision: 'approve',
      comment: 'approver on leave; approved in the release call',
      via: 'operator',
      forced: true,
    });
    // Assess
    expect(result).toMatchObject({
      outcome: 'recorded',
      decision: {
        via: 'operator',
        approver: 'alice',
        comment: 'approver on leave; approved in the release call',
      },
      approval: { state: 'approved', outcome: 'approved by operator alice' },
    });
    expect(deps.releaseFlow.calls[0]?.trigger).toBe('approved by operator alice');
  });

  it('refuses decisions from someone who is not an approver', async () => {
    const deps = approvalTestDeps();
    await approvals(deps).request(sampleRequest());
    await expect(decide(deps, link('mallory@example.com', 'approve'))).rejects.toThrow(ValidationError);
    expect(await recordOf(deps)).toMatchObject({ state: 'pending' });
  });
});

describe('expiry and the reconcile sweep', () => {
  it('marks expired approvals, alerts once, hands the release flow the news, and tidies up', async () => {
    // Prepare
    const deps = approvalTestDeps();
    await approvals(deps).request(sampleRequest());
    deps.clock.advance(72 * 60 * 60_000 - 1);
    const early = await expireApprovals(deps);
    deps.clock.advance(1);
    // Act
    const sweep = await expireApprovals(deps);
    const again = await expireApprovals(deps);
    // Assess
    expect(early).toEqual({ expired: [], handedOff: [], stillPending: 1 });
    expect(sweep).toEqual({ expired: [SAMPLE_APPROVAL_ID], handedOff: [], stillPending: 0 });
    expect(again).toEqual({ expired: [], handedOff: [], stillPending: 0 });
    expect(await recordOf(deps)).toMatchObject({ state: 'expired', outcome: 'approval expired' });
    const alerts = deps.notifier.published.filter((p) => p.topicArn === ALERT_TOPIC);
    expect(alerts.map((a) => a.notice.subject)).toEqual([
      'Baton web production: approval of release v1.2.0 expired',
    ]);
    expect(deps.releaseFlow.calls).toEqual([
      { application: 'web', release: 'v1.2.0', trigger: 'approval expired' },
    ]);
    expect(await approvals(deps).state('web', 'v1.2.0', 'production')).toBe('expired');
  });

  it('reports expiry before the sweep runs, and lists only what is still pending', async () => {
    const deps = approvalTestDeps();
    await approvals(deps).request(sampleRequest());
    deps.clock.advance(1000);
    await approvals(deps).request(sampleRequest({ release: 'v1.3.0' }));
    expect((await pendingApprovals(deps)).map((r) => r.release)).toEqual(['v1.2.0', 'v1.3.0']);
    deps.clock.advance(72 * 60 * 60_000);
    expect(await approvals(deps).state('web', 'v1.2.0', 'production')).toBe('expired');
    expect(await pendingApprovals(deps)).toEqual([]);
    expect(await approvals(deps).state('web', 'v9.9.9', 'production')).toBeUndefined();
  });

  it('repeats a hand-off that failed, after the closer had its chance', async () => {
    // Prepare: the release flow is down when the decision closes the approval.
    const deps = approvalTestDeps();
    await approvals(deps).request(sampleRequest());
    deps.releaseFlow.failWith = new Error('CodeDeploy unavailable');
    const decided = await decide(deps, {
      approvalId: SAMPLE_APPROVAL_ID,
      approver: APPROVER,
      decision: 'approve',
      via: 'link',
    });
    deps.releaseFlow.failWith = undefined;
    // Act
    const soon = await expireApprovals(deps);
    deps.clock.advance(2 * 60_000);
    const later = await expireApprovals(deps);
    // Assess
    expect(decided).toMatchObject({ outcome: 'recorded', approval: { state: 'approved' } });
    expect(deps.log.text()).toContain('approval hand-off failed');
    expect(deps.log.text()).not.toContain('CodeDeploy unavailable');
    expect(soon.handedOff).toEqual([]);
    expect(later.handedOff).toEqual([SAMPLE_APPROVAL_ID]);
    expect(deps.releaseFlow.calls).toEqual([
      { application: 'web', release: 'v1.2.0', trigger: `approved by ${APPROVER}` },
    ]);
    expect((await recordOf(deps))?.handedOffAt).toBe('2026-11-20T18:02:00.000Z');
  });
});
