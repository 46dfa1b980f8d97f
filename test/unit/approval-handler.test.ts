// The approval function with the function URL samples of events/approval/ (payload format 2.0, shape from
// https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html): GET and HEAD change nothing, POST
// records one decision and nothing else (approval-decided acts on it), and every refusal is a clear page
// with the security headers.

import { describe, expect, it } from 'vitest';
import { run } from '../../functions/approval/handler';
import { approvals } from '../../shared/approvals/approvals';
import type { ApprovalDecision } from '../../shared/approvals/records';
import { approvalKeys } from '../../shared/ledger/keys';
import {
  APPROVER,
  approvalTestDeps,
  ROTATED_KEY,
  SAMPLE_APPROVAL_ID,
  SAMPLE_KEY,
  sampleRequest,
  seedStagingAudit,
  stagingInstances,
} from '../support/approvals';
import { loadEvent } from '../support/fixtures';

const requested = async () => {
  const deps = approvalTestDeps();
  await seedStagingAudit(deps.store, 9, ['i-0c9f<b>']);
  await approvals(deps).request(sampleRequest());
  deps.notifier.published.length = 0;
  deps.clock.advance(5 * 60_000);
  return deps;
};

const ledger = (deps: ReturnType<typeof approvalTestDeps>) => JSON.stringify([...deps.store.records]);

const expectSecurityHeaders = (headers: Record<string, string>) => {
  expect(headers['content-security-policy']).toMatch(
    /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/,
  );
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cache-control']).toBe('no-store');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['content-type']).toBe('text/html; charset=utf-8');
};

