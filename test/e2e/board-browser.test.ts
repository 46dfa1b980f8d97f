// The release board in a real headless Chromium: a local stack where dev is VERIFIED and staging's
// release is PARTIAL (its second instance fails ValidateService), the board served at the stack's
// board URL from the operator's `board`, and `baton board --local` writing the same page to a file.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { writeStackFile } from '../../local/stack-file';
import { runBaton } from '../support/cli';
import { root } from '../support/fixtures';
import { uploadToMain, webAppArtifact } from '../support/local-codedeploy-fixtures';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const work = mkdtempSync(join(tmpdir(), 'baton-board-e2e-'));

let stack: LocalStack;
let browser: Browser;
let commit = '';

/** CodeDeploy finished the newest deployment of `environment`, and its audit and follow-up ran. */
const settled = async (environment: string) => {
  const answer = (await stack.operator({ command: 'status', application: 'web' })) as {
    result: { environments: { environment: string; latest?: { deploymentId: string } }[] };
  };
  const id = answer.result.environments.find((e) => e.environment === environment)?.latest?.deploymentId;
  await stack.codedeploy.waitForDeployment(id ?? '');
  await stack.router.settle();
};

beforeAll(async () => {
  stack = await startLocalStack({ instances: 3 });
  stack.codedeploy.failHook({
    application: 'baton-web',
    group: 'web-staging',
    instanceIndex: 1,
    hook: 'ValidateService',
  });
  const artifact = webAppArtifact(join(work, 'app'));
  commit = artifact.commit;
  await uploadToMain(stack, artifact);
  await settled('dev');
  await stack.push({ repository: 'web', type: 'tag', name: 'v1.0.0', commit });
  await stack.router.settle();
  await settled('staging');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the release board', () => {
  it('shows every environment in order with its verdict, release, commit and one labelled cell per instance', async () => {
    // Prepare
    const person = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1300, height: 1000 },
    });
    const tab = await person.newPage();
    const violations: string[] = [];
    tab.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    // Act
    const response = await tab.goto(stack.boardUrl);
    const order = await tab.locator('li.environment h3').allInnerTexts();
    const verdicts = await tab.locator('li.environment p.verdict').allInnerTexts();
    const cellsOf = (env: string) =>
      tab.locator(`li[data-environment="${env}"] ul.targets li`).allInnerTexts();
    const [dev, staging, production] = await Promise.all([
      cellsOf('dev'),
      cellsOf('staging'),
      cellsOf('production'),
    ]);
    const stagingText = await tab.locator('li[data-environment="staging"]').textContent();
    const failedColour = await tab.evaluate(
      "getComputedStyle(document.querySelector('li[data-environment=staging] ul.targets li.s-failed')).backgroundColor",
    );
    const timeline = await tab.locator('table.timeline tbody tr').allInnerTexts();
    const refresh = await tab.locator('meta[http-equiv="refresh"]').getAttribute('content');
    const scripts = await tab.locator('script').count();
    mkdirSync(join(root, 'test-output'), { recursive: true });
    const shot = join(root, 'test-output', 'release-board.png');
    await tab.screenshot({ path: shot, fullPage: true });
    console.log(`release board screenshot: ${shot}`);
    await person.close();
    // Assess
    expect(response?.status()).toBe(200);
    expect(order.map((h) => h.split(/\s/)[0])).toEqual(['dev', 'staging', 'production']);
    expect(verdicts).toEqual(['VERIFIED', 'PARTIAL', 'NOT DEPLOYED']);
    const devIds = stack.codedeploy.instances('baton-web', 'web-dev').map((i) => i.id);
    const stagingIds = stack.codedeploy.instances('baton-web', 'web-staging').map((i) => i.id);
    expect(dev.map((c) => c.split('\n'))).toEqual(devIds.map((id) => [id, 'Succeeded']));
    expect(staging.map((c) => c.split('\n'))).toEqual(
      stagingIds.map((id, i) => [id, i === 1 ? 'Failed' : 'Succeeded']),
    );
    expect(production).toEqual([]);
    expect(stagingText).toContain(`v1.0.0 · ${commit.slice(0, 7)}`);
    expect(stagingText).toContain('PARTIAL (2/3 instances succeeded)');
    expect(failedColour).toBe('rgb(207, 34, 46)');
    expect(timeline.length).toBeGreaterThan(0);
    expect(timeline.some((row) => row.includes('staging'))).toBe(true);
    expect(refresh).toBe('5');
    expect(scripts).toBe(0);
    expect(violations).toEqual([]);
  });

  it('`baton board --local` writes the same page to a file and prints its path', async () => {
    // Prepare
    const stackFile = writeStackFile(stack, join(work, 'stack.json'));
    const out = join(work, 'board.html');
    // Act
    const ran = await runBaton(['board', '--local', stackFile, '--out', out, '--no-open'], {
      PATH: process.env.PATH ?? '',
      HOME: work,
    });
    const served = await (await fetch(stack.boardUrl)).text();
    const written = readFileSync(out, 'utf8');
    // Assess
    expect(ran).toMatchObject({ code: 0, stdout: `${out}\n` });
    const sections = (page: string) => page.slice(page.indexOf('<section'), page.lastIndexOf('</section>'));
    expect(sections(written)).toBe(sections(served));
    expect(written).not.toContain('http-equiv="refresh"');
  });
});
