// Typed ledger records: each kind's schema accepts what Baton writes and refuses, by key and field,
// what it does not expect, without ever repeating a value.
import { describe, expect, it } from 'vitest';
import { run as sourcePushed } from '../../functions/source-pushed/handler';
import {
  type ApprovalRecord,
  approvalRecords,
  indexApproval,
  locatorRecords,
  openMarkerRecords,
} from '../../shared/approvals/records';
import { audit } from '../../shared/audit/audit';
import { FollowUpError } from '../../shared/audit/audit-follow-up';
import { EvidenceError } from '../../shared/audit/ports';
import { auditRecords, followUpMarkRecords, incompleteRecords } from '../../shared/audit/records';
import { stableId } from '../../shared/core/rules/ids';
import { enqueue } from '../../shared/deployments/deployment-launch';
import { requestDeployment } from '../../shared/deployments/deployments';
import { openRequestRecords } from '../../shared/deployments/open-requests';
import {
  approvalKeys,
  auditKeys,
  keys,
  openRequestKeys,
  releaseKeys,
  secretGrantKeys,
} from '../../shared/ledger/keys';
import { MemoryStore } from '../../shared/ledger/memory-store';
import type { DeploymentRecord, DeploymentRequest } from '../../shared/ledger/records';
import { LedgerRecordError } from '../../shared/ledger/repository';
import { deploymentRecords, queueRecords, requestRecords } from '../../shared/ledger/schemas';
import type { RecordStore, Stored } from '../../shared/ledger/store';
import { rejectionAlertRecords } from '../../shared/refusals/records';
import { refuseAndAlert } from '../../shared/refusals/rejection-alerts';
import {
  expectationRecords,
  releaseRecords,
  timelineId,
  timelineRecords,
  waitingRecords,
} from '../../shared/releases/records';
import { recordSecretGrant, secretGrantRecords } from '../../shared/secrets/records';
import { auditMemoryDeps, deployed } from '../support/audit';
import { COMMIT, loadEvent, memoryDeps } from '../support/fixtures';
import { releaseDeps } from '../support/releases';

const AT = '2026-03-01T10:00:00.000Z';
const artifact = { bucket: 'b', key: 'artifacts/web/abc.zip', etag: '"e1"', commit: 'abc' };
const deployment: DeploymentRecord = {
  v: 1,
  kind: 'deployment',
  deploymentId: 'd-1',
  requestId: 'r-1',
  application: 'web',
  environment: 'staging',
  deploymentGroup: 'web-staging',
  artifact,
  cause: { type: 'release', detail: 'release v1' },
  release: 'v1',
  createdAt: AT,
};

const request: DeploymentRequest = {
  v: 1,
  kind: 'request',
  id: 'r-1',
  application: 'web',
  environment: 'dev',
  deploymentGroup: 'web-dev',
  artifact,
  cause: { type: 'branch', detail: 'push to main' },
  requestedAt: AT,
  state: 'pending',
  updatedAt: AT,
};

