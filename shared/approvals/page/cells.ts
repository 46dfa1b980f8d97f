// One cell per target, as the approval page and the release board draw them: the target's id and its
// status in words, coloured by status (a Succeeded target that fell short reads as failing), so a cell
// reads without colour too.
import type { Verdict } from '../../audit/rules/gate';
import { type Html, html } from './html';

export const CELL_STYLE = `
.verdict{font-weight:600}.v-verified{color:#1a7f37}.v-partial,.v-incomplete{color:#9a6700}.v-failed{color:#cf222e}
.targets{display:flex;flex-wrap:wrap;gap:4px;list-style:none;padding:0;margin:.5rem 0}
.targets li{min-width:6.5rem;padding:.25rem .4rem;border-radius:4px;font:12px ui-monospace,monospace;color:#fff}
.targets li span{display:block;opacity:.85}
.s-succeeded{background:#1a7f37}.s-failed{background:#cf222e}.s-skipped{background:#8c959f}
.s-inprogress,.s-pending,.s-ready{background:#0969da}.s-unknown,.s-other{background:#6e4c00}
`;

const KNOWN_STATUSES = new Set([
  'succeeded',
  'failed',
  'skipped',
  'unknown',
  'inprogress',
  'pending',
  'ready',
]);

export const statusClass = (status: string) => {
  const s = status.toLowerCase().replace(/[^a-z]/g, '');
  return `s-${KNOWN_STATUSES.has(s) ? s : 'other'}`;
};

export const verdictClass = (verdict?: Verdict) => `v-${verdict ? verdict.toLowerCase() : 'none'}`;

/** A target of an audit recorded before the report kept every target: only its status is known. */
const UNNAMED = 'id not recorded';

/** A Succeeded target with a shortfall (it did not deliver its platform's outcome) is drawn as failing. */
export const targetCell = (t: {
  id: string;
  status: string;
  label?: string | undefined;
  shortfall?: string | undefined;
}): Html => {
  const state = t.shortfall ? `${t.status} · ${t.shortfall.replace(/^lifecycle event /, '')}` : t.status;
  const cls = t.shortfall ? 's-failed' : statusClass(t.status);
  return html`<li class="${cls}" title="${t.id || UNNAMED}: ${state}">${t.id || UNNAMED}<span>${t.label ? `${t.label} · ` : ''}${state}</span></li>\n`;
};
