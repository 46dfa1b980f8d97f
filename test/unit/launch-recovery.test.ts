// Deployments that stopped half-way: a redelivered event takes on a request its first delivery left
// pending; a launch whose CreateDeployment outcome is unknown keeps the group's slot, and reconcile,
// once the lease ran out, records the deployment CodeDeploy did create or creates it. Never twice.
import { describe, expect, it } from 'vitest';
import { audit } from '../../shared/audit/audit';
import type { AuditRecord } from '../../shared/audit/records';
import type {
  CreateDeploymentInput,
  Deployer,
  DeploymentLookup,
  DeploymentQuery,
} from '../../shared/core/ports';
import { DeploymentOutcomeUnknownError } from '../../shared/core/rules/errors';
import { releaseGroup } from '../../shared/deployments/deployment-queue';
import { requestDeployment } from '../../shared/deployments/deployments';
import { LAUNCH_LEASE_MS, recoverLaunches, resumePending } from '../../shared/deployments/stalled-launches';
import { auditKeys, keys } from '../../shared/ledger/keys';
import { MemoryStore } from '../../shared/ledger/memory-store';
import type {
  DeploymentRecord,
  DeploymentRequest,
  EnvironmentHead,
  GroupSlot,
} from '../../shared/ledger/records';
import { auditMemoryDeps, target } from '../support/audit';
import { COMMIT, COMMIT2 } from '../support/fixtures';

/** CodeDeploy in memory, with the two ways a CreateDeployment can end unknown. */
class UncertainDeployer implements Deployer, DeploymentLookup {
  readonly created: { deploymentId: string; input: CreateDeploymentInput; createdAt: string }[] = [];
  next?: 'created-answer-lost' | 'not-created' | 'refused';
  /** What CodeDeploy says of the deployments it created. */
  status = 'InProgress';
  async createDeployment(input: CreateDeploymentInput) {
    const mode = this.next;
    this.next = undefined;
    if (mode === 'not-created') throw new DeploymentOutcomeUnknownError('throttled after 4 attempts');
    if (mode === 'refused') throw new Error('InvalidRevisionException');
    const deploymentId = `d-UNCERTAIN${this.created.length + 1}`;
    this.created.push({ deploymentId, input, createdAt: '2026-11-20T18:00:05.000Z' });
    if (mode === 'created-answer-lost') throw new DeploymentOutcomeUnknownError('socket hang up, then busy');
    return deploymentId;
  }
  async find(q: DeploymentQuery) {
    const found = this.created.find(
      (d) => d.input.deploymentGroup === q.deploymentGroup && d.input.description.includes(q.marker),
    );
    return found && { deploymentId: found.deploymentId, status: this.status, createdAt: found.createdAt };
  }
}

/** A ledger whose writes to keys under `prefix` fail (an S3 outage outlasting the retries). */
class FailingStore extends MemoryStore {
  failing?: { op: 'create' | 'put' | 'replace'; prefix: string };
  override async create(key: string, record: unknown) {
    if (this.failing?.op === 'create' && key.startsWith(this.failing.prefix))
      throw new Error('InternalError');
    return super.create(key, record);
  }
  override async replace(key: string, record: unknown, etag: string) {
    if (this.failing?.op === 'replace' && key.startsWith(this.failing.prefix))
      throw new Error('InternalError');
    return super.replace(key, record, etag);
  }
  override async put(key: string, record: unknown) {
    if (this.failing?.op === 'put' && key.startsWith(this.failing.prefix)) throw new Error('InternalError');
    return super.put(key, record);
  }
}

const setup = () => {
  const deployer = new UncertainDeployer();
  const store = new FailingStore();
  return { ...auditMemoryDeps(), deployer, store, lookup: deployer };
};
type Deps = ReturnType<typeof setup>;

