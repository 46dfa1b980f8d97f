// The approval email says what changes: the release commit's message and author where a push carried
// them, and the commits since the environment's current release, from the recorded pushes.
import { describe, expect, it } from 'vitest';
import { approvals } from '../../shared/approvals/approvals';
import { COMMITS_LISTED, commitsSince, type PushFacts } from '../../shared/approvals/rules/commit-log';
import { auditKeys, releaseKeys } from '../../shared/ledger/keys';
import { MemoryStore } from '../../shared/ledger/memory-store';
import type { RecordStore } from '../../shared/ledger/store';
import { PUSH_COMMITS_KEPT, refChangeOfPush } from '../../shared/pushes/rules/github-events';
import { PUSH_DAYS_READ, PUSHES_READ, pushesUntil } from '../../shared/releases/records';
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

const pushRecord = (over: Record<string, unknown> = {}) => {
  const at = '2026-11-20T17:00:00.000Z';
  return {
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
    ...over,
  };
};
const verifiedProduction = {
  v: 1,
  kind: 'verified',
  deploymentId: 'd-PROD00001',
  application: 'web',
  environment: 'production',
  artifact: { bucket: 'pipeline', key: `artifacts/web/${COMMIT2}.zip`, etag: '"e"', commit: COMMIT2 },
  release: 'v1.1.0',
  fleet: 9,
  deploymentCreatedAt: '2026-11-20T17:00:00.000Z',
  verifiedAt: '2026-11-20T17:00:00.000Z',
};
const approvalEmail = async (seed: (deps: ReturnType<typeof approvalTestDeps>) => Promise<void>) => {
  const deps = approvalTestDeps();
  await seedStagingAudit(deps.store, 9);
  await seed(deps);
  await approvals(deps).request(sampleRequest());
  return deps.notifier.published.find((p) => p.topicArn === APPROVAL_TOPIC)?.notice.message ?? '';
};
const MESSAGE = 'Fix the checkout\u001b[31m total\n\nThe total left out the shipping.\nSee the ticket.';

describe('the approval email', () => {
  it('quotes the commit message under its author, and lists each commit by its first line', async () => {
    const email = await approvalEmail(async (deps) => {
      const note = { message: MESSAGE, author: 'Alice' };
      const push = pushRecord({ head: note, commits: [{ id: COMMIT, ...note }] });
      await deps.store.put(releaseKeys.push('web', push.pushedAt, 'p1'), push);
      await deps.store.put(auditKeys.verified('web', 'production'), verifiedProduction);
    });
    expect(email).toContain('  Author:       Alice\n');
    expect(email).toContain(
      `Message of commit ${COMMIT.slice(0, 12)}, by Alice:\n> Fix the checkout total\n>\n> The total left out the shipping.\n> See the ticket.\n`,
    );
    expect(email).toContain(
      `Commits since production's current release (v1.1.0, commit ${COMMIT2.slice(0, 12)}):\n  - ${COMMIT.slice(0, 12)} Fix the checkout total (Alice)\n`,
    );
    expect(unsafeIn(email)).toEqual([]);
  });

  it('says why the message is unknown: CodeCommit carries none', async () => {
    const email = await approvalEmail(async (deps) => {
      const push = pushRecord({ event: 'e-1#1/1' });
      await deps.store.put(releaseKeys.push('web', push.pushedAt, 'p1'), push);
    });
    expect(email).toContain("  Message:      unknown: CodeCommit's push events carry only the commit id");
  });

  it('says why the message is unknown: no push of the commit is recorded', async () => {
    const email = await approvalEmail(async () => {});
    expect(email).toContain(
      '  Message:      unknown: no push among the pushes of the last 30 days brought it (older ones were not read)',
    );
    expect(email).not.toContain('CodeCommit');
    expect(email).toContain(
      'Commits Baton knows of (production has no VERIFIED release yet):\n  (none recorded)',
    );
  });

  it('says why the message is unknown: the GitHub push that brought it carried none', async () => {
    const email = await approvalEmail(async (deps) => {
      const push = pushRecord({ commits: [{ id: COMMIT }] });
      await deps.store.put(releaseKeys.push('web', push.pushedAt, 'p1'), push);
    });
    expect(email).toContain('  Message:      unknown: the GitHub push that brought it carried no message');
  });

  it('is sent when the commit facts cannot be read, saying so', async () => {
    const email = await approvalEmail(async (deps) => {
      await deps.store.put(releaseKeys.push('web', '2026-11-20T17:00:00.000Z', 'p1'), { v: 1, kind: 'push' });
    });
    expect(email).toContain('Commit facts unavailable: ledger record pushes/web/2026-11-20/');
    expect(email).toContain('Review and decide here');
  });
});

