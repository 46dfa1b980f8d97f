// The EventBridge "CloudWatch Alarm State Change" event, as the bake reads it: which alarm, its new
// state, when, and its metric where the alarm has one. Shape:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
import * as z from 'zod/mini';
import { bounded } from '../../core/rules/email-text';
import { awsString, text } from '../../core/rules/fields';
import { ALARM_STATES, type AlarmReading } from './bake';

/** An event's time ("2026-11-20T18:04:40.985+0000": an offset without a colon) in milliseconds. */
export const instantOf = (time: string): number => Date.parse(time.replace(/([+-]\d\d)(\d\d)$/u, '$1:$2'));

// Display-only fields (the metric, the reason) are read leniently: cut to length, and anything of
// another shape there dropped. What the bake decides on (which alarm, its state, when) is strict.
// (As z.catch reads them, which brings all of zod's util into the bundle: 9 KB in reconcile.) A key
// that is missing reads as undefined, as z.catch reads it.
const lenient = <T>(schema: z.ZodMiniType<T>) =>
  z.optional(
    z.pipe(
      z.unknown(),
      z.transform((value): T | undefined => {
        const read = schema.safeParse(value);
        return read.success ? read.data : undefined;
      }),
    ),
  );
const display = (max: number) =>
  lenient(
    z.pipe(
      z.optional(z.string()),
      z.transform((v) => (v ? bounded(v, max) : undefined)),
    ),
  );
const REASON_MAX = 1023;
const METRIC_MAX = 255;

const configuration = lenient(
  z.optional(
    z.object({
      metrics: z.optional(
        z.array(
          z.object({
            metricStat: z.optional(
              z.object({ metric: z.object({ name: display(METRIC_MAX), namespace: display(METRIC_MAX) }) }),
            ),
          }),
        ),
      ),
    }),
  ),
);

const stateTime = text(64).check(
  z.refine((t) => !Number.isNaN(instantOf(t)), 'an ISO 8601 time, e.g. 2026-11-20T18:04:40.985+0000'),
);

export const alarmEventSchema = z.pipe(
  z.object({
    source: z.literal('aws.cloudwatch'),
    'detail-type': z.literal('CloudWatch Alarm State Change'),
    time: text(64),
    detail: z.object({
      alarmName: awsString(1, 255, 'AlarmName'),
      configuration,
      state: z.object({
        value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
        timestamp: stateTime,
        reason: display(REASON_MAX),
      }),
    }),
  }),
  z.transform((e): AlarmReading => {
    const metrics = e.detail.configuration?.metrics ?? [];
    const only = metrics.length === 1 ? metrics[0]?.metricStat?.metric : undefined;
    const metric = only?.name ? `${only.namespace ? `${only.namespace}/` : ''}${only.name}` : undefined;
    return {
      name: e.detail.alarmName,
      state: e.detail.state.value,
      stateChangedAt: e.detail.state.timestamp,
      ...(metric ? { metric } : metrics.length > 1 ? { metric: 'metric math' } : {}),
      ...(e.detail.state.reason ? { reason: e.detail.state.reason } : {}),
    };
  }),
);

export const isAlarmState = (s: string): s is AlarmReading['state'] => ALARM_STATES.some((a) => a === s);
