// approval: the page reads the approval and records decisions. No SNS or CodeDeploy: approval-decided acts.
import type { PageDeps } from '../approvals/respond';
import { core } from './core';
import { approvalKeys } from './keys';
import { once } from './once';

export const pageDeps = once((): PageDeps => {
  const { store, clock, log, pipeline } = core();
  return { store, clock, log, pipeline, keys: approvalKeys() };
});
