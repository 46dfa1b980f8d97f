// INCOMPLETE is never final: the backoff schedule and its limit (pure rules), and reconcile's re-audit
// that turns INCOMPLETE into a final verdict, announces it and moves the release on, once.

import { describe, expect, it } from 'vitest';
import { audit } from '../../shared/audit/audit';
import { EvidenceError } from '../../shared/audit/ports';
import type { AuditRecord } from '../../shared/audit/records';
import {
  nextReaudit,
  REAUDIT_LIMIT_MS,
  type Reaudit,
  reauditDelayMs,
} from '../../shared/audit/rules/reaudit';
import { auditKeys } from '../../shared/ledger/keys';
import { reconcile } from '../../shared/reconcile/reconcile';
import { type AuditTestDeps, auditMemoryDeps, deployed } from '../support/audit';
import { COMMIT } from '../support/fixtures';

const MINUTE = 60_000;
const start = new Date('2026-11-20T18:00:00.000Z');

/** Re-audits at each due time while the verdict stays INCOMPLETE, until the schedule stops. */
const untilGivenUp = () => {
  let state = nextReaudit(undefined, 'INCOMPLETE', start);
  while (state?.nextDueAt) state = nextReaudit(state, 'INCOMPLETE', new Date(state.nextDueAt));
  return state;
};

describe('the re-audit schedule of an INCOMPLETE verdict', () => {
  it('backs off 1, 2, 4 … minutes, at most an hour apart', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 12].map((n) => reauditDelayMs(n) / MINUTE)).toEqual([
      1, 2, 4, 8, 16, 32, 60, 60, 60,
    ]);
    const first = nextReaudit(undefined, 'INCOMPLETE', start);
    expect(first).toEqual({ since: start.toISOString(), attempts: 0, nextDueAt: '2026-11-20T18:01:00.000Z' });
    const second = nextReaudit(first, 'INCOMPLETE', new Date('2026-11-20T18:01:00.000Z'));
    expect(second).toEqual({
      since: start.toISOString(),
      attempts: 1,
      nextDueAt: '2026-11-20T18:03:00.000Z',
    });
  });

  it('stops 24 h after the first INCOMPLETE, the last re-audit within the limit', () => {
    const state = untilGivenUp();
    expect(state?.gaveUpAt).toBeDefined();
    expect(state?.nextDueAt).toBeUndefined();
    expect(Date.parse(state?.gaveUpAt ?? '') - start.getTime()).toBeLessThanOrEqual(REAUDIT_LIMIT_MS);
    // 1+2+4+8+16+32 minutes, then hourly: 6 re-audits in 63 minutes, then 22 more within 24 h.
    expect(state?.attempts).toBe(28);
  });

  it('a final verdict closes the schedule; an audit after it gave up starts a new one', () => {
    const first = nextReaudit(undefined, 'INCOMPLETE', start);
    const later = new Date(start.getTime() + 5 * MINUTE);
    expect(nextReaudit(first, 'VERIFIED', later)).toEqual({
      since: start.toISOString(),
      attempts: 1,
      resolvedAt: later.toISOString(),
    });
    expect(nextReaudit(undefined, 'FAILED', later)).toBeUndefined();
    const gaveUp: Reaudit = { since: start.toISOString(), attempts: 28, gaveUpAt: start.toISOString() };
    expect(nextReaudit(gaveUp, 'INCOMPLETE', later)).toMatchObject({
      since: later.toISOString(),
      attempts: 0,
    });
  });
});

/** One reconcile run; what its re-audit step did (or its failure). */
const reaudits = async (deps: AuditTestDeps) => {
  const step = (await reconcile(deps)).find((r) => r.step === 'reauditIncomplete');
  return step?.ok ? step.result : step;
};
const auditOf = async (deps: AuditTestDeps, id: string) =>
  (await deps.store.get<AuditRecord>(auditKeys.audit(id)))?.record;

