// Which of two pushes to one branch is the newer: events arrive late, twice, and out of order.

export interface PushPoint {
  commit: string;
  /** ISO 8601, as normalised by the event schema (so that strings compare as times). */
  pushedAt: string;
  oldCommit?: string;
}

export type PushOrder = 'same-commit' | 'newer' | 'older';

/**
 * Compares an incoming push with the one an environment currently expects. The later push wins;
 * at the same instant, the push that moved the branch away from the other's commit is the later one;
 * otherwise the expectation already held stays (first come, first kept).
 */
export const comparePush = (incoming: PushPoint, current: PushPoint | undefined): PushOrder => {
  if (!current) return 'newer';
  if (incoming.commit === current.commit) return 'same-commit';
  if (incoming.pushedAt > current.pushedAt) return 'newer';
  if (incoming.pushedAt < current.pushedAt) return 'older';
  return incoming.oldCommit === current.commit ? 'newer' : 'older';
};
