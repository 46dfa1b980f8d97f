// The bake on the in-memory ledger, through the real audit, release flow and reconcile step: a VERIFIED
// audit in staging bakes; nothing is promoted and no approval is asked until it passed; an alarm ends
// it as FAILED; an inconclusive alarm holds it; each end happens once.
import { describe, expect, it } from 'vitest';
import { run as sourcePushed } from '../../functions/source-pushed/handler';
import { readAudit } from '../../shared/approvals/approval-audit';
import { audit } from '../../shared/audit/audit';
import { followUp } from '../../shared/audit/audit-follow-up';
import type { AuditRecord } from '../../shared/audit/records';
import { renderReport } from '../../shared/audit/rules/verdict-text';
import { requestDeployment } from '../../shared/deployments/deployments';
import { auditKeys, keys, verificationKeys } from '../../shared/ledger/keys';
import type { DeploymentRecord } from '../../shared/ledger/records';
import { auditCommand } from '../../shared/operator/audit';
import type { Pipeline } from '../../shared/pipeline/rules/config';
import { resumeFollowUps } from '../../shared/reconcile/reconcile';
import { advanceRelease, releaseFlow } from '../../shared/releases/promotion';
import { endBake } from '../../shared/verification/bake-end';
import { alarmChanged, endDueBakes } from '../../shared/verification/bakes';
import type { AlarmReader } from '../../shared/verification/ports';
import type { AlarmReading, AlarmState } from '../../shared/verification/rules/bake';
import { FakeReader, RecordingMetrics, SettableClock, target } from '../support/audit';
import { COMMIT, loadEvent, samplePipeline } from '../support/fixtures';
import { reauditingOn } from '../support/reauditing';
import { releaseDeps, tagEvent, uploadArtifact } from '../support/releases';
import { show } from '../support/views';

const ALARMS = ['web-staging-5xx', 'web-staging-p99'];
const MINUTE = 60_000;

class FakeAlarms implements AlarmReader {
  readonly states = new Map<string, AlarmState>(ALARMS.map((a) => [a, 'OK']));
  calls: string[][] = [];
  /** Runs once, while CloudWatch is read: a write by someone else meanwhile. */
  meanwhile?: () => Promise<void>;
  async read(names: readonly string[]): Promise<AlarmReading[]> {
    this.calls.push([...names]);
    const meanwhile = this.meanwhile;
    this.meanwhile = undefined;
    await meanwhile?.();
    return names.flatMap((name) => {
      const state = this.states.get(name);
      return state
        ? [
            {
              name,
              state,
              metric: 'AWS/ApplicationELB/HTTPCode_Target_5XX_Count',
              threshold: 'GreaterThanThreshold 10',
              stateChangedAt: '2026-11-20T18:05:00.000Z',
            },
          ]
        : [];
    });
  }
}

const baking = (over: Record<string, unknown> = {}): Pipeline => {
  const pipeline = samplePipeline();
  const staging = pipeline.applications.web?.environments.find((e) => e.name === 'staging');
  if (staging) {
    staging.verify = { bakeMinutes: 30, alarms: ALARMS, inconclusive: 'hold', ...over };
    if (over.onFailure === 'rollback') staging.onFailure = 'rollback';
  }
  return pipeline;
};

const setup = async (pipeline = baking()) => {
  const base = releaseDeps(pipeline);
  const deps = {
    ...base,
    clock: new SettableClock(),
    reader: new FakeReader(),
    metrics: new RecordingMetrics(),
    alarms: new FakeAlarms(),
    releaseFlow: undefined as ReturnType<typeof releaseFlow> | undefined,
  };
  deps.releaseFlow = releaseFlow(deps);
  await uploadArtifact(base, COMMIT);
  await sourcePushed(tagEvent('v1.2.0', COMMIT, '2026-11-20T18:50:02Z'), deps);
  const call = deps.deployer.calls.findIndex((c) => c.deploymentGroup === 'web-staging');
  const staging = `d-FAKE${String(call + 1).padStart(5, '0')}`;
  deps.reader.add(
    staging,
    { deploymentGroup: 'web-staging' },
    ['i-1', 'i-2', 'i-3'].map((i) => target(i)),
  );
  await audit(deps, { deploymentId: staging, trigger: 'eventbridge SUCCESS' });
  return { deps, staging };
};

