// The table of `baton metrics`, fed with the real use case's result on the in-memory ledger.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { metricsSchema } from '../../cli/views/metrics';
import { audit } from '../../shared/audit/audit';
import { invokeOperator } from '../../shared/operator/invoke';
import type { metrics } from '../../shared/operator/metrics';
import { auditMemoryDeps, deployed, failedTarget, target } from '../support/audit';
import { COMMIT, COMMIT2 } from '../support/fixtures';
import { type Reads, type Result, show } from '../support/views';

describe('the metrics table', () => {
  it('reads the use case result type', () => {
    expectTypeOf<Result<typeof metrics>>().toExtend<Reads<typeof metricsSchema>>();
  });

  it('shows per environment the counts, failure rate, restore and the window it measured', async () => {
    const deps = auditMemoryDeps();
    const group = { deploymentGroup: 'web-staging' };
    const bad = await deployed(deps, 'staging', COMMIT, { release: 'v1.0.0' });
    deps.reader.add(bad, { ...group, completedAt: '2026-11-20T18:10:00.000Z' }, [
      target('i-1'),
      target('i-2'),
      failedTarget('i-3'),
    ]);
    await audit(deps, { deploymentId: bad, trigger: 'eventbridge SUCCESS' });
    const good = await deployed(deps, 'staging', COMMIT2, { release: 'v1.1.0' });
    deps.reader.add(
      good,
      { ...group, completedAt: '2026-11-20T18:40:00.000Z' },
      ['i-1', 'i-2', 'i-3'].map((id) => target(id)),
    );
    await audit(deps, { deploymentId: good, trigger: 'eventbridge SUCCESS' });
    deps.clock.advance(12 * 3_600_000);

    const answer = await invokeOperator(deps, { command: 'metrics', application: 'web', since: '1d' });
    if (!answer.ok) throw new Error(answer.error);
    expect(show('metrics', answer.result)).toBe(
      [
        'Delivery metrics from 2026-11-20 06:00Z to 2026-11-21 06:00Z (1 day); 2 deployment record(s) read',
        '',
        'web:',
        'ENVIRONMENT              DEPLOYMENTS  VERIFIED/DAY  CHANGE FAILURE  LEAD TIME  TIME TO RESTORE  FAILING SINCE',
        'dev                      0            0.00          -               -          -                -',
        'staging                  2            1.00          50% (1 of 2)    -          30m 0s (1)       -',
        'production (production)  0            0.00          -               -          -                -',
        '',
        'Lead time and time to restore: median (count). Lead time: commit to its first VERIFIED deployment there;',
        'change failure: verdicts other than VERIFIED among the changes started (rollbacks are not changes).',
        'Commit times:',
        '  1 without a commit time (not in the lead time)',
        '',
      ].join('\n'),
    );
  });

  it('says which deployment records it could not read and skipped', async () => {
    const deps = auditMemoryDeps();
    await deps.store.put('deployments/d-BROKEN001.json', { v: 1, kind: 'deployment' });
    const answer = await invokeOperator(deps, { command: 'metrics', application: 'web', since: '1d' });
    if (!answer.ok) throw new Error(answer.error);
    expect(show('metrics', answer.result)?.split('\n')[0]).toBe(
      'Delivery metrics from 2026-11-19 18:00Z to 2026-11-20 18:00Z (1 day); 1 deployment record(s) read, ' +
        '1 unreadable and skipped (deployments/d-BROKEN001.json)',
    );
  });
});
