// INCOMPLETE is never final, on the local stack with the fault injector: CodeDeploy is down for about a
// second while a staging deployment is audited, so the verdict is INCOMPLETE and the release blocked;
// a redelivery returns that verdict, and reconcile's re-audit, once due, finds it VERIFIED, records and
// announces the change, and the release resumes (production's approval is asked).

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../shared/audit/records';
import { auditKeys } from '../../shared/ledger/keys';
import type { DeploymentRecord } from '../../shared/ledger/records';
import { type FaultStack, startFaultStack } from '../support/faults-harness';

let s: FaultStack;
beforeAll(async () => {
  s = await startFaultStack();
}, 60_000);
afterAll(() => s?.stop());

const only = async (group: 'web-dev' | 'web-staging', before: string[]) => {
  const [id = ''] = (await s.deployments(group)).filter((d) => !before.includes(d));
  return id;
};

describe('a CodeDeploy outage of about a second during an audit', () => {
  it('INCOMPLETE, then reconcile re-audits it: VERIFIED, announced, the release resumed', async () => {
    // Prepare: the commit VERIFIED in dev, then tagged: the release enters staging.
    const commit = randomBytes(20).toString('hex');
    await s.fns.artifactUploaded.run(await s.upload(commit));
    await s.fns.deploymentFinished.run(await s.finished(await only('web-dev', [])));
    const before = await s.deployments('web-staging');
    await s.fns.sourcePushed.run(s.push('tag', 'v4.0.0', commit));
    const staging = await only('web-staging', before);
    const event = await s.finished(staging);
    const alerts = (await s.messages(s.alertTopicArn)).length;
    const approvals = (await s.messages(s.approvalTopicArn)).length;
    // Act: every CodeDeploy call that starts within the next second fails, retries included.
    const until = Date.now() + 1000;
    s.faults.exhaust((a) => a.service === 'CodeDeploy' && Date.now() < until, 'server-503', 20);
    const audited = await s.fns.deploymentFinished.run(event);
    s.faults.off();
    const redelivered = await s.fns.deploymentFinished.run(event);
    const later = await s.reconcileIn(2);
    // Assess
    expect(audited).toMatchObject({ results: [{ outcome: 'audited', verdict: 'INCOMPLETE' }] });
    expect(redelivered).toMatchObject({ results: [{ outcome: 'recorded-earlier', verdict: 'INCOMPLETE' }] });
    expect(later.reauditIncomplete).toEqual({ [staging]: 'INCOMPLETE → VERIFIED' });
    expect((await s.ledger.get<DeploymentRecord>(`deployments/${staging}.json`))?.record.verdict).toBe(
      'VERIFIED',
    );
    const record = (await s.ledger.get<AuditRecord>(auditKeys.audit(staging)))?.record;
    expect(record?.history.map((h) => h.verdict)).toEqual(['INCOMPLETE']);
    expect(record?.reaudit).toMatchObject({ attempts: 1, resolvedAt: expect.any(String) });
    expect(await s.ledger.list(auditKeys.incompletes())).toEqual([]);
    const sent = (await s.messages(s.alertTopicArn)).slice(alerts).map((m) => m.subject);
    expect(sent).toEqual([
      expect.stringContaining('staging: INCOMPLETE for release v4.0.0'),
      'Baton web staging: INCOMPLETE → VERIFIED, release v4.0.0 resumed',
    ]);
    // The release moved on: production's approval is asked, once.
    expect((await s.messages(s.approvalTopicArn)).length - approvals).toBe(1);
  }, 60_000);
});
