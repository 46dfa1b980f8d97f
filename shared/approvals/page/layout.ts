// The page frame and the security headers. The one stylesheet is inline and allowed by its hash; the
// policy allows nothing else: no script, no images, no frames, forms only to this same origin.
import { createHash } from 'node:crypto';
import { CELL_STYLE } from './cells';
import { Html, html } from './html';

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
main{max-width:46rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;border:1px solid #d9dde5}
h1{font-size:1.35rem;margin:0 0 1rem}h2{font-size:1.05rem;margin:1.5rem 0 .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}dt{color:#5b6475}dd{margin:0;overflow-wrap:anywhere}
code{font:13px ui-monospace,monospace}
${CELL_STYLE}.legend{color:#5b6475;font-size:.85rem}
form{margin-top:1.5rem}textarea{width:100%;box-sizing:border-box;min-height:4.5rem;font:inherit}
.buttons{display:flex;gap:1rem;margin-top:.75rem}
button{font:inherit;font-weight:600;padding:.55rem 1.4rem;border-radius:6px;border:1px solid transparent;cursor:pointer}
.approve{background:#1a7f37;color:#fff}.reject{background:#fff;color:#cf222e;border-color:#cf222e}
.note{color:#5b6475;font-size:.9rem}.refusal h1{color:#cf222e}.done h1{color:#1a7f37}
`;

/** The headers of a page whose one stylesheet is `style`: it alone is allowed, by its hash. */
export const securityHeaders = (style: string): Readonly<Record<string, string>> => ({
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex, nofollow',
});

export const SECURITY_HEADERS = securityHeaders(STYLE);

export type PageKind = 'decision' | 'done' | 'refusal';

export const page = (title: string, kind: PageKind, body: Html, refusal?: string): string =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${title} · Baton</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<main class="${kind}"${refusal ? html` data-refusal="${refusal}"` : ''}>
${body}
</main>
</body>
</html>
`.value;