describe('typed ledger records', () => {
  it('reads a record as written, extra fields kept', async () => {
    const store = new MemoryStore();
    await store.put(keys.deployment('d-1'), { ...deployment, later: 'kept' });

    const found = await deploymentRecords(store).get('d-1');

    expect(found?.record).toEqual({ ...deployment, later: 'kept' });
    expect(await deploymentRecords(store).get('d-2')).toBeUndefined();
  });

  it('refuses a record that breaks its schema, naming the key and the field, never the value', async () => {
    const store = new MemoryStore();
    await store.put(keys.deployment('d-1'), { ...deployment, verdict: 'SECRET-ish', createdAt: undefined });

    const read = deploymentRecords(store).get('d-1');

    await expect(read).rejects.toBeInstanceOf(LedgerRecordError);
    await expect(read).rejects.toThrow(
      'ledger record deployments/d-1.json does not match its schema: createdAt: required; verdict: must be one of VERIFIED, PARTIAL, FAILED, INCOMPLETE',
    );
    await expect(read).rejects.not.toThrow(/SECRET-ish/);
  });

  it('accepts the optional fields absent and a version it knows only', async () => {
    const store = new MemoryStore();
    await store.put(keys.request('web', 'dev', 'r-1'), request);
    await store.put(keys.request('web', 'dev', 'r-2'), { ...request, id: 'r-2', v: 2 });

    expect((await requestRecords(store).get('web', 'dev', 'r-1'))?.record).toEqual(request);
    await expect(requestRecords(store).get('web', 'dev', 'r-2')).rejects.toThrow(
      'ledger record requests/web/dev/r-2.json does not match its schema: v: must be one of 1',
    );
  });

  it('gives each kind its key', () => {
    const store = new MemoryStore();
    expect(releaseRecords(store).key('web', 'v1')).toBe('releases/web/v1.json');
    expect(approvalRecords(store).key('web', 'v1', 'prod')).toBe('approvals/web/v1/prod.json');
    expect(auditRecords(store).key('d-1')).toBe('audits/d-1.json');
    expect(deploymentRecords(store).key('d-1')).toBe('deployments/d-1.json');
  });
});

/** One record of a kind as Baton's writer leaves it, and the kind's repository. */
interface Written {
  store: RecordStore;
  key: string;
  records: (store: RecordStore) => { at(key: string): Promise<Stored<unknown> | undefined> };
}

interface Kind {
  kind: string;
  write: () => Promise<Written>;
  /** A field the kind's schema requires. */
  required: string;
}

const approval: ApprovalRecord = {
  v: 1,
  kind: 'approval',
  id: 'a-1',
  application: 'web',
  release: 'v1',
  commit: 'abc',
  artifact,
  environment: 'production',
  fromEnvironment: 'staging',
  fromDeploymentId: 'd-1',
  approvers: ['alice@example.com'],
  required: 1,
  requestedAt: AT,
  expiresAt: AT,
  state: 'pending',
};

const indexed = async () => {
  const store = new MemoryStore();
  await indexApproval(store, approval);
  return store;
};

const refused = async () => {
  const deps = memoryDeps();
  const cause = {
    rule: 'artifact-key',
    application: 'web',
    owner: 'application web',
    subject: 's3://pipeline/artifacts/web/x',
  };
  await refuseAndAlert(deps, 'artifact-uploaded', 'key does not follow the layout', cause);
  return {
    store: deps.store,
    key: keys.rejectionAlert(stableId('artifact-uploaded', cause.rule, cause.subject)),
  };
};

const queued = async () => {
  const deps = memoryDeps();
  await enqueue(deps, request, 'the group is busy');
  return deps.store;
};

/** An invocation that stopped once its request's open mark was written. */
const stopped = async () => {
  const deps = memoryDeps();
  deps.store.create = async () => {
    throw new Error('stopped');
  };
  const input = { application: 'web', environment: 'dev', artifact, cause: request.cause, dedupeKey: 'k' };
  await expect(requestDeployment(deps, input)).rejects.toThrow('stopped');
  const [key = ''] = await deps.store.list(openRequestKeys.all());
  return { store: deps.store, key };
};

/** A staging deployment audited INCOMPLETE (its targets could not be read): its re-audit is marked. */
const incomplete = async () => {
  const deps = auditMemoryDeps();
  const id = await deployed(deps, 'staging', COMMIT, { release: 'v1.2.0' });
  deps.reader.failTargets = new EvidenceError('ListDeploymentTargets: ServiceUnavailable');
  await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
  return { store: deps.store, key: auditKeys.incomplete(id) };
};

/** An audit whose follow-up failed half-way: its mark stays for reconcile. */
const unfinished = async () => {
  const deps = auditMemoryDeps();
  const id = await deployed(deps, 'staging', COMMIT, { release: 'v1.2.0' });
  deps.releaseFlow.advance = async () => {
    throw new Error('S3 is having a bad day');
  };
  await expect(audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' })).rejects.toBeInstanceOf(
    FollowUpError,
  );
  return { store: deps.store, key: auditKeys.openFollowUp(id) };
};

