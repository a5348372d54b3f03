/**
 * A webview's page in headless Chromium with the real pieces around it: the built bundle, the HTML
 * with its CSP and nonce from src/extension/views/webview-html.ts, served over loopback (its origin
 * plays `webview.cspSource`), and a tiny `acquireVsCodeApi` whose postMessage reaches the real
 * HostChannel and handlers in this process, which ask the real gateway through a RestClient. Only
 * VS Code itself is missing.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { HostChannel, type Handlers } from '../../../src/shared/webviews/host/host-channel.js';
import { webviewHtml } from '../../../src/extension/views/webview-html.js';
import type { AnyProtocol, ViewNoteOf } from '../../../src/shared/webviews/protocol.js';

export interface PageServer {
  origin: string;
  pages: Map<string, string>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

/** Serves dist/webview (built into `outdir`) at /webview/ and generated pages at /page/<name>. */
export async function startPageServer(outdir: string): Promise<PageServer> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/page/') && pages.has(url.pathname.slice(6))) {
      res.writeHead(200, { 'content-type': TYPES['.html']! }).end(pages.get(url.pathname.slice(6)));
      return;
    }
    const file = path.join(outdir, path.basename(url.pathname));
    if (url.pathname.startsWith('/webview/')) {
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
      return;
    }
    // The browser asks for /favicon.ico once; a webview has none.
    res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { origin: `http://127.0.0.1:${address.port}`, pages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface ViewPage {
  page: Page;
  /** Reasons the view reported for messages it dropped (`view/dropped`). */
  drops: string[];
  /** What the host channel logged (dropped messages, failures). */
  hostLog: string[];
  /** The methods of the notifications the view sent the host, in order (`view/ready` included). */
  notes: string[];
  consoleErrors: string[];
  violations(): Promise<string[]>;
  /** Sends a notification to the view as the host would (a command's). */
  notify(method: string, params: unknown): void;
}

export async function openViewPage<P extends AnyProtocol>(
  browser: Browser,
  server: PageServer,
  options: {
    /** The bundle's base name (dist/webview/<view>.js). */
    view: string;
    theme: Record<string, string>;
    protocol: P;
    handlers: Handlers<P>;
    gatewayUrl: string;
    initialState?: unknown;
    width?: number;
  },
): Promise<ViewPage> {
  const nonce = randomBytes(18).toString('base64');
  const asset = (file: string) => `${server.origin}/webview/${file}`;
  const html = webviewHtml({
    cspSource: server.origin,
    nonce,
    title: options.view,
    scriptUri: asset(`${options.view}.js`),
    styleUri: asset(`${options.view}.css`),
    codiconUri: asset('codicon.css'),
  });
  const fake = `(() => {
    const theme = ${JSON.stringify(options.theme)};
    for (const [name, value] of Object.entries(theme)) document.documentElement.style.setProperty(name, value);
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
    let state = ${JSON.stringify(options.initialState ?? null)} ?? undefined;
    window.acquireVsCodeApi = () => ({
      postMessage: (message) => window.__toHost(JSON.parse(JSON.stringify(message))),
      getState: () => state,
      setState: (next) => ((state = next), next),
    });
  })();`;
  const name = `${options.view}-${randomBytes(4).toString('hex')}`;
  server.pages.set(name, html.replace('<body>', `<body>\n<script nonce="${nonce}">${fake}</script>`));

  const page = await browser.newPage({ viewport: { width: options.width ?? 400, height: 900 } });
  const drops: string[] = [];
  const hostLog: string[] = [];
  const notes: string[] = [];
  const consoleErrors: string[] = [];
  page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
  page.on('pageerror', (error) => void consoleErrors.push(String(error)));
  const post = (message: unknown) =>
    page
      .evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), message)
      .catch((error: Error) => hostLog.push(`post failed: ${error.message}`));
  const log = { warn: (m: string) => void hostLog.push(m), error: (m: string) => void hostLog.push(m) };
  const channel: HostChannel<P> = new HostChannel(options.protocol, options.handlers, post, log, (note) => {
    notes.push(note.method);
    if (note.method === 'view/ready') channel.notify('gateway/state' as ViewNoteOf<P>, { state: 'ready', url: options.gatewayUrl } as never);
    if (note.method === 'view/dropped') drops.push((note.params as { reason: string }).reason);
  });
  await page.exposeFunction('__toHost', (message: unknown) => void channel.receive(message));
  await page.goto(`${server.origin}/page/${name}`);
  return {
    page,
    drops,
    hostLog,
    notes,
    consoleErrors,
    violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
    notify: (method, params) => void channel.notify(method as ViewNoteOf<P>, params as never),
  };
}
