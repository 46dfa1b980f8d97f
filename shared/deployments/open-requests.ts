// Deployment requests on their way: a mark written before a request is recorded and removed once it
// is queued, started or found to be a duplicate. A mark that outlives its invocation lets reconcile
// find a request left pending, without scanning every request ever made.
import * as z from 'zod/mini';
import { openRequestKeys } from '../ledger/keys';
import { typedRecords } from '../ledger/repository';
import type { RecordStore } from '../ledger/store';

export interface OpenRequestMark {
  v: 1;
  requestId: string;
  application: string;
  environment: string;
  at: string;
}

export const openRequestMarkSchema: z.ZodMiniType<OpenRequestMark> = z.looseObject({
  v: z.literal(1),
  requestId: z.string(),
  application: z.string(),
  environment: z.string(),
  at: z.string(),
});

/** Open request marks, by application, environment, the invocation's time and the request id. */
export const openRequestRecords = (store: RecordStore) =>
  typedRecords(store, openRequestMarkSchema, openRequestKeys.mark);
