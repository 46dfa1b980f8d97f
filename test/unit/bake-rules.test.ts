// The bake's rules: how a bake starts, when it ends and how, the gate it puts on promotion, and the
// `verify:` block of pipeline.yml. Pure: no ledger, no clock.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/core/rules/errors';
import { parseWith } from '../../shared/core/rules/parse';
import { type Application, findApplication, parsePipeline } from '../../shared/pipeline/rules/config';
import { decide, type EnvironmentFacts, type ReleaseFacts } from '../../shared/releases/rules/promotion';
import { standings } from '../../shared/releases/rules/standing';
import { alarmEventSchema } from '../../shared/verification/rules/alarm-event';
import {
  type AlarmReading,
  bakePassed,
  describeBake,
  judgeBake,
  startBake,
} from '../../shared/verification/rules/bake';
import { COMMIT, loadEvent } from '../support/fixtures';

const T0 = new Date('2026-11-20T17:00:00.000Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const verify = { bakeMinutes: 30, alarms: ['web-5xx', 'web-p99'], inconclusive: 'hold' as const };
const ok = (name: string): AlarmReading => ({ name, state: 'OK' });
const firing: AlarmReading = {
  name: 'web-5xx',
  state: 'ALARM',
  metric: 'AWS/ApplicationELB/HTTPCode_Target_5XX_Count',
  threshold: 'GreaterThanThreshold 10',
  stateChangedAt: '2026-11-20T17:04:40.985Z',
};

describe('a bake', () => {
  it('starts baking for bakeMinutes with the listed alarms', () => {
    const bake = startBake(verify, T0);
    expect(bake).toMatchObject({ state: 'baking', until: '2026-11-20T17:30:00.000Z', minutes: 30 });
    expect(describeBake(bake)).toBe('baking until 2026-11-20T17:30:00.000Z (2 alarms watched)');
  });

  it('keeps baking before its end while every alarm is OK or unsure', () => {
    const bake = startBake(verify, T0);
    const end = judgeBake(bake, [ok('web-5xx'), { name: 'web-p99', state: 'INSUFFICIENT_DATA' }], later(29));
    expect(end).toEqual({ end: false, why: 'baking until 2026-11-20T17:30:00.000Z' });
  });

  it('fails at once when a listed alarm is in ALARM, naming the alarm, metric, threshold and time', () => {
    const end = judgeBake(startBake(verify, T0), [firing, ok('web-p99')], later(5));
    expect(end).toMatchObject({
      end: true,
      state: 'failed',
      reason:
        'alarm web-5xx is ALARM, metric AWS/ApplicationELB/HTTPCode_Target_5XX_Count, threshold GreaterThanThreshold 10, since 2026-11-20T17:04:40.985Z',
    });
  });

  it('passes at its end when every alarm is OK: "baked 30 min; 2 alarms OK at the end, no ALARM event during the bake"', () => {
    const bake = startBake(verify, T0);
    const end = judgeBake(bake, [ok('web-5xx'), ok('web-p99')], later(30));
    expect(end).toMatchObject({
      end: true,
      state: 'passed',
      reason: 'baked 30 min; 2 alarms OK at the end, no ALARM event during the bake',
    });
  });

  it.each([
    ['hold', 'held'],
    ['fail', 'failed'],
    ['pass', 'passed'],
  ] as const)('with inconclusive: %s, an INSUFFICIENT_DATA alarm at the end is %s', (inconclusive, state) => {
    const bake = startBake({ ...verify, inconclusive }, T0);
    const end = judgeBake(bake, [ok('web-5xx'), { name: 'web-p99', state: 'INSUFFICIENT_DATA' }], later(31));
    expect(end).toMatchObject({ end: true, state });
    if (end.end)
      expect(end.reason).toBe(`inconclusive (${inconclusive}): alarm web-p99 is INSUFFICIENT_DATA`);
  });

  it('counts an alarm CloudWatch does not return as missing, which is inconclusive', () => {
    const end = judgeBake(startBake(verify, T0), [ok('web-5xx')], later(30));
    expect(end).toMatchObject({
      end: true,
      state: 'held',
      reason: 'inconclusive (hold): alarm web-p99 does not exist',
    });
  });

  it('ends once: an ended bake is not judged again', () => {
    const bake = { ...startBake(verify, T0), state: 'passed' as const };
    expect(judgeBake(bake, [firing], later(40))).toEqual({
      end: false,
      why: 'the bake already ended (passed)',
    });
  });

  it('lets a verdict on only when there is no bake or it passed', () => {
    expect(bakePassed(undefined)).toBe(true);
    expect(bakePassed({ state: 'passed', until: T0.toISOString() })).toBe(true);
    for (const state of ['baking', 'held', 'failed'] as const)
      expect(bakePassed({ state, until: T0.toISOString() })).toBe(false);
  });
});

describe('the alarm state-change event', () => {
  it('reads the alarm, its new state, when, and its metric', () => {
    const event = loadEvent('cloudwatch/alarm-state-change-alarm.json');
    expect(alarmEventSchema.parse(event)).toMatchObject({
      name: 'web-staging-5xx',
      state: 'ALARM',
      metric: 'AWS/ApplicationELB/HTTPCode_Target_5XX_Count',
      stateChangedAt: '2026-11-20T18:04:40.985+0000',
    });
  });

  type AlarmEvent = {
    detail: {
      alarmName: string;
      state: { value: string; timestamp?: string; reason?: string };
      configuration: { metrics: { metricStat: { metric: { name: string; namespace: string } } }[] };
    };
  };
  const sample = () => loadEvent<AlarmEvent>('cloudwatch/alarm-state-change-alarm.json');

  it('reads a reason and a metric that are only for display leniently: long ones are cut, not refused', () => {
    const event = sample();
    event.detail.state.reason = `Threshold Crossed: ${'😀'.repeat(1000)}`;
    const metric = event.detail.configuration.metrics[0]?.metricStat.metric;
    if (!metric) throw new Error('no metric in the sample');
    metric.name = 'M'.repeat(300);
    metric.namespace = `Custom/${'é'.repeat(250)}`;

    const read = alarmEventSchema.parse(event);

    expect(read.name).toBe('web-staging-5xx');
    expect([...(read.reason ?? '')].length).toBeLessThanOrEqual(1023);
    expect(read.reason).toMatch(/^Threshold Crossed: 😀/);
    expect(read.metric?.length).toBeLessThanOrEqual(600);
  });

  it('drops a reason or a configuration of another shape, which are only for display, and reads the rest', () => {
    const event = sample() as unknown as {
      detail: Record<string, unknown> & { state: Record<string, unknown> };
    };
    event.detail.state.reason = 42;
    event.detail.configuration = { metrics: 'all of them' };
    const read = alarmEventSchema.parse(event);
    expect(read).toEqual({
      name: 'web-staging-5xx',
      state: 'ALARM',
      stateChangedAt: '2026-11-20T18:04:40.985+0000',
    });
    event.detail.configuration = {
      metrics: [{ metricStat: { metric: { name: 'HTTPCode_Target_5XX_Count', namespace: 7 } } }],
    };
    expect(alarmEventSchema.parse(event).metric).toBe('HTTPCode_Target_5XX_Count');
  });

  it.each([
    [
      'the reason',
      (d: Record<string, unknown> & { state: Record<string, unknown> }) => delete d.state.reason,
      {},
    ],
    ['the configuration', (d: Record<string, unknown>) => delete d.configuration, {}],
    [
      "the metric's namespace",
      (d: { configuration: { metrics: { metricStat: { metric: Record<string, unknown> } }[] } }) =>
        delete d.configuration.metrics[0]?.metricStat.metric.namespace,
      { metric: 'HTTPCode_Target_5XX_Count' },
    ],
  ])('reads an event without %s, which is only for display', (_what, remove, metric) => {
    const event = sample() as unknown as { detail: never };
    remove(event.detail);
    const read = alarmEventSchema.parse(event);
    expect(read).toMatchObject({ name: 'web-staging-5xx', state: 'ALARM', ...metric });
  });

  it.each([
    ['detail.alarmName', (e: AlarmEvent) => Object.assign(e.detail, { alarmName: '' })],
    ['detail.state.value', (e: AlarmEvent) => Object.assign(e.detail.state, { value: 'ALARMING' })],
    ['detail.state.timestamp', (e: AlarmEvent) => delete e.detail.state.timestamp],
    ['detail.state.timestamp', (e: AlarmEvent) => Object.assign(e.detail.state, { timestamp: 'yesterday' })],
  ])('parses %s strictly', (field, spoil) => {
    const event = sample();
    spoil(event);
    expect(() => parseWith(alarmEventSchema, event, 'event')).toThrow(`event.${field}`);
  });
});

const app = (stagingVerify: unknown): Application =>
  findApplication(
    parsePipeline({
      version: 1,
      applications: {
        app: {
          codedeployApplication: 'app',
          existing: true,
          environments: [
            { name: 'staging', deploymentGroup: 'staging', enter: 'release', verify: stagingVerify },
            {
              name: 'production',
              deploymentGroup: 'production',
              enter: 'promotion',
              approval: { approvers: ['rm@example.com'] },
            },
          ],
        },
      },
    }),
    'app',
  );

const facts = (staging: EnvironmentFacts): ReleaseFacts => ({
  tag: 'v1.2.0',
  commit: COMMIT,
  hasArtifact: true,
  environments: { staging },
});
const verified = (bake?: EnvironmentFacts['bake']): EnvironmentFacts => ({
  attempt: 0,
  request: { id: 'r', state: 'started', deploymentId: 'd-STAGING' },
  verdict: 'VERIFIED',
  ...(bake ? { bake } : {}),
});

describe('the bake gate on promotion', () => {
  const baking = app({ bakeMinutes: 30, alarms: ['web-5xx'] });

  it('waits while the environment bakes: no approval is requested for the next one', () => {
    expect(decide(baking, facts(verified({ state: 'baking', until: '2026-11-20T17:30:00.000Z' })))).toEqual({
      step: 'wait',
      for: 'bake',
      environment: 'staging',
      detail: 'deployment d-STAGING in staging is VERIFIED (audit) and baking until 2026-11-20T17:30:00.000Z',
    });
  });

  it('blocks on a held bake, with its code', () => {
    expect(decide(baking, facts(verified({ state: 'held', until: T0.toISOString() })))).toMatchObject({
      step: 'blocked',
      code: 'bake-held',
      environment: 'staging',
    });
  });

  it('shows the bake beside the verdict where the release stands', () => {
    const state = (bake: EnvironmentFacts['bake']) => standings(baking, facts(verified(bake)))[0]?.state;
    expect(state({ state: 'baking', until: '2026-11-20T17:30:00.000Z' })).toBe(
      'VERIFIED (baking until 2026-11-20T17:30:00.000Z)',
    );
    expect(state({ state: 'passed', until: T0.toISOString() })).toBe('VERIFIED (baked)');
    expect(state({ state: 'held', until: T0.toISOString() })).toBe('VERIFIED (bake held)');
    expect(state(undefined)).toBe('VERIFIED');
  });

  it('moves on (asks the approval) once the bake passed', () => {
    expect(decide(baking, facts(verified({ state: 'passed', until: T0.toISOString() })))).toEqual({
      step: 'request-approval',
      environment: 'production',
      from: { environment: 'staging', deploymentId: 'd-STAGING' },
    });
  });
});

describe('verify: in pipeline.yml', () => {
  const issues = (v: unknown) => {
    try {
      app(v);
      return [];
    } catch (error) {
      return error instanceof ConfigError ? [...error.issues] : [String(error)];
    }
  };
  const at = 'applications.app.environments[0].verify';

  it('fills the defaults: no alarms, inconclusive hold', () => {
    expect(app({ bakeMinutes: 30 }).environments[0]?.verify).toEqual({
      bakeMinutes: 30,
      alarms: [],
      inconclusive: 'hold',
    });
  });

  it('takes any alarm name CloudWatch takes (1-255 characters, spaces and unicode included)', () => {
    const name = `Web 5xx — ${'é'.repeat(240)}`;
    expect(issues({ bakeMinutes: 1, alarms: [name, 'a'] })).toEqual([]);
  });

  it('refuses bad fields, each with its path and rule', () => {
    expect(issues({ bakeMinutes: 30, alarms: [''] })[0]).toContain(`${at}.alarms[0]`);
    expect(issues({ bakeMinutes: 30, alarms: ['x'.repeat(256)] })[0]).toContain('1-255 characters');
    expect(issues({ bakeMinutes: 30, alarms: ['web-*', 'web-5xx?'] })).toEqual([]);
    expect(issues({ bakeMinutes: 30, alarms: [`web-\${opt:stage}`] })[0]).toContain(
      'no ${: the Serverless Framework would resolve it as a variable',
    );
    expect(issues({ bakeMinutes: 30, alarms: ['a', 'a'] })).toEqual([`${at}.alarms[1]: duplicate alarm`]);
    expect(issues({ bakeMinutes: -1 })[0]).toContain(`${at}.bakeMinutes`);
    expect(issues({ bakeMinutes: 30, inconclusive: 'maybe' })[0]).toContain(`${at}.inconclusive`);
    expect(issues({ alarms: ['a'] })[0]).toContain(`${at}.bakeMinutes`);
  });
});