/** `fresh`: the request's cause was recorded by the same invocation (a new artifact): the slot carries it. */
const ask = (deps: Deps, commit = COMMIT, fresh = false) =>
  requestDeployment(deps, {
    application: 'web',
    environment: 'dev',
    artifact: { bucket: 'pipeline', key: `artifacts/web/${commit}.zip`, etag: '"e"', commit },
    cause: { type: 'branch', detail: 'push to main' },
    dedupeKey: `artifact:${commit}`,
    ...(fresh ? { fresh } : {}),
  });
const askFresh = (deps: Deps, commit = COMMIT) => ask(deps, commit, true);
const slotOf = async (deps: Deps) => (await deps.store.get<GroupSlot>(keys.slot('web', 'dev')))?.record;
const requestOf = async (deps: Deps, id: string) =>
  (await deps.store.get<DeploymentRequest>(keys.request('web', 'dev', id)))?.record;
const recover = (deps: Deps) => recoverLaunches(deps);

describe('a redelivered event', () => {
  it('takes on a request its first delivery left pending, and a third delivery is a duplicate', async () => {
    // Prepare: the first delivery writes the request, then the ledger fails on the group's slot.
    const deps = setup();
    deps.store.failing = { op: 'create', prefix: 'slots/' };
    await expect(ask(deps)).rejects.toThrow('InternalError');
    const id = (await deps.store.list('requests/web/dev/'))[0]?.replace(/^.*\/|\.json$/g, '') ?? '';
    expect((await requestOf(deps, id))?.state).toBe('pending');
    // Act
    deps.store.failing = undefined;
    const second = await ask(deps);
    const third = await ask(deps);
    // Assess
    expect(second).toMatchObject({ outcome: 'started', requestId: id, deploymentId: 'd-UNCERTAIN1' });
    expect(third).toEqual({ outcome: 'duplicate', requestId: id, state: 'started' });
    expect(deps.deployer.created).toHaveLength(1);
  });

  it('leaves alone a request whose launch holds the slot', async () => {
    const deps = setup();
    deps.deployer.next = 'created-answer-lost';
    await expect(ask(deps)).rejects.toThrow(DeploymentOutcomeUnknownError);
    const again = await ask(deps);
    expect(again).toMatchObject({ outcome: 'duplicate', state: 'pending' });
    expect(deps.deployer.created).toHaveLength(1);
    expect(await slotOf(deps)).toMatchObject({ requestId: again.requestId });
    expect((await slotOf(deps))?.deploymentId).toBeUndefined();
  });
});

describe('reconcile and requests left pending', () => {
  it('deploys, once the lease ran out, a request whose invocation stopped and whose event never came back', async () => {
    // Prepare: the slot write fails; the event is never delivered again (its retries failed too).
    const deps = setup();
    deps.store.failing = { op: 'create', prefix: 'slots/' };
    await expect(ask(deps)).rejects.toThrow('InternalError');
    deps.store.failing = undefined;
    const [mark = ''] = await deps.store.list('open-requests/');
    const early = await resumePending(deps);
    deps.clock.advance(LAUNCH_LEASE_MS + 1);
    // Act
    const late = await resumePending(deps);
    const again = await resumePending(deps);
    // Assess
    expect(mark).toMatch(/^open-requests\/web\/dev\/2026-11-20T18:00:00.000Z_[0-9a-f]+\.json$/);
    expect(early).toEqual({});
    expect(Object.values(late)).toEqual(['started d-UNCERTAIN1']);
    expect(again).toEqual({});
    expect(await deps.store.list('open-requests/')).toEqual([]);
    expect(deps.deployer.created).toHaveLength(1);
  });

  it('leaves no open mark behind a request that was started, queued or a duplicate', async () => {
    const deps = setup();
    await ask(deps);
    await ask(deps);
    await ask(deps, COMMIT2);
    expect(await deps.store.list('open-requests/')).toEqual([]);
  });
});