type Deps = Awaited<ReturnType<typeof setup>>['deps'];
const auditOf = async (deps: Deps, id: string) =>
  (await deps.store.get<AuditRecord>(auditKeys.audit(id)))?.record;
const productionCalls = (deps: Deps) =>
  deps.deployer.calls.filter((c) => c.deploymentGroup === 'web-production');
const alarmEvent = (state = 'ALARM') => {
  const event = loadEvent<{ detail: { state: { value: string; timestamp: string } } }>(
    'cloudwatch/alarm-state-change-alarm.json',
  );
  event.detail.state.value = state;
  return event;
};

/** An earlier VERIFIED deployment of staging to roll back to. */
const rememberEarlier = (deps: Deps) =>
  deps.store.put(auditKeys.verified('web', 'staging'), {
    v: 1,
    kind: 'verified',
    deploymentId: 'd-EARLIER01',
    application: 'web',
    environment: 'staging',
    artifact: { bucket: 'pipeline', key: 'artifacts/web/earlier.zip', etag: '"e0"', commit: 'c0ffee00' },
    fleet: 3,
    deploymentCreatedAt: '2026-11-19T10:00:00.000Z',
    verifiedAt: '2026-11-19T10:10:00.000Z',
  });

describe('a VERIFIED audit in an environment with verify', () => {
  it('bakes: the audit shows VERIFIED (audit) baking until its end, and the release waits', async () => {
    const { deps, staging } = await setup();

    const rec = await auditOf(deps, staging);
    expect(rec).toMatchObject({
      verdict: 'VERIFIED',
      bake: { state: 'baking', until: '2026-11-20T18:30:00.000Z', alarms: ALARMS },
    });
    expect(rec?.followUp.done.advance).toBe(
      'release v1.2.0 waits for the bake (until 2026-11-20T18:30:00.000Z)',
    );
    expect(rec?.followUp.done.verified).toBe('not yet: the bake is baking');
    expect(deps.approvals.requests).toEqual([]);
    expect((await advanceRelease(deps, 'web', 'v1.2.0', 'operator promote'))?.next).toBe(
      `wait for bake: deployment ${staging} in staging is VERIFIED (audit) and baking until 2026-11-20T18:30:00.000Z`,
    );
    expect(await deps.store.get(verificationKeys.bake(staging))).toBeDefined();
    expect(await deps.store.get(auditKeys.verified('web', 'staging'))).toBeUndefined();
    // Not delivered yet: the bake's end counts the deployment, with its final verdict.
    expect(deps.metrics.deliveries.filter((d) => d.environment === 'staging')).toEqual([]);
    expect(deps.metrics.durations.filter((d) => d.environment === 'staging')).toEqual([]);
  });

  it('is not judged before its end (no CloudWatch call); at its end, every alarm OK passes it once', async () => {
    const { deps, staging } = await setup();
    deps.clock.advance(10 * MINUTE);
    expect(await endDueBakes.run(deps)).toEqual({});
    expect(deps.alarms.calls).toEqual([]);

    deps.clock.advance(21 * MINUTE);
    expect(await endDueBakes.run(deps)).toEqual({
      [staging]: 'bake passed: baked 30 min; 2 alarms OK at the end, no ALARM event during the bake',
    });
    expect(await auditOf(deps, staging)).toMatchObject({ verdict: 'VERIFIED', bake: { state: 'passed' } });
    expect(deps.approvals.requests).toEqual([
      expect.objectContaining({ release: 'v1.2.0', environment: 'production', fromDeploymentId: staging }),
    ]);
    // What the approvers read of staging: the audit and the bake.
    const fromAudit = deps.approvals.requests[0]?.fromAudit;
    expect((await readAudit(deps.store, staging, fromAudit)).line).toBe(
      'VERIFIED (3/3 instances verified); baked 30 min; 2 alarms OK at the end, no ALARM event during the bake',
    );
    expect((await readAudit(deps.store, staging)).line).toBe(
      'VERIFIED (3/3 instances verified); baked 30 min; 2 alarms OK at the end, no ALARM event during the bake',
    );
    const deployment = await deps.store.get<DeploymentRecord>(keys.deployment(staging));
    expect(deployment?.record.bake).toEqual({ state: 'passed', until: '2026-11-20T18:30:00.000Z' });
    expect(await deps.store.get(auditKeys.verified('web', 'staging'))).toBeDefined();

    // A duplicate (a retry, a late alarm event) finds it ended and does nothing.
    expect(await endDueBakes.run(deps)).toEqual({});
    expect(await endBake(deps, { deploymentId: staging, trigger: 'retry' })).toBe(
      'the bake already ended (passed)',
    );
    expect(deps.approvals.requests).toHaveLength(1);
    expect(deps.notifier.sent).toEqual([]);
    expect(deps.metrics.deliveries.filter((d) => d.environment === 'staging')).toEqual([
      { verdict: 'VERIFIED', application: 'web', environment: 'staging' },
    ]);
    expect(deps.metrics.durations.filter((d) => d.environment === 'staging')).toEqual([
      expect.objectContaining({ metric: 'leadTime', application: 'web' }),
    ]);
  });

  it('ends at once as FAILED when a listed alarm goes to ALARM, alerting with the alarm, and blocks the release', async () => {
    const { deps, staging } = await setup();
    deps.clock.advance(5 * MINUTE);
    deps.alarms.states.set('web-staging-5xx', 'ALARM');

    const outcome = await alarmChanged(deps, alarmEvent());

    expect(outcome).toMatchObject({ outcome: 'bakes-ended', alarm: 'web-staging-5xx' });
    const rec = await auditOf(deps, staging);
    expect(rec).toMatchObject({ verdict: 'FAILED', bake: { state: 'failed' } });
    expect(rec?.history.at(-1)?.verdict).toBe('VERIFIED');
    expect(deps.metrics.deliveries.filter((d) => d.environment === 'staging')).toEqual([
      { verdict: 'FAILED', application: 'web', environment: 'staging' },
    ]);
    const [sent] = deps.notifier.sent;
    expect(deps.notifier.sent).toHaveLength(1);
    expect(sent?.notice.message).toContain(
      'alarm web-staging-5xx is ALARM, metric AWS/ApplicationELB/HTTPCode_Target_5XX_Count, threshold GreaterThanThreshold 10',
    );
    expect(sent?.notice.message).toContain('release v1.2.0 is blocked in staging');
    expect(deps.approvals.requests).toEqual([]);
    expect((await advanceRelease(deps, 'web', 'v1.2.0', 'operator promote'))?.step).toMatchObject({
      step: 'blocked',
      code: 'not-verified',
    });
    expect(await deps.store.get(verificationKeys.bake(staging))).toBeUndefined();

    // Redelivered: nothing more.
    expect(await alarmChanged(deps, alarmEvent())).toMatchObject({ outcome: 'ignored', bakes: {} });
    expect(deps.notifier.sent).toHaveLength(1);
    expect(productionCalls(deps)).toEqual([]);
  });

  it('takes the event as evidence even if CloudWatch already reads the alarm OK again', async () => {
    const { deps, staging } = await setup();
    await alarmChanged(deps, alarmEvent());
    expect((await auditOf(deps, staging))?.bake?.reason).toContain('alarm web-staging-5xx is ALARM');
  });

  it('ignores an alarm going back to OK, and an alarm no bake lists', async () => {
    const { deps, staging } = await setup();
    expect(await alarmChanged(deps, alarmEvent('OK'))).toMatchObject({ outcome: 'ignored' });
    expect(deps.alarms.calls).toEqual([]);
    expect((await auditOf(deps, staging))?.bake?.state).toBe('baking');
  });

  it('at its end, an ALARM missed as an event is still caught by DescribeAlarms', async () => {
    const { deps, staging } = await setup();
    deps.alarms.states.set('web-staging-p99', 'ALARM');
    deps.clock.advance(30 * MINUTE);
    const results = (await endDueBakes.run(deps)) as Record<string, string>;
    expect(results[staging]).toMatch(/^bake failed: alarm web-staging-p99 is ALARM/);
    expect((await auditOf(deps, staging))?.verdict).toBe('FAILED');
  });

  it('holds on INSUFFICIENT_DATA (inconclusive: hold): alerts, blocks with bake-held, and an operator audit bakes again', async () => {
    const { deps, staging } = await setup();
    deps.alarms.states.set('web-staging-p99', 'INSUFFICIENT_DATA');
    deps.clock.advance(30 * MINUTE);
    await endDueBakes.run(deps);

    expect(await auditOf(deps, staging)).toMatchObject({ verdict: 'VERIFIED', bake: { state: 'held' } });
    expect(deps.notifier.sent[0]?.notice.subject).toMatch(
      /^Baton web staging: VERIFIED, bake held for release /,
    );
    expect(deps.notifier.sent[0]?.notice.message).toContain('alarm web-staging-p99 is INSUFFICIENT_DATA');
    expect(deps.notifier.sent[0]?.notice.message).toContain(
      [
        'Next:',
        `  baton audit --deployment-id ${staging}   # bake again: a fresh 30-minute bake from now, its alarms watched again`,
        '  baton promote --app web --release v1.2.0 --env production --force --reason "<why it is safe>"   # on to production without the bake (kept on the release timeline)',
      ].join('\n'),
    );
    expect(deps.notifier.sent[0]?.notice.message).not.toContain('read again now');
    expect((await advanceRelease(deps, 'web', 'v1.2.0', 'operator promote'))?.step).toMatchObject({
      code: 'bake-held',
    });
    expect(deps.approvals.requests).toEqual([]);

    await audit(deps, { deploymentId: staging, trigger: 'operator alice', again: true });
    expect((await auditOf(deps, staging))?.bake).toMatchObject({
      state: 'baking',
      since: deps.clock.now().toISOString(),
    });
  });

  it('counts the deployment once: the end of a second bake after a re-audit is not another delivery', async () => {
    const { deps, staging } = await setup();
    await alarmChanged(deps, alarmEvent());
    deps.clock.advance(5 * MINUTE);
    await audit(deps, { deploymentId: staging, trigger: 'operator alice', again: true });
    expect((await auditOf(deps, staging))?.bake?.state).toBe('baking');

    deps.clock.advance(30 * MINUTE);
    await endDueBakes.run(deps);

    expect((await auditOf(deps, staging))?.bake?.state).toBe('passed');
    expect(deps.metrics.deliveries.filter((d) => d.environment === 'staging')).toEqual([
      { verdict: 'FAILED', application: 'web', environment: 'staging' },
    ]);
  });

  it('with inconclusive: fail, the same alarm fails the bake', async () => {
    const { deps, staging } = await setup(baking({ inconclusive: 'fail' }));
    deps.alarms.states.delete('web-staging-p99');
    deps.clock.advance(30 * MINUTE);
    await endDueBakes.run(deps);
    expect(await auditOf(deps, staging)).toMatchObject({
      verdict: 'FAILED',
      bake: { reason: 'inconclusive (fail): alarm web-staging-p99 does not exist' },
    });
  });

  it('with onFailure: rollback, a failed bake redeploys the last VERIFIED revision', async () => {
    const { deps, staging } = await setup(baking({ onFailure: 'rollback' }));
    await rememberEarlier(deps);
    await alarmChanged(deps, alarmEvent());
    expect((await auditOf(deps, staging))?.followUp.done.rollback).toMatch(
      /^redeploy of commit c0ffee00 \(VERIFIED in d-EARLIER01\) requested/,
    );
    expect(deps.deployer.calls.at(-1)).toMatchObject({
      deploymentGroup: 'web-staging',
      key: 'artifacts/web/earlier.zip',
    });
  });
});

