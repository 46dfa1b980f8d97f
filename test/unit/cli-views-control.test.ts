// The tables of the commands that act on a deployment or an environment (stop, retry, rollback,
// history), fed with results of the real use cases, and each view reading its use case's type.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  alreadyStoppedSchema,
  retriedSchema,
  rolledBackSchema,
  stoppedSchema,
} from '../../cli/views/control';
import type { historySchema } from '../../cli/views/history';
import { audit } from '../../shared/audit/audit';
import type { DeploymentStopper } from '../../shared/core/ports';
import { releaseGroup } from '../../shared/deployments/deployment-queue';
import type { history } from '../../shared/operator/history';
import { invokeOperator } from '../../shared/operator/invoke';
import type { retry } from '../../shared/operator/retry';
import type { rollback } from '../../shared/operator/rollback';
import type { stop } from '../../shared/operator/stop';
import { auditMemoryDeps, deployed, target } from '../support/audit';
import { COMMIT, COMMIT2 } from '../support/fixtures';
import { setVerdict } from '../support/releases';
import { type Reads, type Result, show } from '../support/views';

const stopper: DeploymentStopper = { stop: async () => ({ status: 'Succeeded' }) };
const controlDeps = () => {
  const deps = auditMemoryDeps();
  return { ...deps, stopping: stopper, auditing: deps };
};

describe('the tables of stop, retry, rollback and history', () => {
  it('each view schema accepts its use case result type', () => {
    expectTypeOf<Result<typeof history>>().toExtend<Reads<typeof historySchema>>();
    expectTypeOf<Result<typeof retry>>().toExtend<Reads<typeof retriedSchema>>();
    expectTypeOf<Result<typeof rollback>>().toExtend<Reads<typeof rolledBackSchema>>();
    expectTypeOf<Result<typeof stop>>().toExtend<
      Reads<typeof stoppedSchema> | Reads<typeof alreadyStoppedSchema>
    >();
  });

  it('stop: what was stopped, by whom and why, and what comes next', async () => {
    const deps = controlDeps();
    const id = await deployed(deps, 'staging', COMMIT, { release: 'v1.0.0', status: 'InProgress' });
    const answer = await invokeOperator(deps, { command: 'stop', deploymentId: id, reason: 'bad build' });
    const again = await invokeOperator(deps, { command: 'stop', deploymentId: id, reason: 'bad build' });
    if (!answer.ok || !again.ok) throw new Error('stop refused');
    expect(show('stop', answer.result)).toBe(
      [
        `${id} (web v1.0.0 in staging): stop accepted by CodeDeploy`,
        'Stopped by console; identity in CloudTrail: bad build',
        'No rollback: the instances keep what they had when it stopped.',
        'Next: once CodeDeploy reports it Stopped, the audit records FAILED (stopped) and the group takes the next request in its queue.',
        `Recorded in the ledger: stops/${id}.json`,
        '',
      ].join('\n'),
    );
    expect(show('stop', again.result)).toMatch(
      new RegExp(
        `^${id} was already stopped by console; identity in CloudTrail at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ: bad build\\.\\n$`,
      ),
    );
  });

  it('retry: what is retried, and the step it took', async () => {
    const deps = controlDeps();
    const id = await deployed(deps, 'dev', COMMIT, { cause: 'branch' });
    await setVerdict(deps.store, id, 'FAILED');
    await releaseGroup(deps, 'web', 'dev', id);
    const answer = await invokeOperator(deps, { command: 'retry', application: 'web', environment: 'dev' });
    if (!answer.ok) throw new Error(answer.error);
    expect(show('retry', answer.result)).toBe(
      [
        `web dev: retry after FAILED of ${id} (commit ${COMMIT.slice(0, 7)})`,
        'Result: deployment d-FAKE00002 started (request ' +
          String((answer.result as { result: { requestId: string } }).result.requestId) +
          ')',
        '',
      ].join('\n'),
    );
  });

  it('rollback: to what, from what, and where it is recorded', async () => {
    const deps = controlDeps();
    const good = await deployed(deps, 'dev', COMMIT, { cause: 'branch' });
    await audit(deps, { deploymentId: good, trigger: 'eventbridge SUCCESS' });
    const bad = await deployed(deps, 'dev', COMMIT2, { cause: 'branch', targets: [target('i-1', 'Failed')] });
    await audit(deps, { deploymentId: bad, trigger: 'eventbridge SUCCESS' });
    const answer = await invokeOperator(deps, {
      command: 'rollback',
      application: 'web',
      environment: 'dev',
    });
    if (!answer.ok) throw new Error(answer.error);
    const { ledgerKey, result } = answer.result as { ledgerKey: string; result: { requestId: string } };
    expect(show('rollback', answer.result)).toBe(
      [
        `web dev: rollback to commit ${COMMIT.slice(0, 7)} (VERIFIED in ${good}), from ${bad} (PARTIAL)`,
        `Result: deployment d-FAKE00003 started (request ${result.requestId})`,
        `Recorded in the ledger: ${ledgerKey}`,
        '',
      ].join('\n'),
    );
  });

  it('history: one row per deployment, status beside verdict, duration and who started it', async () => {
    const deps = controlDeps();
    const good = await deployed(deps, 'dev', COMMIT, { cause: 'branch' });
    deps.reader.add(
      good,
      {
        deploymentGroup: 'web-dev',
        createdAt: '2026-11-20T18:00:00.000Z',
        completedAt: '2026-11-20T18:04:30.000Z',
      },
      ['i-1', 'i-2', 'i-3'].map((id) => target(id)),
    );
    await audit(deps, { deploymentId: good, trigger: 'eventbridge SUCCESS' });
    const running = await deployed(deps, 'dev', COMMIT2, { cause: 'branch', status: 'InProgress' });
    await invokeOperator(deps, { command: 'stop', deploymentId: running, reason: 'bad build' });
    const answer = await invokeOperator(deps, { command: 'history', application: 'web', environment: 'dev' });
    if (!answer.ok) throw new Error(answer.error);
    expect(show('history', answer.result)).toBe(
      [
        'web dev: 2 deployment(s), newest first',
        '',
        'ENVIRONMENT  DEPLOYMENT   COMMIT   RELEASE  CODEDEPLOY  VERDICT    STARTED            DURATION  STARTED BY',
        `dev          ${running}  ${COMMIT2.slice(0, 7)}  -        InProgress  in flight  2026-11-20 18:00Z  -         test`,
        `dev          ${good}  ${COMMIT.slice(0, 7)}  -        Succeeded   VERIFIED   2026-11-20 18:00Z  4m 30s    test`,
        '',
      ].join('\n'),
    );
  });
});
