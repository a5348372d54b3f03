import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { GatewayError } from '../../errors.js';
import { isOwnOrigin, requireJsonBody } from '../security.js';
import { tokenOnly } from '../token-only.js';
import { ASSET_PREFIX, dashboardPage, missingAssetsPage, newNonce, setUiHeaders, VIEW_PREFIX, viewPage } from './page.js';
import type { UiSession } from '../../../shared/schemas/ui.js';
import { acceptsSession, sessionOf } from './session-auth.js';
import type { IssuedCode, UiSessions } from './ui-sessions.js';
import { takesNoBody } from '../no-body.js';

export interface UiRouterOptions {
  /** The built bundles (dist/webview): `<view>.js|css`, `browser.js|css`, `browser-theme.css`, codicons. */
  webviewDir: string;
  sessions: UiSessions;
  /** The port the gateway listens on (the own origin). */
  port: () => number;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
};
/** Asset and bundle names: plain lowercase file names, so no path (`..`, `/`, `%2f`) ever reaches the disk. */
const ASSET_NAME = /^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9]+)?\.(?:js|css|ttf)$/;
const BUNDLE_NAME = /^[a-z][a-z0-9-]{0,40}$/;

const notFound = (what: string) => new GatewayError('not_found', `${what} is not part of the MCPlexer dashboard`);

/**
 * The browser dashboard's own routes, outside /api/v1 and without the token (they carry no
 * secret): `GET /` (the page), `GET /ui/view/<bundle>` (one view's document, framed by the page),
 * `GET /ui/assets/<file>` (the bundles), and the session: `GET /ui/session` (200 when the
 * `X-MCPlexer-Session` header names a live session, else 401), `POST /ui/session {code}` (a
 * one-time code for a session: 200 `{session}`, never a cookie), `DELETE /ui/session` (sign out;
 * 204). Host and Origin are checked before these, as for every path.
 * @throws GatewayError `not_found` (404) for an unknown view or asset, `unauthorized` (401) for
 *   a wrong, used or expired code or no live session, `forbidden` (403) for a session request from
 *   another origin, `unsupported_media_type` (415) / `validation_failed` (400) for a bad body
 */
export function uiRouter(options: UiRouterOptions): Router {
  const { webviewDir, sessions, port } = options;
  const router = Router();
  const built = (file: string) => existsSync(path.join(webviewDir, file));

  router.get('/', (_req, res) => {
    const nonce = newNonce();
    setUiHeaders(res, { nonce, frame: 'top' });
    res.type('html').send(built('browser.js') ? dashboardPage(nonce) : missingAssetsPage(webviewDir));
  });

  // Browsers ask for it unprompted; the dashboard has none.
  router.get('/favicon.ico', (_req, res) => void res.status(204).end());

  router.get(`${VIEW_PREFIX}:bundle`, (req, res, next) => {
    const bundle = req.params.bundle!;
    if (!BUNDLE_NAME.test(bundle) || bundle === 'browser' || !built(`${bundle}.js`)) return next(notFound(`the view "${bundle}"`));
    const nonce = newNonce();
    setUiHeaders(res, { nonce, frame: 'view' });
    res.type('html').send(viewPage(nonce, bundle));
  });

  router.get(`${ASSET_PREFIX}:file`, (req, res, next) => {
    const file = req.params.file!;
    if (!ASSET_NAME.test(file) || !built(file)) return next(notFound(`the file "${file}"`));
    setUiHeaders(res);
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(file, { root: webviewDir, dotfiles: 'deny', headers: { 'content-type': TYPES[path.extname(file)]! } }, (error) => error && next(error));
  });

  const ownOriginOnly: RequestHandler = (req, _res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || isOwnOrigin(origin.toLowerCase(), port())) return next();
    next(new GatewayError('forbidden', `Origin "${origin}" may not open a dashboard session: only the gateway's own page may`));
  };

  router.get('/ui/session', (req, res, next) => {
    if (!acceptsSession(req, port(), sessions))
      return next(new GatewayError('unauthorized', 'no dashboard session: sign in with the API token or a one-time code'));
    res.json({ authenticated: true });
  });

  router.post('/ui/session', ownOriginOnly, requireJsonBody(), express.json({ limit: 4096, strict: true }), (req, res) => {
    const code = (req.body as { code?: unknown } | undefined)?.code;
    const session = sessions.exchange(code);
    setUiHeaders(res);
    res.setHeader('cache-control', 'no-store');
    res.json({ session } satisfies UiSession);
  });

  router.delete('/ui/session', ownOriginOnly, (req, res) => {
    sessions.revoke(sessionOf(req));
    res.status(204).end();
  });

  return router;
}

/**
 * `POST /api/v1/ui/codes`: a one-time code for `mcplexer open` and the extension's "Open
 * Dashboard in Browser", answered as `{code, expires_at}` (201). Only a token holder may ask:
 * a dashboard session cannot mint codes for another browser.
 * @throws GatewayError `forbidden` (403) when the request was authenticated by a dashboard session
 */
export function uiCodesRouter(sessions: UiSessions): Router {
  const router = Router();
  router.post('/codes', tokenOnly('one-time codes'), takesNoBody, (_req, res) => void res.status(201).json(sessions.issueCode() satisfies IssuedCode));
  return router;
}