describe("baton audit's report of a deployment that bakes", () => {
  const operatorAudit = (deps: Deps, deploymentId: string) =>
    auditCommand({ ...deps, reauditing: reauditingOn(deps) }, { command: 'audit', deploymentId }, 'alice');

  it('says VERIFIED (audit), baking until its end, then VERIFIED (baked)', async () => {
    const { deps, staging } = await setup();

    const baking = await operatorAudit(deps, staging);
    expect(baking).toMatchObject({
      standing: 'VERIFIED (audit), baking until 2026-11-20T18:30:00.000Z',
      bake: 'baking until 2026-11-20T18:30:00.000Z (2 alarms watched)',
    });
    expect('text' in baking && baking.text).toContain(
      `VERIFIED (audit), baking until 2026-11-20T18:30:00.000Z: web v1.2.0 (commit ${COMMIT.slice(0, 12)}) in staging, deployment ${staging}\n`,
    );
    expect(show('audit', baking)).toContain(
      'Recorded as VERIFIED (audit), baking until 2026-11-20T18:30:00.000Z in the ledger',
    );

    deps.clock.advance(30 * MINUTE);
    await endDueBakes.run(deps);
    const baked = await operatorAudit(deps, staging);
    expect(baked).toMatchObject({ standing: 'VERIFIED (baked)' });
    expect('text' in baked && baked.text).toContain('\nBake: baked 30 min;');
  });

  it('says bake held, and bake failed with the alarm', async () => {
    const { deps, staging } = await setup();
    await alarmChanged(deps, alarmEvent());
    const rec = await auditOf(deps, staging);
    if (!rec) throw new Error('no audit');

    const failed = renderReport(rec.report, {
      application: 'web',
      environment: 'staging',
      bake: rec.bake,
    }).text;
    const held = renderReport(
      { ...rec.report, verdict: 'VERIFIED' },
      {
        application: 'web',
        environment: 'staging',
        ...(rec.bake ? { bake: { ...rec.bake, state: 'held', reason: 'inconclusive (hold): x' } } : {}),
      },
    ).text;

    expect(failed).toMatch(/^FAILED \(bake failed\): web in staging/);
    expect(failed).toContain('\nBake: bake failed: alarm web-staging-5xx is ALARM');
    expect(held).toMatch(/^VERIFIED \(audit\), bake held: web in staging/);
  });
});

