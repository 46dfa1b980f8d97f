// Where an approval stands: asked and unanswered, decided, run out, or replaced by a newer release's.
export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'expired' | 'superseded';

/** A pending approval whose expiry has passed is expired, even before the reconcile sweep marks it. */
export const effectiveState = (r: { state: ApprovalState; expiresAt: string }, now: Date): ApprovalState =>
  r.state === 'pending' && now.getTime() >= Date.parse(r.expiresAt) ? 'expired' : r.state;
