// Reconcile: stale deployments audited, abandoned follow-ups resumed, queued deployments started.
import { describe, expect, it } from 'vitest';
import { run } from '../../functions/reconcile/handler';
import { audit, FOLLOW_UP_LEASE_MS } from '../../shared/audit/audit';
import type { AuditRecord } from '../../shared/audit/records';
import { requestDeployment } from '../../shared/deployments/deployments';
import { auditKeys, keys } from '../../shared/ledger/keys';
import type { DeploymentRecord, GroupSlot } from '../../shared/ledger/records';
import {
  auditStaleDeployments,
  type ReconcileStep,
  reconcile,
  reconcileSteps,
  startQueuedDeployments,
} from '../../shared/reconcile/reconcile';
import { type AuditTestDeps, auditMemoryDeps, deployed } from '../support/audit';
import { COMMIT, COMMIT2 } from '../support/fixtures';
import {
  lambdaAppSpec,
  lambdaArtifactRef,
  platformPipeline,
  uploadLambdaArtifact,
} from '../support/platforms';

const minutes = (n: number) => n * 60_000;
const verdictOf = async (deps: ReturnType<typeof auditMemoryDeps>, id: string) =>
  (await deps.store.get<DeploymentRecord>(keys.deployment(id)))?.record.verdict;
const stepResult = (results: Awaited<ReturnType<typeof reconcile>>, name: string) =>
  results.find((r) => r.step === name);

describe('reconcile', () => {
  it('audits a finished deployment whose event never came, once it is stale, and starts what was queued', async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'dev', COMMIT);
    await requestDeployment(deps, {
      application: 'web',
      environment: 'dev',
      artifact: { bucket: 'pipeline', key: `artifacts/web/${COMMIT2}.zip`, etag: '"e2"', commit: COMMIT2 },
      cause: { type: 'branch', detail: 'push to main' },
      dedupeKey: COMMIT2,
    });

    const early = await run({}, deps);
    expect(stepResult(early.steps, 'auditStaleDeployments')).toEqual({
      step: 'auditStaleDeployments',
      ok: true,
      result: {},
    });
    expect(await verdictOf(deps, id)).toBeUndefined();

    deps.clock.advance(minutes(31));
    const late = await run({}, deps);

    expect(stepResult(late.steps, 'auditStaleDeployments')).toEqual({
      step: 'auditStaleDeployments',
      ok: true,
      result: { [id]: 'VERIFIED' },
    });
    expect(await verdictOf(deps, id)).toBe('VERIFIED');
    expect((await deps.store.get<AuditRecord>(auditKeys.audit(id)))?.record.trigger).toBe('reconcile');
    expect(deps.deployer.calls.map((c) => c.key)).toEqual(
      [COMMIT, COMMIT2].map((c) => `artifacts/web/${c}.zip`),
    );
  });

  it('leaves a stale deployment alone while CodeDeploy is still at it', async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'dev', COMMIT, { status: 'InProgress' });
    deps.clock.advance(minutes(45));
    const results = await reconcile(deps);
    expect(stepResult(results, 'auditStaleDeployments')).toMatchObject({
      result: { [id]: 'still InProgress' },
    });
    expect(await deps.store.get(auditKeys.audit(id))).toBeUndefined();
  });

  it('resumes a follow-up abandoned half-way once its lease ran out', async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'staging', COMMIT, { release: 'v1.2.0' });
    const advance = deps.releaseFlow.advance.bind(deps.releaseFlow);
    deps.releaseFlow.advance = async () => {
      throw new Error('timeout');
    };
    await expect(audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' })).rejects.toThrow(
      'advance',
    );
    deps.releaseFlow.advance = advance;

    expect(stepResult(await reconcile(deps), 'resumeFollowUps')).toMatchObject({
      result: { [id]: 'recorded-earlier' },
    });
    deps.clock.advance(FOLLOW_UP_LEASE_MS + 1);
    expect(stepResult(await reconcile(deps), 'resumeFollowUps')).toMatchObject({
      result: { [id]: 'audited' },
    });
    expect(deps.releaseFlow.calls).toHaveLength(1);
    expect(stepResult(await reconcile(deps), 'resumeFollowUps')).toMatchObject({ result: {} });
  });

  it("resumes by its group's slot a first follow-up that stopped before freeing the group (it has no open mark)", async () => {
    // Prepare: the invocation dies in the release step (its advance never returns).
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'staging', COMMIT, { release: 'v1.2.0' });
    const advance = deps.releaseFlow.advance.bind(deps.releaseFlow);
    deps.releaseFlow.advance = () => new Promise<void>(() => {});
    void audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    deps.releaseFlow.advance = advance;
    const marks = await deps.store.list(auditKeys.openFollowUps());
    const early = stepResult(await reconcile(deps), 'auditStaleDeployments');
    deps.clock.advance(FOLLOW_UP_LEASE_MS + 1);
    // Act
    const late = stepResult(await reconcile(deps), 'auditStaleDeployments');
    // Assess
    expect(marks).toEqual([]);
    expect(early).toMatchObject({ result: { [id]: 'follow-up under way' } });
    expect(late).toMatchObject({ result: { [id]: 'follow-up resumed' } });
    expect(deps.releaseFlow.calls).toHaveLength(1);
    expect((await deps.store.get<AuditRecord>(auditKeys.audit(id)))?.record.followUp.state).toBe('done');
    expect(await deps.store.get(keys.slot('web', 'staging'))).toBeUndefined();
  });

  it('frees a group whose deployment finished its follow-up before its launch was recorded as holding it', async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'dev', COMMIT);
    await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
    // The slot put back naming it, as a launch recorded late would leave it.
    await deps.store.put(keys.slot('web', 'dev'), { v: 1, requestId: 'r', deploymentId: id, takenAt: 'x' });
    const results = stepResult(await reconcile(deps), 'auditStaleDeployments');
    expect(results).toMatchObject({ result: { [id]: 'follow-up done; group released (idle)' } });
    expect(await deps.store.get(keys.slot('web', 'dev'))).toBeUndefined();
  });

  it('starts a queued deployment in every environment whose group is free', async () => {
    const deps = auditMemoryDeps();
    const results = await reconcile(deps);
    expect(stepResult(results, 'startQueuedDeployments')).toEqual({
      step: 'startQueuedDeployments',
      ok: true,
      result: { 'web/dev': 'idle', 'web/staging': 'idle', 'web/production': 'idle' },
    });
  });

  it('runs every step even when one fails, and takes new steps as list entries', async () => {
    const deps = auditMemoryDeps();
    const broken: ReconcileStep = {
      name: 'broken',
      run: async () => {
        throw new TypeError('nope');
      },
    };
    const extra: ReconcileStep = { name: 'extra', run: async () => ({ done: 1 }) };
    const results = await reconcile(deps, [broken, auditStaleDeployments, startQueuedDeployments, extra]);
    expect(results.map((r) => [r.step, r.ok])).toEqual([
      ['broken', false],
      ['auditStaleDeployments', true],
      ['startQueuedDeployments', true],
      ['extra', true],
    ]);
    expect(results[0]).toEqual({ step: 'broken', ok: false, error: 'TypeError' });
    expect(results[3]).toEqual({ step: 'extra', ok: true, result: { done: 1 } });
    expect(reconcileSteps.slice(0, 5).map((s) => s.name)).toEqual([
      'auditStaleDeployments',
      'resumeFollowUps',
      'reauditIncomplete',
      'endDueBakes',
      'startQueuedDeployments',
    ]);
  });
});

