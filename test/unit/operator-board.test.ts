// Operator command `board`: per environment what runs there, the latest attempt when it is not what
// runs, what is in flight and queued, and the approvals waiting.
import { describe, expect, it } from 'vitest';
import { run as sourcePushed } from '../../functions/source-pushed/handler';
import { approvals } from '../../shared/approvals/approvals';
import { audit } from '../../shared/audit/audit';
import type { BoardData } from '../../shared/board/data';
import { invokeOperator } from '../../shared/operator/invoke';
import { approvalTestDeps, SAMPLE_APPROVAL_ID, sampleRequest } from '../support/approvals';
import { auditMemoryDeps, deployed, queuedBehind, target } from '../support/audit';
import { COMMIT, COMMIT2, FakeDeployer } from '../support/fixtures';
import { releaseDeps, tagEvent, uploadArtifact } from '../support/releases';

type Deps = ReturnType<typeof auditMemoryDeps>;

const boardOf = async (deps: Deps) => {
  const answer = await invokeOperator(deps, { command: 'board', application: 'web' });
  if (!answer.ok) throw new Error(`board refused: ${JSON.stringify(answer)}`);
  return answer.result as BoardData;
};
const card = (data: BoardData, environment: string) =>
  data.applications[0]?.environments.find((e) => e.environment === environment);

/** Staging: v1.0.0 VERIFIED, then v1.1.0 PARTIAL with one failed instance of three. */
const brokenStaging = async () => {
  const deps = auditMemoryDeps();
  const good = await deployed(deps, 'staging', COMMIT, { release: 'v1.0.0' });
  await audit(deps, { deploymentId: good, trigger: 'eventbridge SUCCESS' });
  deps.clock.advance(60_000);
  const bad = await deployed(deps, 'staging', COMMIT2, {
    release: 'v1.1.0',
    targets: [target('i-1'), target('i-2'), target('i-3', 'Failed')],
  });
  await audit(deps, { deploymentId: bad, trigger: 'eventbridge SUCCESS' });
  return { deps, good, bad };
};

describe('board', () => {
  it('shows a failed deployment as what runs until something else is VERIFIED', async () => {
    const { deps, bad } = await brokenStaging();
    const staging = card(await boardOf(deps), 'staging');
    expect(staging?.current).toMatchObject({ deploymentId: bad, verdict: 'PARTIAL' });
    expect(staging?.attempt).toBeUndefined();
    expect(staging?.audit).toBe('PARTIAL (2/3 instances succeeded)');
  });

  it("after a rollback shows the rollback's VERIFIED revision as what runs, and the failed attempt as the latest", async () => {
    const { deps, bad } = await brokenStaging();
    deps.clock.advance(60_000);
    const rolled = await invokeOperator(deps, {
      command: 'rollback',
      application: 'web',
      environment: 'staging',
    });
    const rollbackId = (rolled as { result: { result: { deploymentId: string } } }).result.result
      .deploymentId;
    deps.reader.add(
      rollbackId,
      { deploymentGroup: 'web-staging' },
      ['i-1', 'i-2', 'i-3'].map((id) => target(id)),
    );
    await audit(deps, { deploymentId: rollbackId, trigger: 'eventbridge SUCCESS' });

    const staging = card(await boardOf(deps), 'staging');

    expect(staging?.current).toMatchObject({ deploymentId: rollbackId, commit: COMMIT, verdict: 'VERIFIED' });
    expect(staging?.attempt).toMatchObject({ deploymentId: bad, release: 'v1.1.0', verdict: 'PARTIAL' });
    expect(staging?.audit).toBe('VERIFIED (3/3 instances verified)');
    expect(staging?.instances.map((i) => i.status)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
    expect(staging?.inFlight).toBeUndefined();
  });

  it('while deploying keeps what runs, its verdict and cells, beside the deployment in flight', async () => {
    const deps = auditMemoryDeps();
    const good = await deployed(deps, 'staging', COMMIT, { release: 'v1.0.0' });
    await audit(deps, { deploymentId: good, trigger: 'eventbridge SUCCESS' });
    deps.clock.advance(60_000);
    const running = await deployed(deps, 'staging', COMMIT2, { release: 'v1.1.0', status: 'InProgress' });

    const staging = card(await boardOf(deps), 'staging');

    expect(staging?.current).toMatchObject({ deploymentId: good, verdict: 'VERIFIED' });
    expect(staging?.instances).toHaveLength(3);
    expect(staging?.inFlight).toMatchObject({ deploymentId: running, release: 'v1.1.0' });
    expect(staging?.attempt).toBeUndefined();
    expect(staging?.queued).toBe(0);
  });
});

describe('board, what waits', () => {
  it('counts the queue behind the deployment in flight', async () => {
    const deps = auditMemoryDeps();
    const running = await deployed(deps, 'dev', COMMIT, { status: 'InProgress' });
    await queuedBehind(deps, 'dev', COMMIT2);

    const dev = card(await boardOf(deps), 'dev');

    expect(dev?.current).toBeUndefined();
    expect(dev?.inFlight).toMatchObject({ deploymentId: running, commit: COMMIT });
    expect(dev?.queued).toBe(1);
  });

  it('lists the approvals pending in their environment with who has approved', async () => {
    const deps = approvalTestDeps();
    await approvals(deps).request(sampleRequest());

    const answer = await invokeOperator({ ...deps, deployer: new FakeDeployer() } as never, {
      command: 'board',
      application: 'web',
    });
    const data = (answer as { result: BoardData }).result;

    expect(card(data, 'production')?.approvals).toEqual([
      expect.objectContaining({ approvalId: SAMPLE_APPROVAL_ID, release: 'v1.2.0', approvedBy: [] }),
    ]);
    expect(card(data, 'staging')?.approvals).toEqual([]);
  });
});

describe('board, its reads', () => {
  it('reads the newest release and its timeline once per load', async () => {
    const deps = releaseDeps();
    await uploadArtifact(deps, COMMIT);
    await sourcePushed(tagEvent('v1.2.0', COMMIT, '2026-11-20T18:50:02Z'), deps);
    await sourcePushed(tagEvent('v1.1.0', COMMIT, '2026-11-19T18:50:02Z'), deps);
    const listed: string[] = [];
    const list = deps.store.list.bind(deps.store);
    deps.store.list = (prefix: string) => {
      listed.push(prefix);
      return list(prefix);
    };

    const answer = await invokeOperator(deps as never, { command: 'board', application: 'web' });

    expect((answer as { result: BoardData }).result.applications[0]?.release).toMatchObject({
      release: 'v1.2.0',
      timeline: expect.arrayContaining([expect.objectContaining({ what: expect.any(String) })]),
    });
    expect(listed.filter((p) => p.startsWith('timeline/'))).toEqual(['timeline/web/v1.2.0/']);
    expect(listed.filter((p) => p.startsWith('releases/'))).toEqual(['releases/web/']);
  });
});
