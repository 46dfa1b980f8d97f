// The best time known for a commit, from which a lead time counts: the delivery metrics command and
// the audit's LeadTimeSeconds metric take it the same way.

/** Where a commit's time comes from, best first: its own timestamp, its first push, its artifact's upload. */
export const COMMIT_TIME_SOURCES = ['commit', 'push', 'upload'] as const;
export type CommitTimeSource = (typeof COMMIT_TIME_SOURCES)[number];

export interface CommitTime {
  at: string;
  source: CommitTimeSource;
}

/** The best time known for a commit: its own timestamp (carried by a push), its first push, its upload. */
export const commitTimeOf = (facts: {
  committedAt?: string | undefined;
  firstPushedAt?: string | undefined;
  uploadedAt?: string | undefined;
}): CommitTime | undefined => {
  if (facts.committedAt) return { at: facts.committedAt, source: 'commit' };
  if (facts.firstPushedAt) return { at: facts.firstPushedAt, source: 'push' };
  return facts.uploadedAt ? { at: facts.uploadedAt, source: 'upload' } : undefined;
};
