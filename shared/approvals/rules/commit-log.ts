// What an approver is told of the change: the release commit's message and author, and the commits
// since the environment's current release, as far as the recorded pushes know them. Pushes chain
// through their commit before and after; GitHub's list the commits they brought, CodeCommit's name
// only the head. Where the chain breaks, or only heads are known, the list says it is partial.
import type { CommitNote } from '../../pushes/rules/codecommit-events';

export interface PushFacts {
  ref: string;
  commit?: string;
  oldCommit?: string;
  /** The event's id: `github:<delivery>` for a GitHub push. */
  event?: string;
  head?: Omit<CommitNote, 'id'>;
  commits?: CommitNote[];
  /** How many commits the event listed, where `commits` keeps only the newest of them. */
  commitCount?: number;
}

export interface CommitLog {
  /** Newest first, at most `max`. */
  commits: CommitNote[];
  /** How many more the pushes name beyond `max`. */
  more: number;
  /** Why the list may miss commits; absent when the pushes chain back to `since`. */
  partial?: string;
}

export const COMMITS_LISTED = 20;
const WALK_MAX = 1000;
const short = (c: string) => c.slice(0, 12);

/** A commit's note, or why its message is not known. */
export type KnownNote = CommitNote & { unknown?: string };

const isGithub = (p: PushFacts) => p.event?.startsWith('github:') ?? false;

/** Why no push read carried the commit's message: which of the cases applies. */
const unknownBecause = (pushes: readonly PushFacts[], commit: string, truncated?: string): string => {
  const of = pushes.filter((p) => p.commit === commit || p.commits?.some((c) => c.id === commit));
  if (of.some((p) => !isGithub(p))) return "CodeCommit's push events carry only the commit id";
  if (of.length) return 'the GitHub push that brought it carried no message';
  return truncated
    ? `no push among ${truncated} brought it (older ones were not read)`
    : 'no push of this commit is recorded';
};

/** The release commit's own message and author, from any push that carried them; else why not. */
/** `truncated` names the pushes read, when older ones were left unread. */
export const commitNote = (pushes: readonly PushFacts[], commit: string, truncated?: string): KnownNote => {
  const listed = pushes.flatMap((p) => p.commits ?? []).find((c) => c.id === commit && c.message);
  const head = pushes.find((p) => p.commit === commit && p.head?.message)?.head;
  const note = listed ?? head;
  return note ? { ...note, id: commit } : { id: commit, unknown: unknownBecause(pushes, commit, truncated) };
};

/** The commits from `to` back to (not including) `since`, through the recorded branch pushes. */
export const commitsSince = (
  pushes: readonly PushFacts[],
  to: string,
  since: string | undefined,
  { max = COMMITS_LISTED, truncated }: { max?: number; truncated?: string | undefined } = {},
): CommitLog => {
  const byHead = new Map<string, PushFacts>();
  // Oldest first: a later push of the same head (a re-push) wins.
  for (const p of pushes) if (p.ref.startsWith('refs/heads/') && p.commit) byHead.set(p.commit, p);
  const found: CommitNote[] = [];
  const seen = new Set<string>();
  let headsOnly = false;
  let cutShort: string | undefined;
  let partial: string | undefined;
  let at: string | undefined = to;
  for (let step = 0; at && at !== since && step < WALK_MAX; step++) {
    const push = byHead.get(at);
    if (!push) {
      partial = truncated
        ? `only ${truncated} were read, and none of them brought commit ${short(at)}`
        : `no push of commit ${short(at)} is recorded`;
      break;
    }
    const brought = push.commits?.length ? [...push.commits].reverse() : [{ id: at, ...(push.head ?? {}) }];
    if (!push.commits?.length) headsOnly = true;
    const cut = since ? brought.findIndex((c) => c.id === since) : -1;
    if (cut < 0 && push.commits && (push.commitCount ?? 0) > push.commits.length)
      cutShort ??= `the push of commit ${short(at)} brought ${push.commitCount} commits, of which its record keeps the newest ${push.commits.length}`;
    for (const c of cut >= 0 ? brought.slice(0, cut) : brought)
      if (!seen.has(c.id)) found.push(c) && seen.add(c.id);
    if (cut >= 0) break;
    at = push.oldCommit;
    if (!at) partial = `the branch was created at commit ${short(push.commit ?? '')}`;
  }
  if (!since)
    partial = 'the environment has no VERIFIED release yet, so these are all the commits Baton knows of';
  else if (!partial && cutShort) partial = cutShort;
  else if (!partial && headsOnly)
    partial =
      "CodeCommit's push events name only each push's newest commit; commits in between are not listed";
  return {
    commits: found.slice(0, max),
    more: Math.max(0, found.length - max),
    ...(partial ? { partial } : {}),
  };
};