describe('reconcile after a finish event that overtook the launch record', () => {
  it('audits again with the ledger facts, records the verdict and frees the group', async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'dev', COMMIT);
    // The finish event is audited before the launch is recorded: the audit sees a deployment Baton
    // did not start, and cannot free the slot, which then names the deployment.
    const record = await deps.store.get<DeploymentRecord>(keys.deployment(id));
    const slot = await deps.store.get<GroupSlot>(keys.slot('web', 'dev'));
    await deps.store.delete(keys.deployment(id));
    await deps.store.put(keys.slot('web', 'dev'), { ...slot?.record, deploymentId: undefined });
    await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
    await deps.store.put(keys.deployment(id), record?.record);
    await deps.store.put(keys.slot('web', 'dev'), slot?.record);
    expect((await deps.store.get<AuditRecord>(auditKeys.audit(id)))?.record.inLedger).toBe(false);

    deps.clock.advance(minutes(31));
    await run({}, deps);

    expect(await verdictOf(deps, id)).toBe('VERIFIED');
    expect(await deps.store.get(keys.slot('web', 'dev'))).toBeUndefined();
  });
});

describe('reconcile starting queued Lambda deployments', () => {
  const queue = async (deps: AuditTestDeps, environment: string, dedupeKey: string) =>
    requestDeployment(deps, {
      application: 'fn',
      environment,
      artifact: lambdaArtifactRef(COMMIT),
      cause: { type: 'operator', detail: 'operator ana' },
      dedupeKey,
    });

  it('alerts once when an alias refuses the launch, and still starts the next environment', async () => {
    const deps = auditMemoryDeps(platformPipeline());
    await uploadLambdaArtifact(deps, COMMIT, 'v1', lambdaAppSpec());
    deps.lambda.aliases.versions.set('fn-api:dev', '7');
    deps.lambda.aliases.versions.set('fn-api:live', '5');
    // dev and production each run one deployment and have one more queued; then their groups free up
    // while dev's alias is moved onto $LATEST by hand.
    for (const env of ['dev', 'production']) {
      expect((await queue(deps, env, `${env}-1`)).outcome).toBe('started');
      expect((await queue(deps, env, `${env}-2`)).outcome).toBe('queued');
      await deps.store.delete(keys.slot('fn', env));
    }
    deps.lambda.aliases.versions.set('fn-api:dev', '$LATEST');
    const launched = deps.deployer.calls.length;

    const first = await reconcile(deps, [startQueuedDeployments]);
    const again = await reconcile(deps, [startQueuedDeployments]);

    const rule =
      'applications.fn.environments.dev.group.lambda.alias: the alias dev points to $LATEST, not a published version';
    expect(first[0]).toMatchObject({
      ok: true,
      result: { 'fn/dev': `refused: ${rule}`, 'fn/production': 'started' },
    });
    expect(again[0]).toMatchObject({ ok: true, result: { 'fn/dev': `refused: ${rule}` } });
    expect(deps.deployer.calls.length).toBe(launched + 1);
    const alerts = deps.notifier.sent.map((p) => p.notice);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.subject).toBe('Baton fn dev: reconcile refused an event (lambda-alias)');
    expect(alerts[0]?.message).toContain(rule);
  });
});
