// The bake's records: the bake itself lives on the audit record (audits/<deploymentId>.json), and
// reconcile finds the bakes still running by their marks under bakes/, each with its end and alarms.
import * as z from 'zod/mini';
import { verificationKeys } from '../ledger/keys';
import { typedRecords } from '../ledger/repository';
import type { SendClaim } from '../ledger/send-once';
import type { RecordStore } from '../ledger/store';
import { ALARM_STATES, type AlarmReading, BAKE_STATES, type Bake } from './rules/bake';

export type { Bake } from './rules/bake';

const optionalText = z.optional(z.string());

const readingSchema: z.ZodMiniType<AlarmReading> = z.looseObject({
  name: z.string(),
  state: z.enum(ALARM_STATES),
  metric: optionalText,
  threshold: optionalText,
  stateChangedAt: optionalText,
  reason: optionalText,
});

export const bakeSchema: z.ZodMiniType<Bake> = z.looseObject({
  state: z.enum(BAKE_STATES),
  since: z.string(),
  until: z.string(),
  minutes: z.number(),
  alarms: z.array(z.string()),
  inconclusive: z.enum(['hold', 'fail', 'pass']),
  endedAt: optionalText,
  reason: optionalText,
  readings: z.optional(z.array(readingSchema)),
  counted: z.optional(z.boolean()),
});

/** A bake still running: when it ends, and which alarms end it early (the alarm event finds it so). */
export interface BakeMark {
  v: 1;
  deploymentId: string;
  until: string;
  alarms: string[];
  /** Where it bakes, and since when its deployment runs: a newer deployment there ends it early. */
  application?: string;
  environment?: string;
  since?: string;
}

export const bakeMarkSchema: z.ZodMiniType<BakeMark> = z.looseObject({
  v: z.literal(1),
  deploymentId: z.string(),
  until: z.string(),
  alarms: z.array(z.string()),
  application: optionalText,
  environment: optionalText,
  since: optionalText,
});

export const bakeMarks = (store: RecordStore) => typedRecords(store, bakeMarkSchema, verificationKeys.bake);

/** The one alert of a bake that could not end: claimed while it is sent, then sent. */
export interface StuckBakeAlert extends SendClaim {
  v: 1;
  deploymentId: string;
  until: string;
  reason: string;
}

export const stuckBakeAlertSchema: z.ZodMiniType<StuckBakeAlert> = z.looseObject({
  v: z.literal(1),
  deploymentId: z.string(),
  until: z.string(),
  reason: z.string(),
  state: z.enum(['claimed', 'sent']),
  at: z.string(),
  messageId: optionalText,
});

export const stuckBakeAlerts = (store: RecordStore) =>
  typedRecords(store, stuckBakeAlertSchema, verificationKeys.stuckAlert);
