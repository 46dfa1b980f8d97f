// The operator's `audit` command runs in deployment-finished: a request the operator signs with the
// approval key for the caller it proved. Signed, it is audited and answered with the report; unsigned,
// forged, expired or malformed, it is recorded and refused, and nothing is audited.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reaudit } from '../../functions/deployment-finished/handler';
import { signToken, type TokenKeySource } from '../../shared/approvals/rules/token';
import { AuditFunctionError } from '../../shared/audit/ports';
import type { AuditRecord } from '../../shared/audit/records';
import {
  checkReaudit,
  isReauditRequest,
  REAUDIT_TTL_SECONDS,
  type ReauditRequest,
  signReaudit,
} from '../../shared/audit/rules/reaudit-request';
import { auditKeys } from '../../shared/ledger/keys';
import type { Rejection } from '../../shared/ledger/records';
import { auditCommand } from '../../shared/operator/audit';
import { invokeOperator } from '../../shared/operator/invoke';
import { SAMPLE_KEY } from '../support/approvals';
import { auditMemoryDeps, deployed } from '../support/audit';
import { COMMIT, root } from '../support/fixtures';
import { reauditorOn } from '../support/reauditing';

const OTHER_KEY = Buffer.from('another-key-that-signed-nothing-here-0002', 'utf8');
const at = new Date('2026-11-20T18:00:00.000Z');
const inFive = Math.floor(at.getTime() / 1000) + REAUDIT_TTL_SECONDS;
const claims = { deploymentId: 'd-AUDIT0001', by: 'arn:aws:iam::123456789012:user/alice', expiresAt: inFive };

const rejections = (deps: ReturnType<typeof auditMemoryDeps>) =>
  [...deps.store.records.entries()]
    .filter(([key]) => key.startsWith('rejected/'))
    .map(([, value]) => JSON.parse(value.body) as Rejection);

