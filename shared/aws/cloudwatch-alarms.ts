// The bake's AlarmReader on CloudWatch: DescribeAlarms by name (metric and composite alarms), in
// pages of up to 100 names, each alarm with its metric, threshold and state-change time.
import {
  type CloudWatchClient,
  type CompositeAlarm,
  DescribeAlarmsCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmReader } from '../verification/ports';
import { isAlarmState } from '../verification/rules/alarm-event';
import type { AlarmReading } from '../verification/rules/bake';

const BATCH = 100;

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);

const metricOf = (a: MetricAlarm): string | undefined =>
  a.MetricName
    ? `${a.Namespace ? `${a.Namespace}/` : ''}${a.MetricName}`
    : a.Metrics?.length
      ? 'metric math'
      : undefined;

const thresholdOf = (a: MetricAlarm): string | undefined =>
  a.ComparisonOperator
    ? `${a.ComparisonOperator} ${a.Threshold ?? a.ThresholdMetricId ?? ''}`.trim()
    : undefined;

const reading = (
  a: MetricAlarm | CompositeAlarm,
  extra: Pick<AlarmReading, 'metric' | 'threshold'>,
): AlarmReading | undefined => {
  if (!a.AlarmName || !a.StateValue || !isAlarmState(a.StateValue)) return undefined;
  const changed = iso(a.StateTransitionedTimestamp ?? a.StateUpdatedTimestamp);
  return {
    name: a.AlarmName,
    state: a.StateValue,
    ...(extra.metric ? { metric: extra.metric } : {}),
    ...(extra.threshold ? { threshold: extra.threshold } : {}),
    ...(changed ? { stateChangedAt: changed } : {}),
    ...(a.StateReason ? { reason: a.StateReason.slice(0, 1023) } : {}),
  };
};

export const cloudwatchAlarms = (client: CloudWatchClient): AlarmReader => ({
  async read(names) {
    const found: AlarmReading[] = [];
    for (let i = 0; i < names.length; i += BATCH) {
      let token: string | undefined;
      do {
        const page = await client.send(
          new DescribeAlarmsCommand({
            AlarmNames: names.slice(i, i + BATCH),
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            MaxRecords: 100,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        for (const a of page.MetricAlarms ?? []) {
          const r = reading(a, { metric: metricOf(a), threshold: thresholdOf(a) });
          if (r) found.push(r);
        }
        for (const a of page.CompositeAlarms ?? []) {
          const r = reading(a, { metric: 'composite', threshold: a.AlarmRule?.slice(0, 200) });
          if (r) found.push(r);
        }
        token = page.NextToken;
      } while (token);
    }
    return found;
  },
});
