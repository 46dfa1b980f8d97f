// The approval page only records a decision; approval-decided, triggered by the decision's S3
// "Object Created" event (events/eventbridge/s3-approval-decided.json), settles the approval: it closes,
// alerts on a rejection, and moves the release on, once however often the event comes. A decision
// whose event was lost is settled by the reconcile sweep.

import { describe, expect, it } from 'vitest';
import { run as page } from '../../functions/approval/handler';
import { run as decided } from '../../functions/approval-decided/handler';
import type { DecidedDeps } from '../../shared/approvals/approval-decided';
import { expireApprovals } from '../../shared/approvals/approval-decisions';
import { approvals } from '../../shared/approvals/approvals';
import type { ApprovalRecord } from '../../shared/approvals/records';
import { approvalKeys } from '../../shared/ledger/keys';
import {
  ALERT_TOPIC,
  APPROVER,
  approvalTestDeps,
  SAMPLE_APPROVAL_ID,
  sampleRequest,
  seedStagingAudit,
} from '../support/approvals';
import { loadEvent } from '../support/fixtures';

const BUCKET = 'baton-pipeline-example';

/** An approval asked, and the approver's decision posted through the page (recorded, not yet settled). */
const decidedOnPage = async (sample: 'approval/post-approve.json' | 'approval/post-reject.json') => {
  const base = approvalTestDeps();
  await seedStagingAudit(base.store, 9);
  await approvals(base).request(sampleRequest());
  base.notifier.published.length = 0;
  base.clock.advance(5 * 60_000);
  const posted = await page(loadEvent(sample), base);
  const deps: typeof base & DecidedDeps = { ...base, bucket: BUCKET, ledgerPrefix: 'ledger/' };
  return { deps, posted };
};

const approvalOf = async (deps: ReturnType<typeof approvalTestDeps>) =>
  (await deps.store.get<ApprovalRecord>(approvalKeys.approval('web', 'v1.2.0', 'production')))?.record;

const event = () => loadEvent('eventbridge/s3-approval-decided.json');

describe('approval-decided', () => {
  it('an approval recorded by the page moves the release on when its S3 event arrives', async () => {
    // Prepare
    const { deps, posted } = await decidedOnPage('approval/post-approve.json');
    expect(posted.statusCode).toBe(200);
    expect(deps.releaseFlow.calls).toEqual([]);
    // Act
    const result = await decided(event(), deps);
    // Assess
    expect(result).toEqual({
      outcome: 'done',
      results: [{ outcome: 'settled', approvalId: SAMPLE_APPROVAL_ID, state: 'approved' }],
    });
    expect(deps.releaseFlow.calls).toEqual([
      { application: 'web', release: 'v1.2.0', trigger: `approved by ${APPROVER}` },
    ]);
    expect(await approvalOf(deps)).toMatchObject({ state: 'approved', handedOffAt: expect.any(String) });
    expect(await deps.store.list(approvalKeys.opens())).toEqual([]);
  });

  it('a rejection stops the release and alerts the team', async () => {
    const { deps } = await decidedOnPage('approval/post-reject.json');
    expect(deps.notifier.published).toEqual([]);
    await decided(event(), deps);
    expect(deps.notifier.published.map((p) => p.topicArn)).toEqual([ALERT_TOPIC]);
    expect(deps.notifier.published[0]?.notice.message).toContain(APPROVER);
    expect(deps.releaseFlow.calls).toEqual([
      { application: 'web', release: 'v1.2.0', trigger: `rejected by ${APPROVER}` },
    ]);
  });

  it('settles once when EventBridge delivers the event again', async () => {
    // Prepare
    const { deps } = await decidedOnPage('approval/post-reject.json');
    expect(deps.releaseFlow.calls).toEqual([]);
    // Act
    await decided(event(), deps);
    const again = await decided(event(), deps);
    // Assess
    expect(again).toMatchObject({ results: [{ outcome: 'settled', state: 'rejected' }] });
    expect(deps.releaseFlow.calls).toHaveLength(1);
    expect(deps.notifier.published).toHaveLength(1);
  });

  it('a decision whose event was lost is settled by the reconcile sweep', async () => {
    // Prepare: the decision is recorded; its S3 event never reaches approval-decided.
    const { deps } = await decidedOnPage('approval/post-approve.json');
    expect(await approvalOf(deps)).toMatchObject({ state: 'pending' });
    // Act
    const swept = await expireApprovals(deps);
    // Assess
    expect(swept).toEqual({ expired: [], handedOff: [], stillPending: 0 });
    expect(deps.releaseFlow.calls).toEqual([
      { application: 'web', release: 'v1.2.0', trigger: `approved by ${APPROVER}` },
    ]);
    expect(await approvalOf(deps)).toMatchObject({ state: 'approved' });
    // …and the late event, should it come after all, changes nothing.
    await decided(event(), deps);
    expect(deps.releaseFlow.calls).toHaveLength(1);
  });

  it('refuses, and records, an event for another bucket or a key that is not a decision', async () => {
    // Prepare
    const { deps } = await decidedOnPage('approval/post-approve.json');
    const other = loadEvent<{ detail: { bucket: { name: string } } }>('eventbridge/s3-approval-decided.json');
    other.detail.bucket.name = 'someone-elses-bucket';
    const artifact = loadEvent('eventbridge/s3-object-created.json');
    // Act
    const results = [await decided(other, deps), await decided(artifact, deps)];
    // Assess
    expect(results).toEqual([
      { outcome: 'rejected', reason: expect.stringContaining('is not the pipeline bucket') },
      { outcome: 'rejected', reason: expect.stringContaining('not an approval decision') },
    ]);
    expect(await deps.store.list('rejected/')).toHaveLength(2);
    expect(deps.releaseFlow.calls).toEqual([]);
    expect(await approvalOf(deps)).toMatchObject({ state: 'pending' });
  });
});
