// The release board as one HTML page: every application, its environments in pipeline order, each
// with its current release and commit, its verdict in colour and words, one labelled cell per
// instance, what is in flight and queued, the approvals waiting and who has approved; then the newest
// release's timeline. No script: the served page refreshes itself with <meta http-equiv="refresh">.
import { CELL_STYLE, targetCell, verdictClass } from '../approvals/page/cells';
import { type Html, html, Html as Raw } from '../approvals/page/html';
import { securityHeaders } from '../approvals/page/layout';
import type { BoardData, BoardDeployment, BoardEnvironment } from './data';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
main{max-width:80rem;margin:1.5rem auto;padding:0 1.5rem}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:1.75rem 0 .5rem}h3{font-size:1rem;margin:0 0 .4rem}
code{font:12px ui-monospace,monospace}.note{color:#5b6475;font-size:.85rem;margin:0 0 1rem}
.environments{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:.75rem;list-style:none;padding:0;margin:0}
.environment{background:#fff;border:1px solid #d9dde5;border-top:6px solid #8c959f;border-radius:8px;padding:.75rem 1rem}
.environment.e-verified{border-top-color:#1a7f37}.environment.e-partial,.environment.e-incomplete{border-top-color:#9a6700}
.environment.e-failed{border-top-color:#cf222e}.environment.e-deploying{border-top-color:#0969da}
.verdict{font-size:1.05rem;margin:.2rem 0}.v-deploying{color:#0969da}.v-none{color:#5b6475}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .75rem;margin:.4rem 0}dt{color:#5b6475}dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;background:#fff;width:100%;border:1px solid #d9dde5}
th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #eaecf0;vertical-align:top}th{color:#5b6475;font-weight:600}
td:first-child{white-space:nowrap}
${CELL_STYLE}`;

/** The served page's headers: its one stylesheet allowed by hash, nothing else. */
export const BOARD_HEADERS = securityHeaders(STYLE);

/** The same policy inside the page, for a written file that no server sends headers for (a <meta>
 * policy cannot say frame-ancestors, so that part stays with the headers). */
const CSP_META = (BOARD_HEADERS['content-security-policy'] ?? '')
  .split('; ')
  .filter((d) => !d.startsWith('frame-ancestors'))
  .join('; ');

/** Cells shown per environment; the rest are counted. */
const MAX_CELLS = 500;

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')}Z`;
const short = (commit: string) => commit.slice(0, 7);

/** The verdict of what runs in the environment as words, or what stands in for one. */
const verdictOf = (e: BoardEnvironment): { word: string; cls: string } => {
  const v = e.current?.verdict;
  if (v) return { word: v, cls: verdictClass(v) };
  if (e.inFlight || e.current) return { word: 'DEPLOYING', cls: 'v-deploying' };
  return { word: 'NOT DEPLOYED', cls: 'v-none' };
};

const attempt = (d: BoardDeployment): Html =>
  html`<dt>Latest attempt</dt><dd>${deploymentText(d)}${d.verdict ? html` · <span class="${verdictClass(d.verdict)}">${d.verdict}</span>` : ''} · ${utc(d.createdAt)}</dd>`;

const deploymentText = (d: BoardDeployment) =>
  html`${d.release ? html`${d.release} · ` : ''}<code>${short(d.commit)}</code> · <code>${d.deploymentId}</code>`;

const instances = (e: BoardEnvironment): Html => {
  if (e.instances.length === 0)
    return html`<p class="note">${e.current?.verdict ? 'No per-instance record of this deployment.' : 'No audit yet.'}</p>`;
  const shown = e.instances.slice(0, MAX_CELLS);
  return html`<ul class="targets" aria-label="instances of ${e.environment}">
${shown.map(targetCell)}</ul>${
    e.instances.length > shown.length
      ? html`<p class="note">first ${shown.length} of ${e.instances.length} shown</p>`
      : ''
  }`;
};

const approvals = (e: BoardEnvironment): Html =>
  e.approvals.length === 0
    ? html`none pending`
    : html`${e.approvals.map(
        (a) =>
          html`<div class="approval">${a.release}: ${a.approvedBy.length} of ${a.required} approved${
            a.approvedBy.length ? html` (by ${a.approvedBy.join(', ')})` : ''
          }; approvers ${a.approvers.join(', ')}; expires ${utc(a.expiresAt)}</div>`,
      )}`;

const environment = (e: BoardEnvironment): Html => {
  const v = verdictOf(e);
  return html`<li class="environment ${v.cls.replace('v-', 'e-')}" data-environment="${e.environment}">
<h3>${e.environment} <span class="note">${e.deploymentGroup}</span></h3>
<p class="verdict ${v.cls}">${v.word}</p>
${
  e.current && e.inFlight
    ? html`<p class="v-deploying">DEPLOYING ${e.inFlight.release ?? short(e.inFlight.commit)}</p>
`
    : ''
}<dl>
<dt>Running</dt><dd>${e.current ? deploymentText(e.current) : 'nothing deployed'}</dd>
${e.current ? html`<dt>Started</dt><dd>${utc(e.current.createdAt)} · ${e.current.cause}</dd>` : ''}
${e.audit ? html`<dt>Audit</dt><dd>${e.audit}</dd>` : ''}
${e.attempt ? attempt(e.attempt) : ''}
<dt>In flight</dt><dd>${e.inFlight ? deploymentText(e.inFlight) : 'none'}${e.queued ? ` · ${e.queued} queued` : ''}</dd>
<dt>Approvals</dt><dd>${approvals(e)}</dd>
</dl>
${instances(e)}
</li>
`;
};

const timeline = (r: NonNullable<BoardData['applications'][number]['release']>): Html =>
  html`<h3>Timeline of ${r.release}</h3>
<table class="timeline"><thead><tr><th>When</th><th>Environment</th><th>What</th><th>Detail</th><th>By</th></tr></thead>
<tbody>
${r.timeline.map(
  (t) =>
    html`<tr><td>${utc(t.at)}</td><td>${t.environment ?? ''}</td><td>${t.what}</td><td>${t.detail}</td><td>${t.by}</td></tr>\n`,
)}</tbody></table>`;

const application = (a: BoardData['applications'][number]): Html =>
  html`<section class="application" aria-label="application ${a.application}">
<h2>${a.application}</h2>
${
  a.release
    ? html`<p class="note">Newest release ${a.release.release} (<code>${short(a.release.commit)}</code>): next ${a.release.next}</p>`
    : html`<p class="note">No release yet.</p>`
}
<ol class="environments">
${a.environments.map(environment)}</ol>
${a.release && a.release.timeline.length > 0 ? timeline(a.release) : ''}
</section>
`;

export interface BoardPageOptions {
  /** Seconds between reloads of a served page; a file written once has none. */
  refreshSeconds?: number;
}

export const boardPage = (data: BoardData, options: BoardPageOptions = {}): string =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.refreshSeconds ? html`<meta http-equiv="refresh" content="${options.refreshSeconds}">\n` : ''}<meta name="robots" content="noindex, nofollow">
<meta http-equiv="Content-Security-Policy" content="${CSP_META}">
<meta name="referrer" content="no-referrer">
<title>Release board · Baton</title>
<style>${new Raw(STYLE)}</style>
</head>
<body>
<main>
<h1>Release board</h1>
<p class="note">As of ${utc(data.generatedAt)}${options.refreshSeconds ? ` · refreshes every ${options.refreshSeconds} s` : ''}</p>
${data.applications.map(application)}</main>
</body>
</html>
`.value;