describe('the re-audit request signature', () => {
  it('holds for the claims it signed, with the current key or the one before a rotation', () => {
    const request = signReaudit(SAMPLE_KEY, claims);
    expect(checkReaudit({ current: SAMPLE_KEY }, request, at)).toEqual({ ok: true });
    expect(checkReaudit({ current: OTHER_KEY, previous: SAMPLE_KEY }, request, at)).toEqual({ ok: true });
  });

  it.each([
    ['who asked', { by: 'arn:aws:iam::123456789012:user/mallory' }],
    ['the deployment', { deploymentId: 'd-OTHER0001' }],
    ['the expiry', { expiresAt: inFive + 3600 }],
  ])('breaks when %s changes', (_, change) => {
    const { reaudit: signed } = signReaudit(SAMPLE_KEY, claims);
    const changed: ReauditRequest = { reaudit: { ...signed, ...change } };
    expect(checkReaudit({ current: SAMPLE_KEY }, changed, at)).toEqual({
      ok: false,
      reason: 'not signed with the approval key',
    });
  });

  it('is refused when it would live longer than the operator signs for (a minute of clock skew aside)', () => {
    const latest = Math.floor(at.getTime() / 1000) + REAUDIT_TTL_SECONDS + 60;
    expect(
      checkReaudit({ current: SAMPLE_KEY }, signReaudit(SAMPLE_KEY, { ...claims, expiresAt: latest }), at).ok,
    ).toBe(true);
    expect(
      checkReaudit(
        { current: SAMPLE_KEY },
        signReaudit(SAMPLE_KEY, { ...claims, expiresAt: latest + 1 }),
        at,
      ),
    ).toEqual({ ok: false, reason: 'expires too late' });
  });

  it('is refused under another key, and from its expiry on', () => {
    const request = signReaudit(SAMPLE_KEY, claims);
    expect(checkReaudit({ current: OTHER_KEY }, request, at).ok).toBe(false);
    expect(checkReaudit({ current: SAMPLE_KEY }, request, new Date((inFive - 1) * 1000)).ok).toBe(true);
    expect(checkReaudit({ current: SAMPLE_KEY }, request, new Date(inFive * 1000))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('takes its signature spelled only one way: the unused bits of the last character are not free', () => {
    const { reaudit: signed } = signReaudit(SAMPLE_KEY, claims);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signed.signature.at(-1) ?? '');
    // 43 characters carry 258 bits for 256: flipping the lowest bit of the last one keeps the bytes.
    const respelled = signed.signature.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(signed.signature, 'base64url'));
    const request: ReauditRequest = { reaudit: { ...signed, signature: respelled } };
    expect(checkReaudit({ current: SAMPLE_KEY }, request, at).ok).toBe(false);
  });

  it('takes no approval link MAC as a signature: the two are made in separate domains', () => {
    const token = signToken(SAMPLE_KEY, {
      approvalId: claims.deploymentId,
      approver: claims.by,
      expiresAt: new Date(inFive * 1000),
    });
    const signature = token.split('.')[2] ?? '';
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const request: ReauditRequest = { reaudit: { ...claims, signature } };
    expect(checkReaudit({ current: SAMPLE_KEY }, request, at).ok).toBe(false);
  });
});

describe("deployment-finished's two kinds of event", () => {
  it.each([
    'codedeploy/deployment-state-change-success.json',
    'eventbridge/codedeploy-state-change-start.json',
    'sns/codedeploy-trigger-failure.json',
  ])("takes %s for CodeDeploy's, not for a re-audit request", (sample) => {
    const event: unknown = JSON.parse(readFileSync(join(root, 'events', sample), 'utf8'));
    expect(isReauditRequest(event)).toBe(false);
  });

  it('takes anything with a top-level reaudit for a re-audit request, held to its schema', () => {
    expect(isReauditRequest(signReaudit(SAMPLE_KEY, claims))).toBe(true);
    expect(isReauditRequest({ reaudit: 'anything' })).toBe(true);
    expect(isReauditRequest([{ reaudit: {} }])).toBe(false);
  });
});

describe('deployment-finished answering a re-audit request', () => {
  const keys: TokenKeySource = async () => ({ current: SAMPLE_KEY });

  const setup = async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'staging', COMMIT);
    const expiresAt = Math.floor(deps.clock.now().getTime() / 1000) + REAUDIT_TTL_SECONDS;
    return { deps, id, request: signReaudit(SAMPLE_KEY, { ...claims, deploymentId: id, expiresAt }) };
  };

  it('audits a signed request and answers with the report; the record names who asked', async () => {
    const { deps, id, request } = await setup();

    const answer = await reaudit(request, { ...deps, keys });

    expect(answer).toMatchObject({
      ok: true,
      result: { deploymentId: id, verdict: 'VERIFIED', ledgerKey: auditKeys.audit(id) },
    });
    const record = JSON.parse(deps.store.records.get(auditKeys.audit(id))?.body ?? '{}') as AuditRecord;
    expect(record.trigger).toBe(`operator ${claims.by}`);
    expect(rejections(deps)).toEqual([]);
  });

  it.each([
    ['signed with another key', (r: ReauditRequest) => signReaudit(OTHER_KEY, r.reaudit), 'not signed'],
    [
      'naming somebody else than it was signed for',
      (r: ReauditRequest) => ({ reaudit: { ...r.reaudit, by: 'arn:aws:iam::123456789012:user/mallory' } }),
      'not signed',
    ],
    [
      'past its expiry',
      (r: ReauditRequest) => signReaudit(SAMPLE_KEY, { ...r.reaudit, expiresAt: 1_700_000_000 }),
      'expired',
    ],
  ])('refuses a request %s, records the refusal and audits nothing', async (_, change, reason) => {
    const { deps, id, request } = await setup();

    const answer = await reaudit(change(request), { ...deps, keys });

    expect(answer).toEqual({
      ok: false,
      kind: 'ReauditRefusedError',
      error: expect.stringContaining(reason),
    });
    expect(deps.store.records.has(auditKeys.audit(id))).toBe(false);
    expect(rejections(deps)).toEqual([
      expect.objectContaining({ source: 'deployment-finished', reason: expect.stringContaining(id) }),
    ]);
    // Whom an unverified request claims to come from is not recorded.
    expect(JSON.stringify(rejections(deps))).not.toMatch(/alice|mallory/);
  });

  it('refuses a malformed request naming the field, and records it', async () => {
    const { deps, request } = await setup();
    const { signature: _, ...unsigned } = request.reaudit;

    const answer = await reaudit({ reaudit: unsigned }, { ...deps, keys });

    expect(answer).toEqual({
      ok: false,
      kind: 'ReauditRefusedError',
      error: expect.stringContaining('reaudit.signature'),
    });
    expect(rejections(deps)).toHaveLength(1);
  });

  it('reads the key again once when the signature does not hold: the operator may have the rotated key', async () => {
    const { deps, id, request } = await setup();
    const reads: boolean[] = [];
    const rotated: TokenKeySource = async (options) => {
      reads.push(Boolean(options?.refresh));
      return options?.refresh ? { current: SAMPLE_KEY, previous: OTHER_KEY } : { current: OTHER_KEY };
    };

    const answer = await reaudit(request, { ...deps, keys: rotated });

    expect(answer).toMatchObject({ ok: true, result: { deploymentId: id } });
    expect(reads).toEqual([false, true]);
  });

  it('answers what a caller may read of a failure (no such deployment) instead of failing', async () => {
    const { deps } = await setup();
    const expiresAt = Math.floor(deps.clock.now().getTime() / 1000) + REAUDIT_TTL_SECONDS;
    const request = signReaudit(SAMPLE_KEY, { ...claims, deploymentId: 'd-NOSUCH001', expiresAt });

    const answer = await reaudit(request, { ...deps, keys });

    expect(answer).toMatchObject({ ok: false, kind: 'NotFoundError' });
  });
});

