// The EventBridge "CloudWatch Alarm State Change" event, as the bake reads it: which alarm, its new
// state, when, and its metric where the alarm has one. Shape:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
import * as z from 'zod/mini';
import { awsString, text } from '../../core/rules/fields';
import { ALARM_STATES, type AlarmReading } from './bake';

const metricStat = z.object({
  metric: z.object({ name: z.optional(text(255)), namespace: z.optional(text(255)) }),
});

export const alarmEventSchema = z.pipe(
  z.object({
    source: z.literal('aws.cloudwatch'),
    'detail-type': z.literal('CloudWatch Alarm State Change'),
    time: text(64),
    detail: z.object({
      alarmName: awsString(1, 255, 'AlarmName'),
      configuration: z.optional(
        z.object({ metrics: z.optional(z.array(z.object({ metricStat: z.optional(metricStat) }))) }),
      ),
      state: z.object({
        value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
        timestamp: z.optional(text(64)),
        reason: z.optional(z.string().check(z.maxLength(1023))),
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
      stateChangedAt: e.detail.state.timestamp ?? e.time,
      ...(metric ? { metric } : metrics.length > 1 ? { metric: 'metric math' } : {}),
      ...(e.detail.state.reason ? { reason: e.detail.state.reason } : {}),
    };
  }),
);

export const isAlarmState = (s: string): s is AlarmReading['state'] => ALARM_STATES.some((a) => a === s);

/** An event's time ("2026-11-20T18:04:40.985+0000": an offset without a colon) in milliseconds. */
export const instantOf = (time: string): number => Date.parse(time.replace(/([+-]\d\d)(\d\d)$/u, '$1:$2'));
