// Where an approval stands: asked and unanswered, decided, run out, or replaced by a newer release's.
export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'expired' | 'superseded';
