// An approver removed from pipeline.yml loses their links: at decision time the approver must still be
// configured for the environment, whatever the approval recorded when it was asked.

import { describe, expect, it } from 'vitest';
import { run } from '../../functions/approval/handler';
import { approvals } from '../../shared/approvals/approvals';
import type { ApprovalRecord } from '../../shared/approvals/records';
import { approvalKeys } from '../../shared/ledger/keys';
import type { Rejection } from '../../shared/ledger/records';
import { parsePipeline } from '../../shared/pipeline/rules/config';
import { APPROVER, approvalTestDeps, sampleRequest, seedStagingAudit } from '../support/approvals';
import { loadEvent, samplePipeline } from '../support/fixtures';

/** The sample pipeline as deployed after a change: production's approvers are `approvers`. */
const withApprovers = (approvers: string[]) => {
  const raw = structuredClone(samplePipeline());
  const production = raw.applications.web?.environments.find((e) => e.name === 'production');
  if (!production?.approval) throw new Error('sample pipeline has no production approval');
  production.approval = { ...production.approval, approvers, required: 1 };
  return parsePipeline(raw);
};

/** An approval asked while APPROVER was configured; then pipeline.yml changed and was deployed. */
const askedThenRemoved = async () => {
  const asked = approvalTestDeps();
  await seedStagingAudit(asked.store, 9);
  await approvals(asked).request(sampleRequest());
  asked.clock.advance(5 * 60_000);
  return { ...asked, pipeline: withApprovers(['someone-else@example.com']) };
};

const rejections = (deps: Awaited<ReturnType<typeof askedThenRemoved>>) =>
  [...deps.store.records.entries()]
    .filter(([key]) => key.startsWith('rejected/'))
    .map(([, value]) => JSON.parse(value.body) as Rejection);

const approvalOf = async (deps: Awaited<ReturnType<typeof askedThenRemoved>>) =>
  (await deps.store.get<ApprovalRecord>(approvalKeys.approval('web', 'v1.2.0', 'production')))?.record;

describe('a link of an approver since removed from pipeline.yml', () => {
  it('GET shows a clear refusal and changes nothing', async () => {
    // Prepare
    const deps = await askedThenRemoved();
    const before = JSON.stringify([...deps.store.records]);
    // Act
    const res = await run(loadEvent('approval/get.json'), deps);
    // Assess
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('You are no longer an approver');
    expect(res.body).toContain('pipeline.yml no longer lists you as an approver of this environment');
    expect(res.body).not.toContain('<form');
    expect(JSON.stringify([...deps.store.records])).toBe(before);
  });

  it('POST records nothing as a decision, leaves the approval pending, and records the refusal', async () => {
    // Prepare
    const deps = await askedThenRemoved();
    // Act
    const res = await run(loadEvent('approval/post-approve.json'), deps);
    // Assess
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('You are no longer an approver');
    expect(await deps.store.list(approvalKeys.decisions((await approvalOf(deps))?.id ?? ''))).toEqual([]);
    expect(await approvalOf(deps)).toMatchObject({ state: 'pending' });
    expect(deps.releaseFlow.calls).toEqual([]);
    expect(rejections(deps)).toEqual([
      expect.objectContaining({
        source: 'approval',
        reason: expect.stringContaining(
          `${APPROVER} is no longer an approver of web production in pipeline.yml`,
        ),
      }),
    ]);
  });

  it('still decides for an approver who stays configured (the address in any case)', async () => {
    const deps = { ...(await askedThenRemoved()), pipeline: withApprovers([APPROVER.toUpperCase()]) };
    const res = await run(loadEvent('approval/post-approve.json'), deps);
    expect(res.statusCode).toBe(200);
    expect(await deps.store.list(approvalKeys.decisions((await approvalOf(deps))?.id ?? ''))).toHaveLength(1);
  });
});
