import type { RequestListener } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import {
  STORED_VALUE_LIMITS,
  type AuthScopeService,
  type DownstreamService,
  type RouteService,
  type SettingsService,
  type WorkspaceService,
} from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { errorHandler } from './error-map.js';
import { openApiDocument } from './openapi.js';
import { crudRouter } from './routers/crud.js';
import { healthRouter, type HealthReport } from './routers/health.js';
import { notImplementedRouter } from './routers/not-implemented.js';
import { settingsRouter } from './routers/settings.js';
import { createRequestListener, type McpSessionPath } from './listener.js';
import { createRequestGuard, isOAuthDiscoveryPath, originGuard, requireJsonBody, tokenGuard, type SecurityOptions } from './security.js';

export const API_PREFIX = '/api/v1';
export const MAX_BODY_BYTES = STORED_VALUE_LIMITS.maxBodyBytes;

export interface HttpDependencies {
  logger: Logger;
  security: SecurityOptions;
  workspaces: WorkspaceService;
  downstreams: DownstreamService;
  routes: RouteService;
  authScopes: AuthScopeService;
  settings: SettingsService;
  health: () => HealthReport;
  builtinToolDefaults: () => Record<string, string>;
  onSettingsChange: () => void;
  /** Extra routes under /api/v1 owned by other modules (discover, dry-run …), mounted before the 501s. */
  extendApi?: (router: Router) => void;
  /** The MCP endpoint, mounted at /mcp behind the same Host/Origin/token checks. */
  mcpHandler?: Array<RequestHandler | ErrorRequestHandler>;
  /** The hot path for established MCP sessions, served before Express. */
  mcpSessionPath?: McpSessionPath;
  dashboardHtml?: () => string;
}

const PUBLIC_PATHS = new Set([`${API_PREFIX}/health`, `${API_PREFIX}/oauth/callback`, '/', '/favicon.ico']);

/**
 * The gateway's HTTP side: the Express app (security first, then /api/v1 routers, /mcp, the
 * dashboard, and error mapping) behind a request listener that serves established MCP sessions
 * directly.
 */
export function createHttpApp(deps: HttpDependencies): { app: Express; listener: RequestListener } {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const guard = createRequestGuard(deps.security);
  app.use(originGuard(guard));
  app.use(tokenGuard(guard, (path) => PUBLIC_PATHS.has(path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path) || isOAuthDiscoveryPath(path)));
  app.use((req, _res, next) => next(isOAuthDiscoveryPath(req.path) ? noOAuth(req.path) : undefined));

  const api = express.Router();
  api.use(requireJsonBody(), express.json({ limit: MAX_BODY_BYTES, strict: false, type: () => true }));
  api.use('/health', healthRouter(deps.health, guard));
  api.get('/openapi.json', (_req, res) => void res.json(openApiDocument()));
  deps.extendApi?.(api);
  api.use('/workspaces', crudRouter(deps.workspaces));
  api.use('/downstreams', crudRouter(deps.downstreams));
  api.post('/routes/bulk', async (req, res) => void res.status(201).json(await deps.routes.createBulk(req.body)));
  api.use('/routes', crudRouter(deps.routes));
  api.use(
    '/auth-scopes',
    crudRouter(deps.authScopes, (router) => {
      router.get('/:id/secrets', (req, res) => void res.json(deps.authScopes.secretKeys(req.params.id!)));
      router.put('/:id/secrets', async (req, res) => void res.json(await deps.authScopes.setSecret(req.params.id!, req.body)));
      router.delete('/:id/secrets/:key', async (req, res) => {
        await deps.authScopes.deleteSecret(req.params.id!, req.params.key!);
        res.status(204).end();
      });
    }),
  );
  api.use('/settings', settingsRouter(deps.settings, deps.builtinToolDefaults, deps.onSettingsChange));
  api.use(notImplementedRouter());
  app.use(API_PREFIX, api);

  if (deps.mcpHandler) app.all('/mcp', ...deps.mcpHandler);
  app.get(
    '/',
    (_req, res) => void res.type('html').send(deps.dashboardHtml?.() ?? '<!doctype html><title>MCPlexer</title><p>MCPlexer gateway is running.</p>'),
  );
  app.use((req, _res, next) => next(notFoundRoute(req.method, req.path)));
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
