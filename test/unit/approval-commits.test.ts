// The approval email says what changes: the release commit's message and author where a push carried
// them, and the commits since the environment's current release, from the recorded pushes.
import { describe, expect, it } from 'vitest';
import { approvals } from '../../shared/approvals/approvals';
import { COMMITS_LISTED, commitsSince, type PushFacts } from '../../shared/approvals/rules/commit-log';
import { auditKeys, releaseKeys } from '../../shared/ledger/keys';
import { MemoryStore } from '../../shared/ledger/memory-store';
import { PUSHES_READ, pushesUntil } from '../../shared/releases/records';
import { APPROVAL_TOPIC, approvalTestDeps, sampleRequest, seedStagingAudit } from '../support/approvals';
import { unsafeIn } from '../support/email-text';
import { COMMIT, COMMIT2 } from '../support/fixtures';

const id = (n: number) => n.toString(16).padStart(40, 'c');
const branch = (commit: string, oldCommit: string | undefined, commits?: number[]): PushFacts => ({
  ref: 'refs/heads/main',
  commit,
  ...(oldCommit ? { oldCommit } : {}),
  ...(commits
    ? { commits: commits.map((n) => ({ id: id(n), message: `change ${n}`, author: 'alice' })) }
    : {}),
});

describe('the commits since the current release', () => {
  it('follows the pushes back to the current release, newest first, bounded with "and N more"', () => {
    const pushes = [
      branch(id(3), id(1), [2, 3]),
      branch(
        id(30),
        id(3),
        [...Array(27)].map((_, i) => i + 4),
      ),
    ];
    const log = commitsSince(pushes, id(30), id(1));
    expect(log.commits).toHaveLength(COMMITS_LISTED);
    expect(log.commits[0]).toEqual({ id: id(30), message: 'change 30', author: 'alice' });
    expect(log.more).toBe(29 - COMMITS_LISTED);
    expect(log.partial).toBeUndefined();
  });

  it('says it is partial where CodeCommit named only heads, or no push of a commit is recorded', () => {
    expect(commitsSince([branch(id(3), id(1))], id(3), id(1)).partial).toMatch(
      /only each push's newest commit/,
    );
    expect(commitsSince([branch(id(3), id(2))], id(3), id(1)).partial).toBe(
      `no push of commit ${id(2).slice(0, 12)} is recorded`,
    );
  });
});

describe('the approval email', () => {
  it('names the commit message and author, and the commits since production’s current release', async () => {
    const deps = approvalTestDeps();
    await seedStagingAudit(deps.store, 9);
    const at = '2026-11-20T17:00:00.000Z';
    await deps.store.put(releaseKeys.push('web', at, 'p1'), {
      v: 1,
      kind: 'push',
      application: 'web',
      repository: 'acme/web',
      ref: 'refs/heads/main',
      action: 'updated',
      commit: COMMIT,
      oldCommit: COMMIT2,
      pushedAt: at,
      event: 'github:g-1',
      outcome: 'branch',
      detail: '',
      at,
      head: { message: 'Fix the checkout\u001b[31m total', author: 'Alice' },
      commits: [{ id: COMMIT, message: 'Fix the checkout\u001b[31m total', author: 'Alice' }],
    });
    await deps.store.put(auditKeys.verified('web', 'production'), {
      v: 1,
      kind: 'verified',
      deploymentId: 'd-PROD00001',
      application: 'web',
      environment: 'production',
      artifact: { bucket: 'pipeline', key: `artifacts/web/${COMMIT2}.zip`, etag: '"e"', commit: COMMIT2 },
      release: 'v1.1.0',
      fleet: 9,
      deploymentCreatedAt: at,
      verifiedAt: at,
    });
    await approvals(deps).request(sampleRequest());
    const email = deps.notifier.published.find((p) => p.topicArn === APPROVAL_TOPIC)?.notice.message ?? '';
    expect(email).toContain('  Message:      Fix the checkout total\n  Author:       Alice\n');
    expect(email).toContain(
      `Commits since production's current release (v1.1.0, commit ${COMMIT2.slice(0, 12)}):\n  - ${COMMIT.slice(0, 12)} Fix the checkout total (Alice)\n`,
    );
    expect(unsafeIn(email)).toEqual([]);
  });

  it('says the message and author are unknown where no push carried them', async () => {
    const deps = approvalTestDeps();
    await seedStagingAudit(deps.store, 9);
    await approvals(deps).request(sampleRequest());
    const email = deps.notifier.published.find((p) => p.topicArn === APPROVAL_TOPIC)?.notice.message ?? '';
    expect(email).toContain(
      "  Message:      unknown: no recorded push carried it (CodeCommit's push events carry only the commit id)",
    );
    expect(email).toContain(
      'Commits Baton knows of (production has no VERIFIED release yet):\n  (none recorded)',
    );
  });
});

describe('the pushes read for the commit list', () => {
  // Zero-padded: unlike id(), no two numbers share an id.
  const sha = (n: number) => n.toString(16).padStart(40, '0');
  const pushAt = (n: number) => ({
    v: 1 as const,
    kind: 'push' as const,
    application: 'web',
    repository: 'web',
    ref: 'refs/heads/main',
    action: 'update',
    commit: sha(n),
    oldCommit: sha(n - 1),
    pushedAt: new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString(),
    event: `e-${n}`,
    outcome: 'recorded',
    detail: '',
    at: new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString(),
  });

  it('reads at most the newest PUSHES_READ, up to the time asked, and says the rest was left unread', async () => {
    const store = new MemoryStore();
    for (let n = 1; n <= PUSHES_READ + 5; n++) {
      const p = pushAt(n);
      await store.put(releaseKeys.push('web', p.pushedAt, p.event), p);
    }
    const later = pushAt(PUSHES_READ + 6);
    await store.put(releaseKeys.push('web', later.pushedAt, later.event), later);

    const read = await pushesUntil(store, 'web', pushAt(PUSHES_READ + 5).pushedAt);

    expect(read.truncated).toBe(true);
    expect(read.pushes.map((p) => p.commit)).toEqual([...Array(PUSHES_READ)].map((_, i) => sha(i + 6)));
    const log = commitsSince(read.pushes, sha(PUSHES_READ + 5), sha(1), { truncated: read.truncated });
    expect(log.partial).toBe(
      `only the newest pushes were read, and none of them brought commit ${sha(5).slice(0, 12)}`,
    );
  });

  it('reads them all, not truncated, when there are fewer', async () => {
    const store = new MemoryStore();
    for (let n = 1; n <= 3; n++) {
      const p = pushAt(n);
      await store.put(releaseKeys.push('web', p.pushedAt, p.event), p);
    }
    const read = await pushesUntil(store, 'web', pushAt(3).pushedAt);
    expect(read).toMatchObject({ truncated: false });
    expect(read.pushes).toHaveLength(3);
  });
});
