// The newest release wins an environment's approval: a newer release asking supersedes the older one's
// pending approval, whose links then say so and record nothing.

import { describe, expect, it } from 'vitest';
import { run } from '../../functions/approval/handler';
import { approvals } from '../../shared/approvals/approvals';
import type { ApprovalRecord } from '../../shared/approvals/records';
import { approvalKeys } from '../../shared/ledger/keys';
import { approvalTestDeps, sampleRequest, seedStagingAudit } from '../support/approvals';
import { COMMIT2, loadEvent } from '../support/fixtures';

const recordOf = async (deps: ReturnType<typeof approvalTestDeps>, release: string) =>
  (await deps.store.get<ApprovalRecord>(approvalKeys.approval('web', release, 'production')))?.record;

const older = sampleRequest({ pushedAt: '2026-11-20T17:00:00Z' });
const newer = sampleRequest({ release: 'v1.3.0', commit: COMMIT2, pushedAt: '2026-11-20T17:30:00Z' });

describe('a newer release asking for the same environment', () => {
  it("closes the older release's pending approval as superseded, naming the newer one", async () => {
    // Prepare
    const deps = approvalTestDeps();
    await seedStagingAudit(deps.store);
    await approvals(deps).request(older);
    // Act
    await approvals(deps).request(newer);
    // Assess
    expect(await recordOf(deps, 'v1.2.0')).toMatchObject({
      state: 'superseded',
      outcome: 'superseded by release v1.3.0',
    });
    expect(await recordOf(deps, 'v1.3.0')).toMatchObject({ state: 'pending' });
    expect(await approvals(deps).state('web', 'v1.2.0', 'production')).toBe('superseded');
  });

  it('leaves a newer pending approval alone when an older release asks later', async () => {
    const deps = approvalTestDeps();
    await seedStagingAudit(deps.store);
    await approvals(deps).request(newer);
    await approvals(deps).request(older);
    expect(await recordOf(deps, 'v1.3.0')).toMatchObject({ state: 'pending' });
    expect(await recordOf(deps, 'v1.2.0')).toMatchObject({ state: 'pending' });
  });

  it('turns the older link into a page that says it was superseded, and records nothing on POST', async () => {
    // Prepare
    const deps = approvalTestDeps();
    await seedStagingAudit(deps.store);
    await approvals(deps).request(older);
    await approvals(deps).request(newer);
    const decisionsBefore = await deps.store.list(approvalKeys.decisions(''));
    // Act
    const page = await run(loadEvent('approval/get.json'), deps);
    const post = await run(loadEvent('approval/post-approve.json'), deps);
    // Assess
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('This approval was superseded');
    expect(page.body).toContain('superseded by release v1.3.0');
    expect(post.statusCode).toBe(409);
    expect(post.body).toContain('This approval was superseded');
    expect(await deps.store.list(approvalKeys.decisions(''))).toEqual(decisionsBefore);
  });
});
