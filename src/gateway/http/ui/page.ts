import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { escapeHtml } from '../../../shared/html.js';

/** Where the dashboard's static files are served (dist/webview). */
export const ASSET_PREFIX = '/ui/assets/';
/** Where one view's frame is served: `/ui/view/<bundle>`. */
export const VIEW_PREFIX = '/ui/view/';

/**
 * The Content-Security-Policy of the dashboard's documents. Nothing by default; scripts only with
 * the per-response nonce (no inline handlers, no eval: the bundles run zod jitless); styles and
 * fonts only from the gateway (vscode-elements style through the CSSOM, which style-src does not
 * govern); no forms posted anywhere (`form-action 'none'`: the token form is read by script), no
 * `<base>`. The top page (`frame: 'top'`) may fetch its own origin and frame its own view pages,
 * and may be framed by no one; a view frame may fetch nothing (it talks to the page, as a webview
 * talks to VS Code) and be framed only by the gateway's own page.
 */
export function uiContentSecurityPolicy(nonce: string, frame: 'top' | 'view'): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "font-src 'self'",
    "img-src 'self' data:",
    ...(frame === 'top' ? ["connect-src 'self'", "frame-src 'self'", "frame-ancestors 'none'"] : ["frame-ancestors 'self'"]),
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Headers every dashboard response carries (documents and assets): no MIME sniffing, no
 * Referer (the one-time code must not leak from the URL), and no caching of documents. No
 * `Access-Control-*` header is ever set: the API stays closed to other origins.
 */
export function setUiHeaders(res: Response, document?: { nonce: string; frame: 'top' | 'view' }): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  if (!document) return;
  res.setHeader('content-security-policy', uiContentSecurityPolicy(document.nonce, document.frame));
  res.setHeader('x-frame-options', document.frame === 'top' ? 'DENY' : 'SAMEORIGIN');
  // A page on another origin that opened this one keeps no handle to it (no postMessage, no frames).
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cache-control', 'no-store');
}

export const newNonce = () => randomBytes(18).toString('base64');

/** The shell of a document: the theme, the bundle's stylesheet and script, a `#app` to mount in. */
function shell(input: { nonce: string; title: string; bundle: string; codicons: boolean; bodyClass: string }): string {
  const n = escapeHtml(input.nonce);
  const asset = (file: string) => escapeHtml(`${ASSET_PREFIX}${file}`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="referrer" content="no-referrer">
${input.codicons ? `<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${asset('codicon.css')}" nonce="${n}">\n` : ''}<link rel="stylesheet" href="${asset('browser-theme.css')}" nonce="${n}">
<link rel="stylesheet" href="${asset(`${input.bundle}.css`)}" nonce="${n}">
<title>${escapeHtml(input.title)}</title>
</head>
<body class="${escapeHtml(input.bodyClass)}">
<main id="app" aria-live="polite"></main>
<script nonce="${n}" src="${asset(`${input.bundle}.js`)}"></script>
</body>
</html>`;
}

/** `GET /`: the dashboard page (tabs, sign-in, the in-page host); carries no secret. */
export function dashboardPage(nonce: string): string {
  return shell({ nonce, title: 'MCPlexer', bundle: 'browser', codicons: true, bodyClass: 'mcplexer-dashboard' });
}

/** `GET /ui/view/<bundle>`: one view's document, as VS Code would load it in a webview. */
export function viewPage(nonce: string, bundle: string): string {
  return shell({ nonce, title: bundle, bundle, codicons: true, bodyClass: 'mcplexer-view' });
}

/** `GET /` when the bundles are not beside the daemon (an unbuilt checkout, a copied CLI). */
export function missingAssetsPage(dir: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>MCPlexer</title></head><body>
<h1>MCPlexer gateway is running</h1>
<p>The browser dashboard's files are not installed beside this daemon (looked in ${escapeHtml(dir)}). Build them with <code>npm run build</code>, or start the daemon from the extension or the package's <code>dist/cli.js</code>.</p>
</body></html>`;
}

/**
 * Whether a request is a browser's top-level navigation to a document (Fetch Metadata:
 * `Sec-Fetch-Mode: navigate`, `Sec-Fetch-Dest: document`): not a fetch, a frame or a subresource.
 */
export function isPageNavigation(req: { headers: Record<string, string | string[] | undefined> }): boolean {
  return req.headers['sec-fetch-mode'] === 'navigate' && req.headers['sec-fetch-dest'] === 'document';
}