describe('a bake whose environment got a newer deployment', () => {
  const startNewer = async (deps: Deps) => {
    deps.clock.advance(2 * MINUTE);
    const started = await requestDeployment(deps, {
      application: 'web',
      environment: 'staging',
      artifact: { bucket: 'pipeline', key: 'artifacts/web/newer.zip', etag: '"n1"', commit: 'c0ffee11' },
      cause: { type: 'operator', detail: 'deploy by alice' },
      dedupeKey: 'newer',
    });
    if (started.outcome !== 'started') throw new Error(`not started: ${started.outcome}`);
    return started.deploymentId;
  };

  it("ends as superseded, never judged on the newer deployment's alarms, and blocks its release there", async () => {
    const { deps, staging } = await setup(baking({ onFailure: 'rollback' }));
    const newer = await startNewer(deps);
    deps.alarms.states.set('web-staging-5xx', 'ALARM');

    const outcome = await alarmChanged(deps, alarmEvent());

    expect(outcome.bakes[staging]).toBe(`bake superseded: deployment ${newer} started in staging`);
    const rec = await auditOf(deps, staging);
    expect(rec).toMatchObject({ verdict: 'VERIFIED', bake: { state: 'superseded' } });
    expect(rec?.followUp.done.rollback).toBe('not needed');
    expect(deps.deployer.calls.filter((c) => c.deploymentGroup === 'web-staging')).toHaveLength(2);
    expect((await advanceRelease(deps, 'web', 'v1.2.0', 'operator promote'))?.step).toMatchObject({
      step: 'blocked',
      code: 'bake-superseded',
    });
    expect(deps.notifier.sent[0]?.notice.message).toContain(
      `bake superseded: deployment ${newer} started in staging`,
    );
    expect(deps.approvals.requests).toEqual([]);
    expect(await deps.store.get(verificationKeys.bake(staging))).toBeUndefined();
  });

  it('ends as superseded at the next reconcile, before its time is up', async () => {
    const { deps, staging } = await setup();
    const newer = await startNewer(deps);
    expect(await endDueBakes.run(deps)).toEqual({
      [staging]: `bake superseded: deployment ${newer} started in staging`,
    });
    expect(deps.alarms.calls).toEqual([]);
    expect((await auditOf(deps, staging))?.bake?.state).toBe('superseded');
  });

  it('at its end, is superseded rather than passed', async () => {
    const { deps, staging } = await setup();
    await startNewer(deps);
    deps.clock.advance(30 * MINUTE);
    const results = (await endDueBakes.run(deps)) as Record<string, string>;
    expect(results[staging]).toMatch(/^bake superseded: deployment d-FAKE\d+ started in staging$/);
    expect(deps.approvals.requests).toEqual([]);
    expect(productionCalls(deps)).toEqual([]);
  });

  it("refuses a failed bake's rollback once a newer deployment started there", async () => {
    const { deps, staging } = await setup(baking({ onFailure: 'rollback' }));
    await rememberEarlier(deps);
    const rec = await auditOf(deps, staging);
    if (!rec?.bake) throw new Error('no bake');
    const newer = await startNewer(deps);
    // The bake failed just before the newer deployment started; its follow-up runs after.
    const failed: AuditRecord = {
      ...rec,
      verdict: 'FAILED',
      report: { ...rec.report, verdict: 'FAILED' },
      bake: { ...rec.bake, state: 'failed', reason: 'alarm web-staging-5xx is ALARM' },
      followUp: { state: 'pending', claimedAt: rec.auditedAt, done: {} },
    };

    const after = await followUp(deps, failed);

    expect(after.followUp.done.rollback).toBe(`none: deployment ${newer} started in staging after this one`);
    expect(deps.deployer.calls.filter((c) => c.key === 'artifacts/web/earlier.zip')).toEqual([]);
  });
});