describe('approval function', () => {
  it('GET shows the release, the audit per instance and a form that a person must submit; nothing changes', async () => {
    // Prepare
    const deps = await requested();
    const before = ledger(deps);
    // Act
    const res = await run(loadEvent('approval/get.json'), deps);
    // Assess
    expect(res.statusCode).toBe(200);
    expectSecurityHeaders(res.headers);
    expect(res.body).toContain('Approve web v1.2.0 for production?');
    expect(res.body).toContain('3f786850e387550fdab836ed7e6dc881de23001b');
    expect(res.body).toContain('staging — PARTIAL (8/9 instances succeeded)');
    expect(res.body.match(/<li class="s-succeeded"/g)).toHaveLength(8);
    // Every cell names its instance, the succeeded ones too.
    for (const id of stagingInstances(8))
      expect(res.body).toContain(
        `<li class="s-succeeded" title="${id}: Succeeded">${id}<span>Succeeded</span></li>`,
      );
    expect(res.body).not.toContain('id not recorded');
    expect(res.body.match(/<li class="s-failed"/g)).toHaveLength(1);
    expect(res.body).toContain('<form method="post">');
    expect(res.body).toContain(
      '<button class="approve" type="submit" name="decision" value="approve">Approve</button>',
    );
    expect(res.body).toContain(
      '<button class="reject" type="submit" name="decision" value="reject">Reject</button>',
    );
    expect(res.body).not.toMatch(/<script|javascript:|\son\w+=/i);
    expect(ledger(deps)).toBe(before);
    expect(deps.releaseFlow.calls).toEqual([]);
  });

  it('HEAD from a mail scanner gets headers and no body, and changes nothing', async () => {
    const deps = await requested();
    const before = ledger(deps);
    const res = await run(loadEvent('approval/head-scanner.json'), deps);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expectSecurityHeaders(res.headers);
    expect(ledger(deps)).toBe(before);
  });

  it('POST records the decision with who, when, comment, source IP and user agent, and nothing else', async () => {
    // Prepare
    const deps = await requested();
    const before = new Map(deps.store.records);
    // Act
    const res = await run(loadEvent('approval/post-approve.json'), deps);
    // Assess
    expect(res.statusCode).toBe(200);
    expectSecurityHeaders(res.headers);
    expect(res.body).toContain('Recorded: you approved web v1.2.0 for production');
    expect(res.body).toContain(
      'The release continues shortly: v1.2.0 enters production once one approver has approved and none has rejected.',
    );
    const changed = [...deps.store.records.keys()].filter((k) => before.get(k) !== deps.store.records.get(k));
    expect(changed).toEqual([approvalKeys.decision(SAMPLE_APPROVAL_ID, APPROVER)]);
    expect([...before.keys()].filter((k) => !deps.store.records.has(k))).toEqual([]);
    const decision = await deps.store.get<ApprovalDecision>(
      approvalKeys.decision(SAMPLE_APPROVAL_ID, APPROVER),
    );
    expect(decision?.record).toEqual({
      v: 1,
      kind: 'approval-decision',
      approvalId: SAMPLE_APPROVAL_ID,
      approver: APPROVER,
      decision: 'approve',
      comment: 'Staging looks good; go.',
      at: '2026-11-20T18:05:00.000Z',
      via: 'link',
      sourceIp: '198.51.100.23',
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    });
    // The release moves on from approval-decided, not from this public function.
    expect(deps.releaseFlow.calls).toEqual([]);
    expect(deps.notifier.published).toEqual([]);
  });

  it('a repeated POST (or a later GET) shows the recorded decision and changes nothing', async () => {
    // Prepare
    const deps = await requested();
    await run(loadEvent('approval/post-approve.json'), deps);
    const before = ledger(deps);
    // Act
    const repost = await run(loadEvent('approval/post-reject.json'), deps);
    const reopen = await run(loadEvent('approval/get.json'), deps);
    // Assess
    for (const res of [repost, reopen]) {
      expect(res.statusCode).toBe(409);
      expectSecurityHeaders(res.headers);
      expect(res.body).toContain('data-refusal="used"');
      expect(res.body).toContain('This link has already been used');
      expect(res.body).toContain(`Recorded: ${APPROVER} approved at 2026-11-20 18:05 UTC`);
    }
    expect(ledger(deps)).toBe(before);
  });

  it('POST reject records the rejection and says what follows; it alerts no one itself', async () => {
    const deps = await requested();
    const res = await run(loadEvent('approval/post-reject.json'), deps);
    expect(res.body).toContain('Recorded: you rejected web v1.2.0 for production');
    expect(res.body).toContain(
      'The release stops shortly: v1.2.0 does not enter production, and the team is alerted.',
    );
    expect(deps.notifier.published).toEqual([]);
    expect(deps.releaseFlow.calls).toEqual([]);
    expect(await deps.store.list(approvalKeys.decisions(SAMPLE_APPROVAL_ID))).toHaveLength(1);
  });

  it.each([
    ['approval/get-expired.json', 410, 'expired', 'This link has expired'],
    ['approval/get-tampered.json', 403, 'tampered', 'This link is not valid'],
    ['approval/post-wrong-approval.json', 403, 'wrong-approval', 'This link belongs to another approval'],
  ])('%s is refused with a clear page and changes nothing', async (sample, status, reason, title) => {
    const deps = await requested();
    const before = ledger(deps);
    const res = await run(loadEvent(sample), deps);
    expect(res.statusCode).toBe(status);
    expectSecurityHeaders(res.headers);
    expect(res.body).toContain(`data-refusal="${reason}"`);
    expect(res.body).toContain(`<h1>${title}</h1>`);
    expect(res.body).not.toContain('v1.2.0');
    expect(ledger(deps)).toBe(before);
    expect(deps.releaseFlow.calls).toEqual([]);
  });

  it('escapes hostile text from the audit and from comments', async () => {
    // Prepare
    const deps = approvalTestDeps();
    await deps.store.put('audits/d-STAGING01.json', {
      verdict: 'VERIFIED',
      report: {
        counts: { expected: 1, succeeded: 1 },
        failing: [
          { id: '<script>alert(1)</script>', label: '"><img src=x onerror=alert(2)>', status: 'Failed' },
        ],
      },
    });
    await approvals(deps).request(sampleRequest());
    const post = loadEvent<{ body: string }>('approval/post-approve.json');
    const form = new URLSearchParams(Buffer.from(post.body, 'base64').toString('utf8'));
    form.set('comment', '</p><script>fetch("//evil")</script>');
    post.body = Buffer.from(form.toString()).toString('base64');
    // Act
    const page = await run(loadEvent('approval/get.json'), deps);
    const done = await run(post, deps);
    // Assess
    for (const body of [page.body, done.body]) expect(body).not.toMatch(/<script|<img/i);
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(done.body).toContain('&lt;/p&gt;&lt;script&gt;fetch(&quot;//evil&quot;)&lt;/script&gt;');
  });

  it('accepts links signed with the previous key after a rotation, re-reading a stale cached key once', async () => {
    // Prepare: this container still caches the old key when the rotation happens.
    const deps = await requested();
    let reads = 0;
    const rotated = { current: ROTATED_KEY, previous: SAMPLE_KEY };
    deps.keys = async (options) => {
      reads += 1;
      return options?.refresh ? rotated : { current: Buffer.from('an-even-older-key-that-was-cached!!') };
    };
    // Act
    const res = await run(loadEvent('approval/get.json'), deps);
    // Assess
    expect(res.statusCode).toBe(200);
    expect(reads).toBe(2);
  });

  it('refuses other methods, malformed events and links without a token', async () => {
    const deps = await requested();
    const put = loadEvent<{ requestContext: { http: { method: string } } }>('approval/get.json');
    put.requestContext.http.method = 'PUT';
    const bare = loadEvent<{ rawQueryString: string }>('approval/get.json');
    bare.rawQueryString = `approval=${SAMPLE_APPROVAL_ID}`;
    const methodRes = await run(put, deps);
    expect(methodRes).toMatchObject({ statusCode: 405, headers: { allow: 'GET, HEAD, POST' } });
    expect((await run({ hello: 'world' }, deps)).statusCode).toBe(400);
    expect((await run(bare, deps)).statusCode).toBe(400);
  });
});
