// A real headless Chromium against the approval function served on loopback (local/function-url.ts),
// with the ledger, SNS and the link key on moto: the approver opens the emailed link, sees the page and
// approves (the page records the decision; its S3 event, delivered to approval-decided, moves the
// release on); a mail scanner's HEAD/GET, a script-running scanner and a script-less fetch change nothing;
// a replayed, expired or edited link shows the refusal page.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../functions/approval/handler';
import { run as decided } from '../../functions/approval-decided/handler';
import { emailedApprovals, provisionApprovals } from '../../local/approvals';
import { type ServedFunctionUrl, serveFunctionUrl } from '../../local/function-url';
import { type ApprovalDeps, approvals } from '../../shared/approvals/approvals';
import { signToken } from '../../shared/approvals/rules/token';
import { secretsKeySource } from '../../shared/aws/approval-keys';
import { snsNotifier } from '../../shared/aws/sns-notifier';
import { systemClock } from '../../shared/core/ports';
import {
  RecordingReleaseFlow,
  SAMPLE_APPROVAL_ID,
  sampleRequest,
  seedStagingAudit,
} from '../support/approvals';
import { CapturingLog, root, samplePipeline } from '../support/fixtures';
import { useMotoLedger } from '../support/moto-ledger';
import { objectCreatedEvent } from '../support/s3-events';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCANNER = 'Mozilla/5.0 (compatible; Microsoft-SafeLinks-Detonation)';

const BUCKET = 'baton-e2e';
const ctx = useMotoLedger(BUCKET);
let browser: Browser;
let page: ServedFunctionUrl;
let deps: ApprovalDeps & { releaseFlow: RecordingReleaseFlow };
let keySecretArn = '';
let link = '';
let ledgerKeys: () => Promise<string[]>;

beforeAll(async () => {
  const local = await provisionApprovals(ctx, BUCKET);
  keySecretArn = local.keySecretArn;
  const { store } = ctx;
  ledgerKeys = () => store.list('');
  // The page is served first: its URL is what the emailed links point at.
  let served: ((event: unknown) => Promise<unknown>) | undefined;
  page = await serveFunctionUrl((event) => (served ? served(event) : Promise.reject(new Error('not ready'))));
  deps = {
    pipeline: samplePipeline(),
    store,
    clock: systemClock,
    log: new CapturingLog(),
    notifier: snsNotifier(ctx.sns),
    releaseFlow: new RecordingReleaseFlow(),
    keys: secretsKeySource(ctx.secrets, local.keySecretArn),
    alertTopicArn: local.approvalTopicArn,
    approvalTopicArn: local.approvalTopicArn,
    approvalUrl: page.url,
  };
  served = (event) => run(event, deps);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  await seedStagingAudit(store, 9, ['i-0d4e']);
  await approvals(deps).request(sampleRequest());
  const [email] = await emailedApprovals(ctx.moto.endpoint, local.approvalTopicArn);
  link = email?.link ?? '';
});

afterAll(async () => {
  await browser?.close();
  await page?.close();
});

const decisionsRecorded = async () => (await ledgerKeys()).filter((k) => k.startsWith('approval-decisions/'));

/** What EventBridge does with the recorded decisions: their "Object Created" events to approval-decided. */
const deliverDecisions = async () => {
  for (const key of await decisionsRecorded())
    await decided(objectCreatedEvent(BUCKET, { key: `ledger/${key}` }), {
      ...deps,
      bucket: BUCKET,
      ledgerPrefix: 'ledger/',
    });
};

