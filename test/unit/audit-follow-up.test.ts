// The audit of deployments Baton did not start, unknown ones, and follow-ups resumed after a failure.
import { describe, expect, it } from 'vitest';
import { audit, FOLLOW_UP_LEASE_MS } from '../../shared/audit/audit';
import { FollowUpError } from '../../shared/audit/audit-follow-up';
import type { AuditRecord } from '../../shared/audit/records';
import { NotFoundError } from '../../shared/core/rules/errors';
import { auditKeys, keys } from '../../shared/ledger/keys';
import { auditMemoryDeps, deployed, failedTarget } from '../support/audit';
import { COMMIT } from '../support/fixtures';

const auditRecord = async (deps: ReturnType<typeof auditMemoryDeps>, id: string) =>
  (await deps.store.get<AuditRecord>(auditKeys.audit(id)))?.record;

describe('auditing, beyond the usual', () => {
  it('audits a deployment Baton did not start, in a group it knows, and frees nothing of its own', async () => {
    const deps = auditMemoryDeps();
    deps.reader.add('d-CONSOLE01', { deploymentGroup: 'web-dev', status: 'Stopped' }, [failedTarget('i-1')]);
    const outcome = await audit(deps, {
      deploymentId: 'd-CONSOLE01',
      trigger: 'eventbridge STOP',
      group: { codedeployApplication: 'baton-web', deploymentGroup: 'web-dev' },
    });
    expect(outcome).toMatchObject({ verdict: 'FAILED' });
    expect(await auditRecord(deps, 'd-CONSOLE01')).toMatchObject({
      inLedger: false,
      environment: 'dev',
      followUp: {
        done: {
          verdict: 'not in the ledger: Baton did not start this deployment',
          release: 'group released; nothing queued',
        },
      },
    });
    expect(deps.notifier.sent[0]?.notice.subject).toBe('Baton web dev: FAILED');
  });

  it('refuses a deployment neither the ledger nor CodeDeploy knows', async () => {
    const deps = auditMemoryDeps();
    await expect(
      audit(deps, { deploymentId: 'd-NOSUCH001', trigger: 'operator alice', again: true }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('frees the group even when the release flow fails, and resumes the failed step once the lease ran out', async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'staging', COMMIT, { release: 'v1.2.0' });
    const advance = deps.releaseFlow.advance.bind(deps.releaseFlow);
    deps.releaseFlow.advance = async () => {
      throw new Error('S3 is having a bad day');
    };
    await expect(audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' })).rejects.toBeInstanceOf(
      FollowUpError,
    );
    expect(await deps.store.get(keys.slot('web', 'staging'))).toBeUndefined();
    expect((await auditRecord(deps, id))?.followUp).toMatchObject({
      state: 'pending',
      done: { release: expect.any(String) },
    });
    expect(await deps.store.list(auditKeys.openFollowUps())).toHaveLength(1);

    deps.releaseFlow.advance = advance;
    expect(await audit(deps, { deploymentId: id, trigger: 'reconcile' })).toMatchObject({
      outcome: 'recorded-earlier',
    });
    expect(deps.releaseFlow.calls).toEqual([]);
    deps.clock.advance(FOLLOW_UP_LEASE_MS + 1);
    expect(await audit(deps, { deploymentId: id, trigger: 'reconcile' })).toMatchObject({
      outcome: 'audited',
      verdict: 'VERIFIED',
    });
    expect(deps.releaseFlow.calls.map((c) => c.release)).toEqual(['v1.2.0']);
    expect((await auditRecord(deps, id))?.followUp.state).toBe('done');
    expect(await deps.store.list(auditKeys.openFollowUps())).toEqual([]);
  });
});