const granted = async () => {
  const store = new MemoryStore();
  await recordSecretGrant(store, {
    outcome: 'granted',
    status: 200,
    deploymentId: 'd-1',
    instanceId: 'i-1',
    role: 'web-instance',
    application: 'web',
    environment: 'dev',
    secrets: [{ secretId: 'web/dev/db', arn: 'arn:aws:secretsmanager:x', versionId: 'v-1', path: 'db.env' }],
    at: AT,
  });
  const [key = ''] = await store.list(secretGrantKeys.all());
  return { store, key };
};

const pushed = async (event: string) => {
  const deps = releaseDeps();
  await sourcePushed(loadEvent(event), deps);
  return deps.store;
};

const kinds: Kind[] = [
  {
    kind: 'branch expectation',
    required: 'dedupeKey',
    write: async () => ({
      store: await pushed('codecommit/push-main.json'),
      key: releaseKeys.expectation('web', 'dev'),
      records: expectationRecords,
    }),
  },
  {
    kind: 'timeline entry',
    required: 'by',
    write: async () => ({
      store: await pushed('codecommit/tag-release.json'),
      key: releaseKeys.timelineEntry('web', 'v1.2.0', timelineId('waiting-for-artifact')),
      records: timelineRecords,
    }),
  },
  {
    kind: 'waiting release',
    required: 'tag',
    write: async () => ({
      store: await pushed('codecommit/tag-release.json'),
      key: releaseKeys.waiting('web', COMMIT, 'v1.2.0'),
      records: waitingRecords,
    }),
  },
  {
    kind: 'approval locator',
    required: 'release',
    write: async () => ({ store: await indexed(), key: approvalKeys.byId('a-1'), records: locatorRecords }),
  },
  {
    kind: 'open approval marker',
    required: 'environment',
    write: async () => ({
      store: await indexed(),
      key: approvalKeys.open('a-1'),
      records: openMarkerRecords,
    }),
  },
  {
    kind: 'rejection alert',
    required: 'subject',
    write: async () => ({ ...(await refused()), records: rejectionAlertRecords }),
  },
  {
    kind: 'queue entry',
    required: 'requestId',
    write: async () => ({
      store: await queued(),
      key: keys.queueEntry('web', 'dev', AT, 'r-1'),
      records: queueRecords,
    }),
  },
  {
    kind: 'open request mark',
    required: 'at',
    write: async () => ({ ...(await stopped()), records: openRequestRecords }),
  },
  {
    kind: 'incomplete mark',
    required: 'dueAt',
    write: async () => ({ ...(await incomplete()), records: incompleteRecords }),
  },
  {
    kind: 'follow-up mark',
    required: 'deploymentId',
    write: async () => ({ ...(await unfinished()), records: followUpMarkRecords }),
  },
  {
    kind: 'secret grant',
    required: 'status',
    write: async () => ({ ...(await granted()), records: secretGrantRecords }),
  },
];

describe.each(kinds)('$kind records', ({ write, required }) => {
  it('read as their writer writes them', async () => {
    const { store, key, records } = await write();
    const raw = await store.get(key);

    expect(raw).toBeDefined();
    expect((await records(store).at(key))?.record).toEqual(raw?.record);
  });

  it(`without ${required}, fail naming the key and the field`, async () => {
    const { store, key, records } = await write();
    const { [required]: _, ...rest } = (await store.get<Record<string, unknown>>(key))?.record ?? {};
    await store.put(key, rest);

    const read = records(store).at(key);

    await expect(read).rejects.toBeInstanceOf(LedgerRecordError);
    await expect(read).rejects.toThrow(
      `ledger record ${key} does not match its schema: ${required}: required`,
    );
  });
});