describe('approval page in a real browser', () => {
  it('the emailed link points at the page on loopback, bound to its approver', async () => {
    const [email] = await emailedApprovals(ctx.moto.endpoint, deps.approvalTopicArn);
    expect(email?.approver).toBe('release-manager@example.com');
    expect(email?.subject).toBe('Baton web production: approve release v1.2.0?');
    expect(link.startsWith(`${page.url}?approval=${SAMPLE_APPROVAL_ID}&token=a1.`)).toBe(true);
  });

  it("a scanner's HEAD and GET, a script-less fetch and a script-running visit change nothing", async () => {
    // Prepare
    const before = await ledgerKeys();
    // Act: link checkers fetch; a detonation sandbox renders the page with scripts on and waits.
    const head = await fetch(link, { method: 'HEAD', headers: { 'user-agent': SCANNER } });
    const get = await fetch(link, { headers: { 'user-agent': SCANNER } });
    const html = await get.text();
    const sandbox = await browser.newContext({ userAgent: SCANNER, javaScriptEnabled: true });
    const visit = await sandbox.newPage();
    const response = await visit.goto(link);
    await visit.waitForTimeout(500);
    await sandbox.close();
    // Assess
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(get.status).toBe(200);
    expect(get.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(get.headers.get('referrer-policy')).toBe('no-referrer');
    expect(html).toContain('<form method="post">');
    expect(html).not.toMatch(/<script/i);
    expect(response?.status()).toBe(200);
    expect(await ledgerKeys()).toEqual(before);
    expect(await decisionsRecorded()).toEqual([]);
    expect(deps.releaseFlow.calls).toEqual([]);
  });

  it('a person opens the link with no JavaScript, sees the release and its audit, and approves', async () => {
    // Prepare
    const person = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1000, height: 1200 },
    });
    const tab = await person.newPage();
    const violations: string[] = [];
    tab.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    // Act
    await tab.goto(link);
    await expect.poll(() => tab.title()).toBe('Approve v1.2.0 for production? · Baton');
    const heading = await tab.textContent('h1');
    const cells = await tab.locator('ul.targets li').count();
    const failed = await tab.locator('ul.targets li.s-failed').textContent();
    // The inline stylesheet is allowed by its hash: styles apply under the policy.
    const approveColour = await tab.evaluate(
      "getComputedStyle(document.querySelector('button.approve')).backgroundColor",
    );
    mkdirSync(join(root, 'test-output'), { recursive: true });
    await tab.screenshot({ path: join(root, 'test-output', 'approval-page.png'), fullPage: true });
    await tab.fill('#comment', 'Staging verified; go ahead.');
    await tab.click('button.approve');
    await tab.waitForSelector('main.done');
    const done = await tab.textContent('h1');
    const doneText = await tab.textContent('main');
    const advancedByPage = deps.releaseFlow.calls.length;
    await deliverDecisions();
    // Assess
    expect(heading).toBe('Approve web v1.2.0 for production?');
    expect(cells).toBe(9);
    expect(failed).toContain('i-0d4e');
    expect(approveColour).toBe('rgb(26, 127, 55)');
    expect(violations).toEqual([]);
    expect(done).toBe('Recorded: you approved web v1.2.0 for production');
    expect(doneText).toContain('The release continues shortly');
    expect(advancedByPage).toBe(0);
    expect(deps.releaseFlow.calls).toEqual([
      { application: 'web', release: 'v1.2.0', trigger: 'approved by release-manager@example.com' },
    ]);
    expect(await decisionsRecorded()).toHaveLength(1);
    expect(await approvals(deps).state('web', 'v1.2.0', 'production')).toBe('approved');
    // Replayed: back to the form (no-store: the browser asks again), the same POST again, the link again.
    await tab.goBack();
    const back = await tab.textContent('h1');
    const form = new URLSearchParams(new URL(link).search);
    form.set('decision', 'reject');
    const replay = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const replayed = await replay.text();
    await tab.goto(link);
    const reopened = await tab.textContent('h1');
    await person.close();
    await deliverDecisions();
    expect(back).toBe('This link has already been used');
    expect(replay.status).toBe(409);
    expect(replayed).toContain('Recorded: release-manager@example.com approved at');
    expect(reopened).toBe('This link has already been used');
    expect(deps.releaseFlow.calls).toHaveLength(1);
    expect(await decisionsRecorded()).toHaveLength(1);
    expect(await approvals(deps).state('web', 'v1.2.0', 'production')).toBe('approved');
  });

  it('an expired or edited link shows the refusal page', async () => {
    // Prepare
    const key = (await deps.keys()).current;
    const expired = new URL(link);
    expired.searchParams.set(
      'token',
      signToken(key, {
        approvalId: SAMPLE_APPROVAL_ID,
        approver: 'release-manager@example.com',
        expiresAt: new Date(Date.now() - 60_000),
      }),
    );
    const edited = link.slice(0, -1) + (link.endsWith('A') ? 'B' : 'A');
    const person = await browser.newContext({ javaScriptEnabled: false });
    const tab = await person.newPage();
    // Act
    const expiredResponse = await tab.goto(expired.toString());
    const expiredTitle = await tab.textContent('h1');
    const editedResponse = await tab.goto(edited);
    const editedTitle = await tab.textContent('h1');
    await person.close();
    // Assess
    expect(expiredResponse?.status()).toBe(410);
    expect(expiredTitle).toBe('This link has expired');
    expect(editedResponse?.status()).toBe(403);
    expect(editedTitle).toBe('This link is not valid');
    expect(keySecretArn).toMatch(/^arn:aws:secretsmanager:/);
  });
});
