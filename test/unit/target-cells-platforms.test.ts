// A target CodeDeploy calls Succeeded that did not deliver its platform's outcome (an ECS or Lambda
// shortfall) reads as failing on the approval page and the board, not as a green Succeeded cell.
import { describe, expect, it } from 'vitest';
import { readAudit } from '../../shared/approvals/approval-audit';
import { targetCell } from '../../shared/approvals/page/cells';
import type { RecordStore } from '../../shared/ledger/store';
import { auditOf } from '../support/codedeploy-api';
import { ecsTarget, lambdaTarget } from '../support/platform-targets';

const ECS = { computePlatform: 'ECS', deploymentStyle: { deploymentType: 'BLUE_GREEN' } };
const unused = {} as RecordStore;

describe('the cell of a target with a shortfall', () => {
  it('an ECS target whose AfterAllowTraffic hook failed is a failing cell naming the event', async () => {
    const { report } = await auditOf([ecsTarget({ failed: 'AfterAllowTraffic' })], ECS);
    const audit = await readAudit(unused, report.deploymentId, report);

    expect(report.verdict).toBe('PARTIAL');
    expect(audit.targets).toEqual([
      { id: 'baton:svc-dev', status: 'Succeeded', shortfall: 'lifecycle event AfterAllowTraffic Failed' },
    ]);
    const cell = String(targetCell(audit.targets[0] ?? { id: '', status: '' }));
    expect(cell).toContain('class="s-failed"');
    expect(cell).toContain('<span>Succeeded · AfterAllowTraffic Failed</span>');
  });

  it('a Lambda alias left on the canary share says so; a delivered target stays a green Succeeded', async () => {
    const { report } = await auditOf([lambdaTarget({ info: { targetVersionWeight: 10 } })], {
      computePlatform: 'Lambda',
    });
    const [cell] = (await readAudit(unused, report.deploymentId, report)).targets;
    expect(cell?.shortfall).toBe(
      'alias fn-api:live gives version 8 10% of traffic and still points to version 7',
    );
    expect(String(targetCell(cell ?? { id: '', status: '' }))).toContain('class="s-failed"');

    const delivered = await auditOf([lambdaTarget()], { computePlatform: 'Lambda' });
    const [ok] = (await readAudit(unused, delivered.report.deploymentId, delivered.report)).targets;
    expect(ok).toEqual({ id: 'fn-api:live', status: 'Succeeded' });
    expect(String(targetCell(ok ?? { id: '', status: '' }))).toContain('class="s-succeeded"');
  });
});