describe('the end of a bake, under races and failures', () => {
  it('judges again when another write changed the audit record meanwhile: the ALARM event is not lost', async () => {
    const { deps, staging } = await setup();
    deps.alarms.states.set('web-staging-5xx', 'ALARM');
    // The audit's follow-up saves its progress while the bake reads CloudWatch.
    deps.alarms.meanwhile = async () => {
      const stored = await deps.store.get<AuditRecord>(auditKeys.audit(staging));
      if (stored) await deps.store.put(auditKeys.audit(staging), { ...stored.record, trigger: 'saved' });
    };

    const outcome = await alarmChanged(deps, alarmEvent());

    expect(outcome.bakes[staging]).toMatch(/^bake failed: alarm web-staging-5xx is ALARM/);
    expect((await auditOf(deps, staging))?.verdict).toBe('FAILED');
    expect(deps.alarms.calls).toHaveLength(2);
  });

  it('ignores an ALARM event from before the bake began (a late or redelivered one)', async () => {
    const { deps, staging } = await setup();
    const early = alarmEvent();
    early.detail.state.timestamp = '2026-11-20T17:59:59.000+0000';

    const outcome = await alarmChanged(deps, early);

    expect(outcome.bakes[staging]).toBe('the event is older than the bake (since 2026-11-20T18:00:00.000Z)');
    expect((await auditOf(deps, staging))?.bake?.state).toBe('baking');
    expect(deps.notifier.sent).toEqual([]);
  });

  it('keeps a follow-up to resume when the end dies after recording it: reconcile moves the release on', async () => {
    const { deps, staging } = await setup();
    deps.clock.advance(30 * MINUTE);
    const replace = deps.store.replace.bind(deps.store);
    deps.store.replace = async (...args: Parameters<typeof replace>) => {
      const etag = await replace(...args);
      deps.store.replace = replace;
      throw new Error(`the function timed out (replace ${etag ? 'done' : 'refused'})`);
    };
    await expect(endDueBakes.run(deps)).resolves.toMatchObject({ [staging]: 'failed: Error' });
    expect(await deps.store.get(auditKeys.openFollowUp(staging))).toBeDefined();

    deps.clock.advance(5 * MINUTE);
    await resumeFollowUps.run(deps);

    expect(deps.approvals.requests).toEqual([
      expect.objectContaining({ release: 'v1.2.0', environment: 'production', fromDeploymentId: staging }),
    ]);
    expect(await deps.store.get(auditKeys.openFollowUp(staging))).toBeUndefined();
  });

  it("a stale first follow-up never records its VERIFIED over the bake's FAILED on the deployment", async () => {
    const { deps, staging } = await setup();
    const first = await auditOf(deps, staging);
    if (!first) throw new Error('no audit');
    deps.clock.advance(5 * MINUTE);
    await alarmChanged(deps, alarmEvent());
    // The first audit's follow-up, resumed late from the record as it read it.
    await followUp(deps, { ...first, followUp: { state: 'pending', claimedAt: first.auditedAt, done: {} } });

    const deployment = (await deps.store.get<DeploymentRecord>(keys.deployment(staging)))?.record;
    expect(deployment).toMatchObject({ verdict: 'FAILED', bake: { state: 'failed' } });
    expect(deployment?.verdictAt).toBe((await auditOf(deps, staging))?.auditedAt);
  });

  it("never deletes a re-audit's new mark that an alarm event finds before the re-audit's record", async () => {
    const { deps, staging } = await setup();
    deps.alarms.states.set('web-staging-p99', 'INSUFFICIENT_DATA');
    deps.clock.advance(30 * MINUTE);
    await endDueBakes.run(deps);
    expect((await auditOf(deps, staging))?.bake?.state).toBe('held');
    // The operator's re-audit wrote its new mark and has not yet replaced the held record.
    const mark = { v: 1, deploymentId: staging, until: '2026-11-20T19:00:00.000Z', alarms: ALARMS };
    await deps.store.put(verificationKeys.bake(staging), mark);

    await alarmChanged(deps, alarmEvent());

    expect((await deps.store.get(verificationKeys.bake(staging)))?.record).toEqual(mark);
  });
});