describe("the operator's audit command", () => {
  it('asks the audit function with a request it signed for the caller, and answers its report', async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'staging', COMMIT);
    const seen: ReauditRequest[] = [];
    const reauditor = reauditorOn(deps);

    const result = await auditCommand(
      {
        clock: deps.clock,
        reauditing: {
          keys: async () => ({ current: SAMPLE_KEY }),
          reauditor: {
            reaudit: async (r) => {
              seen.push(r);
              return reauditor.reaudit(r);
            },
          },
        },
      },
      { command: 'audit', deploymentId: id },
      claims.by,
    );

    expect(result).toMatchObject({ deploymentId: id, verdict: 'VERIFIED' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.reaudit).toMatchObject({
      deploymentId: id,
      by: claims.by,
      expiresAt: Math.floor(deps.clock.now().getTime() / 1000) + REAUDIT_TTL_SECONDS,
    });
  });

  it("answers the audit function's refusal under its own name", async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'staging', COMMIT);
    // The operator signs with a key the audit function does not hold.
    const operator = {
      ...deps,
      reauditing: {
        keys: async () => ({ current: OTHER_KEY }),
        reauditor: reauditorOn(deps, async () => ({ current: SAMPLE_KEY })),
      },
    };

    const answer = await invokeOperator(operator, { command: 'audit', deploymentId: id });

    expect(answer).toEqual({
      ok: false,
      kind: 'ReauditRefusedError',
      error: expect.stringContaining('not signed with the approval key'),
    });
    expect(deps.store.records.has(auditKeys.audit(id))).toBe(false);
  });

  it("fails when the audit function fails, and its log line says which function's log holds the cause", async () => {
    const deps = auditMemoryDeps();
    const failure = new AuditFunctionError(
      'the audit function baton-dev-deploymentFinished failed (Unhandled): Error: boom',
    );
    const operator = {
      ...deps,
      reauditing: {
        keys: async () => ({ current: SAMPLE_KEY }),
        reauditor: { reaudit: () => Promise.reject(failure) },
      },
    };

    await expect(invokeOperator(operator, { command: 'audit', deploymentId: 'd-AUDIT0001' })).rejects.toBe(
      failure,
    );

    expect(deps.log.lines.at(-1)).toEqual({
      level: 'error',
      message: 'operator command failed',
      extra: { error: 'AuditFunctionError', detail: failure.message },
    });
  });

  it('is refused, naming the wiring, where no audit function is wired', async () => {
    const deps = auditMemoryDeps();
    const answer = await invokeOperator(
      { ...deps, reauditing: undefined },
      { command: 'audit', deploymentId: 'd-AUDIT0001' },
    );
    expect(answer).toMatchObject({ ok: false, kind: 'ConfigError' });
  });
});
