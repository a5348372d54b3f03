import { escapeHtml } from '../../shared/html.js';

/** The HTML shell of a view: a strict CSP with a per-load nonce, the bundle and its styles. */
export interface WebviewHtmlInput {
  /** `webview.cspSource`: the only origin styles, fonts and images may come from. */
  cspSource: string;
  /** Fresh per load (base64, ≥ 128 bits): the only script that runs carries it. */
  nonce: string;
  title: string;
  /** `webview.asWebviewUri(...)` of dist/webview/<view>.js, <view>.css and codicon.css. */
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
}

/**
 * The Content-Security-Policy: nothing by default; scripts only with the nonce (no inline, no eval);
 * styles and fonts only from the extension's own files (no `'unsafe-inline'`: vscode-elements
 * sets element styles through the CSSOM and adopts constructed sheets, which style-src does not
 * cover); no `connect-src`, so the view cannot reach the daemon itself (it goes through the host).
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

export function webviewHtml(input: WebviewHtmlInput): string {
  const csp = contentSecurityPolicy(input.cspSource, input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeHtml(input.codiconUri)}" nonce="${escapeHtml(input.nonce)}">
<link rel="stylesheet" href="${escapeHtml(input.styleUri)}" nonce="${escapeHtml(input.nonce)}">
<title>${escapeHtml(input.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${escapeHtml(input.nonce)}" src="${escapeHtml(input.scriptUri)}"></script>
</body>
</html>`;
}