describe('a bake that cannot end', () => {
  const denied = () => Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });

  it('alerts once, at its end, when CloudWatch refuses to read its alarms', async () => {
    const { deps, staging } = await setup();
    deps.alarms.read = async () => {
      throw denied();
    };
    deps.clock.advance(30 * MINUTE);

    const results = (await endDueBakes.run(deps)) as Record<string, string>;
    deps.clock.advance(5 * MINUTE);
    await endDueBakes.run(deps);

    expect(results[staging]).toBe('failed: AlarmsUnreadableError');
    expect((await auditOf(deps, staging))?.bake?.state).toBe('baking');
    expect(deps.notifier.sent).toHaveLength(1);
    const [sent] = deps.notifier.sent;
    expect(sent?.notice.subject).toBe('Baton web staging: bake cannot end, release v1.2.0 waits');
    expect(sent?.notice.message).toContain(
      `The bake of deployment ${staging} in staging, due at 2026-11-20T18:30:00.000Z, has not ended: its alarms cannot be read (DescribeAlarms failed: AccessDeniedException)`,
    );
    expect(sent?.notice.message).not.toContain('not authorized');
    expect(sent?.notice.message).toContain(
      '  baton promote --app web --release v1.2.0 --env production --force --reason "<why it is safe>"',
    );
  });

  it('alerts at its end when no alarm reader is wired', async () => {
    const { deps, staging } = await setup();
    const noReader = { ...deps, alarms: undefined };
    deps.clock.advance(30 * MINUTE);

    expect(await endDueBakes.run(noReader)).toEqual({ [staging]: 'no alarm reader wired: the bake waits' });

    expect(deps.notifier.sent[0]?.notice.message).toContain(
      'its alarms cannot be read (no alarm reader is wired)',
    );
  });

  it('alerts once it is overdue by two reconcile intervals, whatever keeps it from ending', async () => {
    const { deps, staging } = await setup();
    // Every replace of the audit record meets another write.
    deps.store.replace = async () => false;
    deps.clock.advance(30 * MINUTE);
    await endDueBakes.run(deps);
    deps.clock.advance(5 * MINUTE);
    await endDueBakes.run(deps);
    expect(deps.notifier.sent).toEqual([]);

    deps.clock.advance(5 * MINUTE);
    expect(await endDueBakes.run(deps)).toEqual({ [staging]: 'failed: BakeEndConflictError' });

    expect(deps.notifier.sent).toHaveLength(1);
    expect(deps.notifier.sent[0]?.notice.message).toContain(
      `the audit record of ${staging} kept changing while its bake ended`,
    );
  });
});
