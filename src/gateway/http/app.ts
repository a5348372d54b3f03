import type { RequestListener } from 'node:http';
import path from 'node:path';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { STORED_VALUE_LIMITS } from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { allowedMethods } from './allowed-methods.js';
import { apiRouters, type ApiServices } from './api-routers.js';
import { errorHandler } from './error-map.js';
import { createRequestListener, type McpSessionPath } from './listener.js';
import { sseStreamLimit } from './sse-limit.js';
import { createRequestGuard, isOAuthDiscoveryPath, originGuard, requireJsonBody, tokenGuard, type SecurityOptions } from './security.js';
import { acceptsSession, isPageNavigation, uiCodesRouter, uiRouter, UiSessions } from './ui/index.js';

export const API_PREFIX = '/api/v1';
export const MAX_BODY_BYTES = STORED_VALUE_LIMITS.maxBodyBytes;

export interface HttpDependencies extends ApiServices {
  logger: Logger;
  security: SecurityOptions;
  /** The MCP endpoint, mounted at /mcp behind the same Host/Origin/token checks. */
  mcpHandler?: Array<RequestHandler | ErrorRequestHandler>;
  /** The hot path for established MCP sessions, served before Express. */
  mcpSessionPath?: McpSessionPath;
  /** The browser dashboard: where its built bundles are (default `<this bundle's dir>/webview`) and its code lifetime (tests). */
  ui?: { webviewDir?: string; codeTtlMs?: number };
}

const OAUTH_CALLBACK_PATH = `${API_PREFIX}/oauth/callback`;
const PUBLIC_PATHS = new Set([`${API_PREFIX}/health`, OAUTH_CALLBACK_PATH, '/', '/favicon.ico']);
/** The dashboard's documents, bundles and sign-in carry no secret: no token (Host and Origin still checked). */
const isUiPath = (path: string) => path.startsWith('/ui/');
const isApiPath = (path: string) => path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);

/**
 * The gateway's HTTP side: the Express app (security first, then the /api/v1 routers of one
 * table, /mcp, the dashboard, and error mapping) behind a request listener that serves
 * established MCP sessions directly. Errors thrown by any router reach the client through
 * `error-map.ts` (GatewayError code → status and `{"error": {code, message, details}}`).
 *
 * @returns the Express app (tests) and the Node request listener to serve (`http.createServer(listener)`)
 */
export function createHttpApp(deps: HttpDependencies): { app: Express; listener: RequestListener } {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const sessions = new UiSessions({ codeTtlMs: deps.ui?.codeTtlMs });
  const guard = createRequestGuard({ ...deps.security, session: (req) => acceptsSession(req, deps.security.port(), sessions) });
  // Cross-site navigations: the OAuth provider's redirect to the callback (its state is its own
  // guard), and the dashboard page opened from the private page `mcplexer open` writes (a file:
  // page; the dashboard page holds no secret and cannot be framed).
  // What the API answers (a server's env, the audit trail, health's stderr tails), its refusals
  // included, stays out of a browser's disk cache: a trial found the dashboard's answers in
  // Chromium's cache after sign-out. First, so the guards' 401 and 403 carry it too.
  app.use((req, res, next) => {
    if (isApiPath(req.path)) res.setHeader('cache-control', 'no-store').setHeader('x-content-type-options', 'nosniff');
    next();
  });
  app.use(originGuard(guard, (req) => req.method === 'GET' && (req.path === OAUTH_CALLBACK_PATH || (req.path === '/' && isPageNavigation(req)))));
  app.use(
    tokenGuard(
      guard,
      (path) => PUBLIC_PATHS.has(path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path) || isOAuthDiscoveryPath(path) || isUiPath(path),
      isApiPath,
    ),
  );
  app.use((req, _res, next) => next(isOAuthDiscoveryPath(req.path) ? noOAuth(req.path) : undefined));
  app.use(sseStreamLimit(() => deps.settings.current().settings.max_sse_streams));

  const api = express.Router();
  api.use(requireJsonBody(), express.json({ limit: MAX_BODY_BYTES, strict: false, type: () => true }));
  api.use('/ui', uiCodesRouter(sessions));
  // The one table of routers (api-routers.ts).
  for (const [path, router] of apiRouters(deps, guard)) {
    if (path === undefined) api.use(router);
    else api.use(path, router);
  }
  app.use(API_PREFIX, api);

  if (deps.mcpHandler) app.all('/mcp', ...deps.mcpHandler);
  app.use(uiRouter({ webviewDir: deps.ui?.webviewDir ?? path.join(__dirname, 'webview'), sessions, port: deps.security.port }));
  app.use((req, res, next) => {
    // A path the API has, asked with a method it does not answer: 405 and what it answers.
    const allowed = req.path.startsWith(`${API_PREFIX}/`) ? allowedMethods(req.path.slice(API_PREFIX.length)) : undefined;
    if (!allowed) return next(notFoundRoute(req.method, req.path));
    res.setHeader('allow', allowed.join(', '));
    next(
      new GatewayError(
        'method_not_allowed',
        `${req.method} is not an operation of ${req.path}: it answers ${allowed.join(', ')} (see ${API_PREFIX}/openapi.json)`,
      ),
    );
  });
  app.use(errorHandler(deps.logger, deps.mcpSessionPath?.errorBody));
  return { app, listener: createRequestListener(app, guard, deps.mcpSessionPath, deps.logger) };
}

function noOAuth(path: string): GatewayError {
  return new GatewayError(
    'not_found',
    `${path}: MCPlexer does not offer OAuth to its clients; authenticate with the header Authorization: Bearer <token>, the token is in ~/.mcplexer/api-token (or api-token in MCPLEXER_HOME)`,
  );
}

function notFoundRoute(method: string, path: string): GatewayError {
  return new GatewayError('not_found', `no endpoint ${method} ${path}; the API is described at ${API_PREFIX}/openapi.json`);
}
