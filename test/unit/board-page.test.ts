// The release board page: what runs beside the latest attempt and what is in flight, everything from
// the ledger escaped, older audits' unnamed cells, and its policy inside the written file.
import { describe, expect, it } from 'vitest';
import type { BoardData, BoardDeployment, BoardEnvironment } from '../../shared/board/data';
import { BOARD_HEADERS, boardPage } from '../../shared/board/page';
import { COMMIT, COMMIT2 } from '../support/fixtures';

const deployment = (over: Partial<BoardDeployment> = {}): BoardDeployment => ({
  deploymentId: 'd-GOOD00001',
  commit: COMMIT,
  release: 'v1.0.0',
  cause: 'release v1.0.0',
  createdAt: '2026-11-20T18:00:00.000Z',
  verdict: 'VERIFIED',
  ...over,
});

const environment = (over: Partial<BoardEnvironment> = {}): BoardEnvironment => ({
  environment: 'staging',
  deploymentGroup: 'web-staging',
  instances: [],
  queued: 0,
  approvals: [],
  ...over,
});

const board = (
  environments: BoardEnvironment[],
  timeline: { detail: string; by: string }[] = [],
): BoardData => ({
  generatedAt: '2026-11-20T19:00:00.000Z',
  applications: [
    {
      application: 'web',
      environments,
      release: {
        release: 'v1.1.0',
        commit: COMMIT2,
        next: 'done',
        timeline: timeline.map((t) => ({ at: '2026-11-20T18:30:00.000Z', what: 'forced', ...t })),
      },
    },
  ],
});

const card = (page: string) =>
  page.slice(page.indexOf('<li class="environment'), page.indexOf('</li>\n</ol>'));

describe('the board page', () => {
  it("after a rollback shows the rollback's VERIFIED revision as running and the failed attempt beside it", () => {
    const page = boardPage(
      board([
        environment({
          current: deployment({
            deploymentId: 'd-ROLLBACK1',
            release: undefined,
            cause: 'rollback by alice',
          }),
          attempt: deployment({
            deploymentId: 'd-BAD00001',
            commit: COMMIT2,
            release: 'v1.1.0',
            verdict: 'FAILED',
          }),
        }),
      ]),
    );
    const staging = card(page);
    expect(staging).toContain('<li class="environment e-verified"');
    expect(staging).toContain('<p class="verdict v-verified">VERIFIED</p>');
    expect(staging).toContain(
      `<dt>Running</dt><dd><code>${COMMIT.slice(0, 7)}</code> · <code>d-ROLLBACK1</code></dd>`,
    );
    expect(staging).toContain(
      `<dt>Latest attempt</dt><dd>v1.1.0 · <code>${COMMIT2.slice(0, 7)}</code> · <code>d-BAD00001</code> · <span class="v-failed">FAILED</span>`,
    );
  });

  it('while deploying keeps the running verdict and says what is deploying', () => {
    const staging = card(
      boardPage(
        board([
          environment({
            current: deployment(),
            inFlight: deployment({ deploymentId: 'd-NEXT00001', release: 'v1.1.0', verdict: undefined }),
          }),
        ]),
      ),
    );
    expect(staging).toContain('<p class="verdict v-verified">VERIFIED</p>');
    expect(staging).toContain('<p class="v-deploying">DEPLOYING v1.1.0</p>');
    expect(staging).toContain('<dt>In flight</dt><dd>v1.1.0 · ');
  });

  it('escapes every text from the ledger, in attributes and in the timeline', () => {
    const hostile = '"><script>alert(1)</script>';
    const page = boardPage(
      board(
        [environment({ environment: hostile, instances: [{ id: `i-1${hostile}`, status: 'Failed' }] })],
        [{ detail: `forced by alice: "it's fine" <script>x()</script>`, by: 'alice & <b>bob</b>' }],
      ),
    );
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('data-environment="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).toContain('title="i-1&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;: Failed"');
    expect(page).toContain(
      '<td>forced by alice: &quot;it&#39;s fine&quot; &lt;script&gt;x()&lt;/script&gt;</td><td>alice &amp; &lt;b&gt;bob&lt;/b&gt;</td>',
    );
  });

  it('draws a Succeeded ECS target that fell short of its outcome as a failing cell, naming why', () => {
    const shortfall = 'lifecycle event AfterAllowTraffic Failed';
    const page = boardPage(
      board([environment({ instances: [{ id: 'baton:svc-dev', status: 'Succeeded', shortfall }] })]),
    );
    expect(page).toContain(
      '<li class="s-failed" title="baton:svc-dev: Succeeded · AfterAllowTraffic Failed">baton:svc-dev<span>Succeeded · AfterAllowTraffic Failed</span></li>',
    );
  });

  it('draws the cells of an audit recorded before the full target list as "id not recorded"', () => {
    const page = boardPage(
      board([
        environment({
          current: deployment({ verdict: 'PARTIAL' }),
          instances: [
            { id: 'i-0bad', status: 'Failed' },
            { id: '', status: 'Succeeded' },
            { id: '', status: 'Succeeded' },
          ],
        }),
      ]),
    );
    expect(page.match(/>id not recorded<span>Succeeded<\/span>/g)).toHaveLength(2);
    expect(page).toContain('>i-0bad<span>Failed</span>');
  });

  it('carries its policy in a <meta> too, for the written file no server sends headers for', () => {
    const written = boardPage(board([environment()]));
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
      .exec(written)?.[1]
      ?.replaceAll('&#39;', "'");
    const header = BOARD_HEADERS['content-security-policy'] ?? '';
    expect(policy).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(header.split('; ')).toEqual(expect.arrayContaining(policy?.split('; ') ?? ['missing']));
    expect(policy).not.toContain('frame-ancestors');
  });
});
