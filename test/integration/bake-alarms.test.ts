// The bake's alarm reader on moto's CloudWatch, through the real SDK client: alarms made with
// PutMetricAlarm and moved with SetAlarmState are read with their state, metric, threshold and
// state-change time; every DescribeAlarms is a valid input of CloudWatch's API model; and a bake ends
// on what CloudWatch says.
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { cloudwatchAlarms } from '../../shared/aws/cloudwatch-alarms';
import { judgeBake, startBake } from '../../shared/verification/rules/bake';
import { awsModel } from '../support/aws-models';
import { clientsFor, useMoto } from '../support/moto';
import { modelProblems, recordCommands, type SentCommand } from '../support/sdk-recorder';

const ctx = useMoto();
let client: ReturnType<typeof clientsFor>['cloudwatch'];
let sent: SentCommand[] = [];

const alarm = (AlarmName: string, MetricName: string, Threshold: number) =>
  new PutMetricAlarmCommand({
    AlarmName,
    Namespace: 'AWS/ApplicationELB',
    MetricName,
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold,
    ComparisonOperator: 'GreaterThanThreshold',
  });

beforeAll(async () => {
  client = clientsFor(ctx.moto.endpoint).cloudwatch;
  await client.send(alarm('web-staging-5xx', 'HTTPCode_Target_5XX_Count', 10));
  await client.send(alarm('web staging p99 (ms)', 'TargetResponseTime', 0.8));
  // 120 alarms: more names than one DescribeAlarms takes.
  for (let i = 0; i < 120; i += 1) await client.send(alarm(`many-${i}`, 'RequestCount', i));
  sent = recordCommands(client);
});

describe('reading the alarms a bake lists, on moto', () => {
  it('reads an alarm in INSUFFICIENT_DATA, and one set to ALARM with its metric, threshold and time', async () => {
    const reader = cloudwatchAlarms(client);
    // CloudWatch creates an alarm in INSUFFICIENT_DATA (moto in OK): set it so.
    await client.send(
      new SetAlarmStateCommand({
        AlarmName: 'web-staging-5xx',
        StateValue: 'INSUFFICIENT_DATA',
        StateReason: 'no data',
      }),
    );
    expect(await reader.read(['web-staging-5xx'])).toEqual([
      expect.objectContaining({ name: 'web-staging-5xx', state: 'INSUFFICIENT_DATA' }),
    ]);
    await client.send(
      new SetAlarmStateCommand({
        AlarmName: 'web-staging-5xx',
        StateValue: 'ALARM',
        StateReason: 'Threshold Crossed: 42 > 10',
      }),
    );
    const [read] = await reader.read(['web-staging-5xx']);
    expect(read).toMatchObject({
      name: 'web-staging-5xx',
      state: 'ALARM',
      metric: 'AWS/ApplicationELB/HTTPCode_Target_5XX_Count',
      threshold: 'GreaterThanThreshold 10',
      reason: 'Threshold Crossed: 42 > 10',
    });
    expect(Date.parse(read?.stateChangedAt ?? '')).not.toBeNaN();
  });

  it('leaves out a name CloudWatch does not know, and reads more than 100 names in batches', async () => {
    const reader = cloudwatchAlarms(client);
    expect(await reader.read(['no-such-alarm'])).toEqual([]);
    const names = Array.from({ length: 120 }, (_, i) => `many-${i}`);
    expect((await reader.read(names)).map((r) => r.name).sort()).toEqual([...names].sort());
  });

  it('ends a bake on what CloudWatch reads: ALARM fails it, every OK passes it at its end', async () => {
    const reader = cloudwatchAlarms(client);
    const t0 = new Date('2026-11-20T17:00:00.000Z');
    const bake = startBake(
      { bakeMinutes: 30, alarms: ['web-staging-5xx', 'web staging p99 (ms)'], inconclusive: 'hold' },
      t0,
    );
    const early = new Date(t0.getTime() + 5 * 60_000);
    expect(judgeBake(bake, await reader.read(bake.alarms), early)).toMatchObject({
      end: true,
      state: 'failed',
    });

    for (const AlarmName of bake.alarms)
      await client.send(new SetAlarmStateCommand({ AlarmName, StateValue: 'OK', StateReason: 'recovered' }));
    const end = new Date(t0.getTime() + 30 * 60_000);
    expect(judgeBake(bake, await reader.read(bake.alarms), end)).toMatchObject({
      end: true,
      state: 'passed',
      reason: 'baked 30 min; 2 alarms OK at the end, no ALARM event during the bake',
    });
  });

  it('sends only valid DescribeAlarms inputs (CloudWatch API model)', () => {
    // The tests' own SetAlarmState calls are recorded too; Baton's are the DescribeAlarms.
    const described = sent.filter((c) => c.operation === 'DescribeAlarms');
    expect(described.length).toBeGreaterThan(4);
    expect(modelProblems(awsModel('cloudwatch'), described)).toEqual([]);
    expect(described.every((c) => (c.input.AlarmNames as string[]).length <= 100)).toBe(true);
  });
});