describe('a push that brought more commits than its record keeps', () => {
  it('stores how many it brought, and the list says it is partial', async () => {
    const many = [...Array(PUSH_COMMITS_KEPT + 10)].map((_, i) => ({
      id: id(i + 100),
      message: `change ${i}`,
    }));
    const change = refChangeOfPush(
      {
        ref: 'refs/heads/main',
        before: id(1),
        after: id(PUSH_COMMITS_KEPT + 109),
        created: false,
        deleted: false,
        forced: false,
        repository: { full_name: 'acme/web' },
        pusher: { name: 'alice' },
        commits: many,
      },
      'g-1',
      new Date('2026-11-20T17:00:00Z'),
    );
    expect(change.commits).toHaveLength(PUSH_COMMITS_KEPT);
    expect(change.commitCount).toBe(PUSH_COMMITS_KEPT + 10);

    const log = commitsSince([{ ...change, ref: change.ref }], id(PUSH_COMMITS_KEPT + 109), id(1));
    expect(log.partial).toBe(
      `the push of commit ${id(PUSH_COMMITS_KEPT + 109).slice(0, 12)} brought ${PUSH_COMMITS_KEPT + 10} commits, of which its record keeps the newest ${PUSH_COMMITS_KEPT}`,
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

    expect(read.truncated).toBe(`the newest ${PUSHES_READ} pushes`);
    expect(read.pushes.map((p) => p.commit)).toEqual([...Array(PUSHES_READ)].map((_, i) => sha(i + 6)));
    const log = commitsSince(read.pushes, sha(PUSHES_READ + 5), sha(1), { truncated: read.truncated });
    expect(log.partial).toBe(
      `only the newest ${PUSHES_READ} pushes were read, and none of them brought commit ${sha(5).slice(0, 12)}`,
    );
  });

  it('reads them all when there are fewer; older days unlisted, it says the rest may be unread', async () => {
    const store = new MemoryStore();
    for (let n = 1; n <= 3; n++) {
      const p = pushAt(n);
      await store.put(releaseKeys.push('web', p.pushedAt, p.event), p);
    }
    const read = await pushesUntil(store, 'web', pushAt(3).pushedAt);
    expect(read).toMatchObject({ truncated: `the pushes of the last ${PUSH_DAYS_READ} days` });
    expect(read.pushes).toHaveLength(3);
  });

  /** The store, with every listing asked of it. */
  const listing = (store: MemoryStore) => {
    const listings: { prefix: string; startAfter?: string | undefined; keys: number }[] = [];
    const counted: RecordStore = Object.create(store);
    counted.list = async (prefix, startAfter) => {
      const keys = await store.list(prefix, startAfter);
      listings.push({ prefix, startAfter, keys: keys.length });
      return keys;
    };
    return { store: counted, listings };
  };
  const day = (d: number, minute = 0) => ({
    ...pushAt(d * 24 * 60 + minute),
  });

  it('lists once, from the first day of the window, whatever the log holds before it', async () => {
    const store = new MemoryStore();
    // 400 days of history, then 100 pushes a day on the last three days.
    for (let d = 0; d < 400; d++) {
      const p = day(d);
      await store.put(releaseKeys.push('web', p.pushedAt, p.event), p);
    }
    for (let d = 400; d < 403; d++)
      for (let m = 0; m < 100; m++) {
        const p = day(d, m);
        await store.put(releaseKeys.push('web', p.pushedAt, p.event), p);
      }
    const counted = listing(store);

    const read = await pushesUntil(counted.store, 'web', day(402, 99).pushedAt);

    // One listing, starting after the window's first day: 27 single pushes and the last three days' 300.
    expect(counted.listings).toEqual([
      { prefix: 'pushes/web/', startAfter: `pushes/web/${day(373).pushedAt.slice(0, 10)}`, keys: 27 + 300 },
    ]);
    expect(read.pushes).toHaveLength(PUSHES_READ);
    expect(read.pushes.at(-1)?.commit).toBe(day(402, 99).commit);
    expect(read.truncated).toBe(`the newest ${PUSHES_READ} pushes`);
  });

  it('reads no further back than 30 days, and says the rest was left unread', async () => {
    const store = new MemoryStore();
    for (let d = 0; d < 40; d++) {
      const p = day(d);
      await store.put(releaseKeys.push('web', p.pushedAt, p.event), p);
    }
    const counted = listing(store);

    const read = await pushesUntil(counted.store, 'web', day(39).pushedAt);

    expect(PUSH_DAYS_READ).toBe(30);
    expect(counted.listings).toHaveLength(1);
    expect(read.pushes.map((p) => p.commit)).toEqual([...Array(30)].map((_, i) => day(i + 10).commit));
    expect(read.truncated).toBe('the pushes of the last 30 days');
  });
});
