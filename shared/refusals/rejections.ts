// Bad input is recorded and refused, never retried: one record per refusal, with the reason.
import { randomUUID } from 'node:crypto';
import type { Core } from '../core/ports';
import { keys } from '../ledger/keys';
import type { Rejection } from '../ledger/records';

export const recordRejection = async (
  deps: Core,
  source: string,
  reason: string,
  object?: Rejection['object'],
): Promise<Rejection> => {
  const at = deps.clock.now().toISOString();
  const rejection: Rejection = { v: 1, kind: 'rejected', source, reason, ...(object ? { object } : {}), at };
  await deps.store.put(keys.rejection(at, randomUUID().slice(0, 8)), rejection);
  deps.log.warn(`${source} refused: ${reason}`, object ? { object } : {});
  return rejection;
};