describe('reconcile and launches whose outcome is unknown', () => {
  it('records the deployment CodeDeploy did create, once the lease ran out', async () => {
    // Prepare
    const deps = setup();
    deps.deployer.next = 'created-answer-lost';
    await expect(ask(deps)).rejects.toThrow(DeploymentOutcomeUnknownError);
    const early = await recover(deps);
    deps.clock.advance(LAUNCH_LEASE_MS + 1);
    // Act
    const late = await recover(deps);
    // Assess
    expect(early['web/dev']).toBe('launch under way');
    expect(late['web/dev']).toMatch(/found d-UNCERTAIN1 in CodeDeploy, recorded \(InProgress\)$/);
    const slot = await slotOf(deps);
    expect(slot?.deploymentId).toBe('d-UNCERTAIN1');
    expect(await requestOf(deps, slot?.requestId ?? '')).toMatchObject({
      state: 'started',
      deploymentId: 'd-UNCERTAIN1',
    });
    expect((await deps.store.get<EnvironmentHead>(keys.head('web', 'dev')))?.record.deploymentId).toBe(
      'd-UNCERTAIN1',
    );
    expect((await deps.store.get<DeploymentRecord>(keys.deployment('d-UNCERTAIN1')))?.record.createdAt).toBe(
      '2026-11-20T18:00:05.000Z',
    );
    expect(deps.deployer.created).toHaveLength(1);
    expect((await recover(deps))['web/dev']).toBe('nothing stalled');
  });

  it('creates the deployment CodeDeploy did not create, once', async () => {
    const deps = setup();
    deps.deployer.next = 'not-created';
    await expect(ask(deps)).rejects.toThrow(DeploymentOutcomeUnknownError);
    deps.clock.advance(LAUNCH_LEASE_MS + 1);
    const results = await recover(deps);
    expect(results['web/dev']).toMatch(/not in CodeDeploy, created d-UNCERTAIN1$/);
    expect(deps.deployer.created).toHaveLength(1);
    expect(await slotOf(deps)).toMatchObject({ deploymentId: 'd-UNCERTAIN1' });
  });

  it('a launch that stopped before recording a deployment that finished: audited as Baton own, the queue moves', async () => {
    // Prepare: CreateDeployment succeeds, recording it fails; the finish event is audited meanwhile.
    const deps = setup();
    deps.store.failing = { op: 'create', prefix: 'deployments/' };
    await expect(ask(deps)).rejects.toThrow('InternalError');
    deps.store.failing = undefined;
    deps.reader.add(
      'd-UNCERTAIN1',
      { deploymentGroup: 'web-dev' },
      ['i-1', 'i-2', 'i-3'].map((i) => target(i)),
    );
    const stranger = await audit(deps, {
      deploymentId: 'd-UNCERTAIN1',
      trigger: 'eventbridge SUCCESS',
      group: { codedeployApplication: 'baton-web', deploymentGroup: 'web-dev' },
    });
    const queued = await ask(deps, COMMIT2);
    deps.deployer.status = 'Succeeded';
    deps.clock.advance(LAUNCH_LEASE_MS + 1);
    // Act
    const results = await recover(deps);
    // Assess
    expect(stranger).toMatchObject({ outcome: 'audited', verdict: 'VERIFIED' });
    expect(queued.outcome).toBe('queued');
    expect(results['web/dev']).toMatch(/found d-UNCERTAIN1 in CodeDeploy, recorded; audited VERIFIED$/);
    const record = await deps.store.get<AuditRecord>(auditKeys.audit('d-UNCERTAIN1'));
    expect(record?.record).toMatchObject({ inLedger: true, followUp: { state: 'done' } });
    expect((await deps.store.get<DeploymentRecord>(keys.deployment('d-UNCERTAIN1')))?.record.verdict).toBe(
      'VERIFIED',
    );
    expect(deps.deployer.created.map((d) => d.deploymentId)).toEqual(['d-UNCERTAIN1', 'd-UNCERTAIN2']);
    expect(await requestOf(deps, queued.requestId)).toMatchObject({
      state: 'started',
      deploymentId: 'd-UNCERTAIN2',
    });
  });

  it('frees a slot a queue pick abandoned, and the queue moves', async () => {
    const deps = setup();
    await deps.store.put(keys.slot('web', 'dev'), {
      v: 1,
      requestId: 'queue',
      takenAt: deps.clock.now().toISOString(),
    });
    const queued = await ask(deps);
    deps.clock.advance(LAUNCH_LEASE_MS + 1);
    const results = await recover(deps);
    expect(queued.outcome).toBe('queued');
    expect(results['web/dev']).toBe(`abandoned slot freed; started ${queued.requestId}`);
    expect(deps.deployer.created).toHaveLength(1);
  });
});

