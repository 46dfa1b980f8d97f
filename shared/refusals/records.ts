// The refusals' own record: one alert claim per cause (rule and subject). The refusals themselves are
// Rejection records (ledger/records.ts).
import * as z from 'zod/mini';
import { keys } from '../ledger/keys';
import { typedRecords } from '../ledger/repository';
import type { RecordStore } from '../ledger/store';

export interface RefusalCause {
  /** The rule that refused, a constant: `artifact-layout`, `ref-kind`, `deployment-unknown`… */
  rule: string;
  /** The application (and environment) the alert's subject names. */
  application: string;
  environment?: string;
  /** The configured thing the event names: "application web", "repository web"… */
  owner: string;
  /** What was refused: an object version, a reference, a deployment. */
  subject: string;
}

/** The one alert of a cause: claimed while it is being sent, then sent (with the message id). */
export interface RejectionAlert extends Omit<RefusalCause, 'application'> {
  application?: string;
  v: 1;
  source: string;
  reason: string;
  state: 'claimed' | 'sent';
  at: string;
  messageId?: string;
}

export const rejectionAlertSchema: z.ZodMiniType<RejectionAlert> = z.looseObject({
  v: z.literal(1),
  source: z.string(),
  reason: z.string(),
  rule: z.string(),
  // Claims written before subjects named the application lack it.
  application: z.optional(z.string()),
  environment: z.optional(z.string()),
  owner: z.string(),
  subject: z.string(),
  state: z.enum(['claimed', 'sent']),
  at: z.string(),
  messageId: z.optional(z.string()),
});

/** Alert claims, by the id of their cause. */
export const rejectionAlertRecords = (store: RecordStore) =>
  typedRecords(store, rejectionAlertSchema, keys.rejectionAlert);