/** A staging deployment of release v1.2.0 whose targets could not be read: INCOMPLETE. */
const incomplete = async () => {
  const deps = { ...auditMemoryDeps(), origin: { region: 'eu-west-1', stage: 'prod', console: true } };
  const id = await deployed(deps, 'staging', COMMIT, { release: 'v1.2.0' });
  deps.reader.failTargets = new EvidenceError('ListDeploymentTargets: ServiceUnavailable (after 3 attempts)');
  await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
  return { deps, id };
};

describe('reconcile re-audits INCOMPLETE verdicts', () => {
  it('when due, with backoff; VERIFIED at last: recorded, announced, the release advanced once', async () => {
    // Prepare
    const { deps, id } = await incomplete();
    expect(await auditOf(deps, id)).toMatchObject({ verdict: 'INCOMPLETE', reaudit: { attempts: 0 } });
    // Act: not due yet; due, still failing; due again, CodeDeploy answers (two reconciles at once).
    const early = await reaudits(deps);
    deps.clock.advance(MINUTE);
    const stillFailing = await reaudits(deps);
    const second = await auditOf(deps, id);
    deps.reader.failTargets = undefined;
    deps.clock.advance(2 * MINUTE);
    const [a, b] = await Promise.all([reaudits(deps), reaudits(deps)]);
    const after = await reaudits(deps);
    // Assess
    expect(early).toEqual({ [id]: 'due at 2026-11-20T18:01:00.000Z' });
    expect(stillFailing).toEqual({ [id]: 'INCOMPLETE → INCOMPLETE' });
    expect(second?.reaudit).toMatchObject({ attempts: 1, nextDueAt: expect.any(String) });
    expect([a, b]).toContainEqual({ [id]: 'INCOMPLETE → VERIFIED' });
    expect(after).toEqual({});
    expect(await auditOf(deps, id)).toMatchObject({
      verdict: 'VERIFIED',
      reaudit: { attempts: 2, resolvedAt: expect.any(String) },
    });
    expect(await deps.store.list(auditKeys.incompletes())).toEqual([]);
    expect(deps.releaseFlow.calls.filter((c) => c.trigger === `audit VERIFIED of ${id}`)).toHaveLength(1);
    expect(deps.notifier.sent.map((s) => s.notice.subject)).toEqual([
      expect.stringContaining('staging: INCOMPLETE for release v1.2.0'),
      'Baton web staging: INCOMPLETE → VERIFIED, release v1.2.0 resumed',
    ]);
  });

  it('past the limit: stops, alerts once that it needs an operator’s audit', async () => {
    const { deps, id } = await incomplete();
    for (let hour = 0; hour < 26; hour++) {
      deps.clock.advance(61 * MINUTE);
      await reaudits(deps);
    }
    const rec = await auditOf(deps, id);
    expect(rec).toMatchObject({ verdict: 'INCOMPLETE', reaudit: { gaveUpAt: expect.any(String) } });
    expect(rec?.reaudit?.nextDueAt).toBeUndefined();
    expect(await deps.store.list(auditKeys.incompletes())).toEqual([]);
    const subjects = deps.notifier.sent.map((s) => s.notice.subject);
    expect(subjects).toHaveLength(2);
    expect(subjects[1]).toMatch(
      /^Baton web staging: INCOMPLETE, re-audits stopped, needs an operator's audit for release /,
    );
    const message = deps.notifier.sent[1]?.notice.message ?? '';
    expect(message).toContain('Baton stopped re-auditing; once CodeDeploy answers, audit it again (Next:');
    // Every audit command it gives is one the stage's command line takes as it stands.
    const audits = message.split('\n').filter((l) => l.includes('baton audit'));
    expect(audits).toEqual([
      `  baton audit --deployment-id ${id} --stage prod --region eu-west-1   # audit again now, once CodeDeploy answers`,
    ]);
  });
});