describe('the queue', () => {
  it('drops an entry of the request that already started (queued by a racing duplicate), never deploys it twice', async () => {
    const deps = setup();
    const started = await ask(deps);
    if (started.outcome !== 'started') throw new Error('not started');
    const request = await requestOf(deps, started.requestId);
    await deps.store.put(keys.queueEntry('web', 'dev', request?.requestedAt ?? '', started.requestId), {
      v: 1,
      requestId: started.requestId,
    });
    const next = await releaseGroup(deps, 'web', 'dev', started.deploymentId);
    expect(next).toBe('idle');
    expect(deps.deployer.created).toHaveLength(1);
    expect(await deps.store.list(keys.queue('web', 'dev'))).toEqual([]);
    expect((await requestOf(deps, started.requestId))?.state).toBe('started');
  });
});

describe('a fresh request (its cause recorded by the same invocation)', () => {
  it('goes for the slot first and writes its request once, as started; no mark, no pending record', async () => {
    const deps = setup();
    const outcome = await askFresh(deps);
    expect(outcome).toMatchObject({ outcome: 'started', deploymentId: 'd-UNCERTAIN1' });
    expect(await requestOf(deps, outcome.requestId)).toMatchObject({
      state: 'started',
      deploymentId: 'd-UNCERTAIN1',
    });
    expect(await slotOf(deps)).toEqual({
      v: 1,
      requestId: outcome.requestId,
      deploymentId: 'd-UNCERTAIN1',
      takenAt: expect.any(String),
    });
    expect(await deps.store.list('open-requests/')).toEqual([]);
    expect(await ask(deps)).toEqual({ outcome: 'duplicate', requestId: outcome.requestId, state: 'started' });
  });

  it('whose CreateDeployment outcome is unknown: reconcile records the deployment from the request in the slot', async () => {
    // Prepare
    const deps = setup();
    deps.deployer.next = 'created-answer-lost';
    await expect(askFresh(deps)).rejects.toThrow(DeploymentOutcomeUnknownError);
    const claim = await slotOf(deps);
    deps.clock.advance(LAUNCH_LEASE_MS + 1);
    // Act
    const late = await recover(deps);
    // Assess: only the slot knew the request; now its record says it started, once.
    expect(claim?.request).toMatchObject({ id: claim?.requestId, state: 'pending' });
    expect(await requestOf(deps, claim?.requestId ?? '')).toMatchObject({
      state: 'started',
      deploymentId: 'd-UNCERTAIN1',
    });
    expect(late['web/dev']).toMatch(/found d-UNCERTAIN1 in CodeDeploy, recorded \(InProgress\)$/);
    expect(deps.deployer.created).toHaveLength(1);
  });

  it('that CodeDeploy did not create: reconcile creates it from the request in the slot, once', async () => {
    const deps = setup();
    deps.deployer.next = 'not-created';
    await expect(askFresh(deps)).rejects.toThrow(DeploymentOutcomeUnknownError);
    const redelivered = await ask(deps);
    deps.clock.advance(LAUNCH_LEASE_MS + 1);
    const results = await recover(deps);
    expect(redelivered).toMatchObject({ outcome: 'duplicate', state: 'pending' });
    expect(results['web/dev']).toMatch(/not in CodeDeploy, created d-UNCERTAIN1$/);
    expect(deps.deployer.created).toHaveLength(1);
    expect(await requestOf(deps, redelivered.requestId)).toMatchObject({ state: 'started' });
  });

  it('whose slot write fails: recorded the marked way instead, and reconcile finds it', async () => {
    const deps = setup();
    deps.store.failing = { op: 'create', prefix: 'slots/' };
    await expect(askFresh(deps)).rejects.toThrow('InternalError');
    deps.store.failing = undefined;
    deps.clock.advance(LAUNCH_LEASE_MS + 1);
    const late = await resumePending(deps);
    expect(Object.values(late)).toEqual(['started d-UNCERTAIN1']);
    expect(deps.deployer.created).toHaveLength(1);
  });

  it('whose launch stopped before the slot named it: the first follow-up frees the claim, the queue moves', async () => {
    // Prepare: the deployment, its request and head are recorded; the slot still is the claim.
    const deps = setup();
    deps.store.failing = { op: 'replace', prefix: 'slots/' };
    await expect(askFresh(deps)).rejects.toThrow('InternalError');
    deps.store.failing = undefined;
    const claim = await slotOf(deps);
    const queued = await ask(deps, COMMIT2);
    deps.reader.add(
      'd-UNCERTAIN1',
      { deploymentGroup: 'web-dev' },
      ['i-1', 'i-2', 'i-3'].map((i) => target(i)),
    );
    // Act
    const audited = await audit(deps, { deploymentId: 'd-UNCERTAIN1', trigger: 'eventbridge SUCCESS' });
    // Assess
    expect(claim?.deploymentId).toBeUndefined();
    expect(queued.outcome).toBe('queued');
    expect(audited).toMatchObject({ outcome: 'audited', verdict: 'VERIFIED' });
    expect(deps.deployer.created.map((d) => d.deploymentId)).toEqual(['d-UNCERTAIN1', 'd-UNCERTAIN2']);
    expect(await slotOf(deps)).toMatchObject({ requestId: queued.requestId, deploymentId: 'd-UNCERTAIN2' });
    deps.clock.advance(LAUNCH_LEASE_MS + 1);
    expect((await recover(deps))['web/dev']).toBe('nothing stalled');
  });

  it('that another invocation already made, deployed and freed the slot of: a duplicate, never deployed twice', async () => {
    const deps = setup();
    const first = await ask(deps);
    if (first.outcome !== 'started') throw new Error('not started');
    await releaseGroup(deps, 'web', 'dev', first.deploymentId);
    const late = await askFresh(deps);
    expect(late).toEqual({ outcome: 'duplicate', requestId: first.requestId, state: 'started' });
    expect(deps.deployer.created).toHaveLength(1);
    expect(await slotOf(deps)).toBeUndefined();
  });

  it('whose CreateDeployment is refused: queued before its slot is freed, so a stop in between loses nothing', async () => {
    // Queueing fails (the ledger is out): the slot still holds the request, for reconcile.
    const deps = setup();
    deps.deployer.next = 'refused';
    deps.store.failing = { op: 'put', prefix: 'queue/' };
    await expect(askFresh(deps)).rejects.toThrow('InternalError');
    const claim = await slotOf(deps);
    // Queueing works: the request is queued (entry and record) and the slot is free.
    const other = setup();
    other.deployer.next = 'refused';
    await expect(askFresh(other)).rejects.toThrow('InvalidRevisionException');
    expect(claim).toMatchObject({ requestId: expect.any(String) });
    expect(claim?.deploymentId).toBeUndefined();
    const entries = await other.store.list(keys.queue('web', 'dev'));
    expect(entries).toHaveLength(1);
    const id = entries[0]?.replace(/^.*_|\.json$/g, '') ?? '';
    expect(await requestOf(other, id)).toMatchObject({
      state: 'queued',
      note: 'CreateDeployment failed: Error',
    });
    expect(await slotOf(other)).toBeUndefined();
  });
});
