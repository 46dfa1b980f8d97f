// approval-decided: settling the approval a recorded decision belongs to, and moving its release on.
import type { DecidedDeps } from '../approvals/approval-decided';
import { core } from './core';
import { once } from './once';
import { releasing } from './releases';

export const settlingDeps = once((): DecidedDeps => {
  const { bucket, pipeline } = core();
  return { ...releasing().deciding, bucket, ledgerPrefix: pipeline.ledgerPrefix };
});
