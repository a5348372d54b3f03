import { Router } from 'express';
import type { ApprovalService } from '../approvals/index.js';
import type { AuthScopeView, DownstreamServer, OpenApiDocument, RouteRule, SecretKeys, StatusOk, Workspace, WorkspaceView } from '../../shared/api.js';
import type { DiscoveryService, RuntimeConfig } from '../calls/index.js';
import {
  maskSpans,
  parseQuery,
  textParam,
  type AuthScopeService,
  type DownstreamService,
  type RouteService,
  type SettingsService,
  type WorkspaceService,
} from '../config/index.js';
import type { DrainResponse } from '../../shared/schemas/daemon.js';
import type { EventHub } from '../events/index.js';
import type { WindowRegistry } from '../windows/index.js';
import type { DashboardSnapshot } from '../metrics/index.js';
import { ClientImporter, type ClientInstaller } from '../clients/index.js';
import type { HealthReporter } from './health-report.js';
import { auditRouter, type AuditReader } from './routers/audit.js';
import { openApiDocument } from './openapi.js';
import { approvalsRouter } from './routers/approvals.js';
import { cacheRouter, type CacheControl } from './routers/cache.js';
import { crudRouter } from './routers/crud.js';
import { dashboardRouter } from './routers/dashboard.js';
import { downstreamOpsRouter } from './routers/downstream-ops.js';
import { drainRouter } from './routers/drain.js';
import { dryRunRouter } from './routers/dry-run.js';
import { eventsRouter, type EventsOptions } from './routers/events.js';
import { healthRouter } from './routers/health.js';
import { mcpInstallRouter } from './routers/mcp-install.js';
import { notImplementedRouter } from './routers/not-implemented.js';
import { oauthRouter } from './routers/oauth.js';
import type { OAuthService } from '../oauth/index.js';
import { settingsRouter } from './routers/settings.js';
import { shutdownRouter } from './routers/shutdown.js';
import { visibilityRouter } from './routers/visibility.js';
import { windowsRouter } from './routers/windows.js';
import type { RequestGuard } from './security.js';
import { takesNoBody } from './no-body.js';

/** What the /api/v1 routers are thin adapters over. */
export interface ApiServices {
  workspaces: WorkspaceService;
  downstreams: DownstreamService;
  routes: RouteService;
  authScopes: AuthScopeService;
  settings: SettingsService;
  /** The compiled config dry-run decides with (the one real calls use). */
  config: () => RuntimeConfig;
  discovery: DiscoveryService;
  health: HealthReporter;
  /** The audit trail; absent when it is switched off (MCPLEXER_AUDIT=off). */
  audit?: AuditReader;
  builtinToolDefaults: () => Record<string, string>;
  onSettingsChange: () => void;
  /** What `POST /shutdown` does, after answering 202. */
  requestStop: () => void;
  /** Pending approvals and their history (`/approvals`). */
  approvals: ApprovalService;
  /** The editor windows and their leases. */
  windows: WindowRegistry;
  /** The event stream of `GET /events`, and how it pings. */
  events: EventHub;
  eventsOptions?: EventsOptions;
  /** Starts draining (once) and answers what `POST /drain` does. */
  drain: () => DrainResponse;
  /** `POST /downstreams/{id}/restart`: stops the server's instances (by id) and forgets its failures. */
  restartDownstream: (serverId: string) => Promise<void>;
  /** GET /dashboard's snapshot for a `?range=` value as given. */
  dashboard: (range: unknown) => Promise<DashboardSnapshot>;
  /** Both cache layers: `GET /cache/stats`, `POST /cache/flush`. */
  caches: CacheControl;
  /** OAuth providers, flows and tokens (`/oauth-*`, `/auth-scopes/…/oauth/*`, `/downstreams/{id}/oauth-*`, `/connect`). */
  oauth: OAuthService;
  /** mcp-install: the clients' config files (`/mcp-install`). */
  clients: ClientInstaller;
}

/** One row of the table: a router mounted at a path under /api/v1 (no path: at the prefix itself). */
export type ApiMount = readonly [path: string | undefined, router: Router];

/**
 * The one table of /api/v1 routers, in mount order (Express tries them in turn): the routes the
 * later modules build (audit, approvals, cache, OAuth, mcp-install, dashboard) take a row here,
 * above the 501 placeholders, which come last so that every path of the reference answers
 * something. `/downstreams` has two rows: the operations (discover, health) before the CRUD.
 */
export function apiRouters(services: ApiServices, guard: RequestGuard): ApiMount[] {
  return [
    ['/health', healthRouter(() => services.health.report(), guard)],
    ['/openapi.json', openApiRouter()],
    ['/shutdown', shutdownRouter(services.requestStop)],
    ['/dry-run', dryRunRouter(services.config)],
    ['/windows', windowsRouter(services.windows)],
    ['/events', eventsRouter(services.events, services.eventsOptions)],
    ['/drain', drainRouter(services.drain)],
    ['/visibility', visibilityRouter(services.config, () => services.health.serverStates())],
    [
      '/downstreams',
      downstreamOpsRouter(
        services.discovery,
        (ref) => services.health.server(services.downstreams.get(ref)),
        (ref) => services.downstreams.get(ref).id,
        services.restartDownstream,
      ),
    ],
    ['/workspaces', crudRouter<Workspace, WorkspaceView>(services.workspaces)],
    ['/downstreams', crudRouter<DownstreamServer>(services.downstreams)],
    ['/routes', routesRouter(services.routes)],
    ['/auth-scopes', authScopesRouter(services.authScopes)],
    [undefined, oauthRouter(services.oauth)],
    ['/cache', cacheRouter(services.caches, (ref) => services.downstreams.get(ref).id)],
    ['/audit', auditRouter(services.audit)],
    ['/settings', settingsRouter(services.settings, services.builtinToolDefaults, services.onSettingsChange)],
    ['/approvals', approvalsRouter(services.approvals)],
    ['/dashboard', dashboardRouter(services.dashboard)],
    ['/mcp-install', mcpInstallRouter(services.clients, clientImporter(services))],
    [undefined, notImplementedRouter()],
  ];
}

/** The import of clients' servers over the downstream service (the same create as `POST /downstreams`; stored values compared). */
function clientImporter(services: ApiServices): ClientImporter {
  const { downstreams } = services;
  return new ClientImporter(services.clients, {
    existing: () => downstreams.list().map((server) => downstreams.stored(server.id)),
    create: (body) => downstreams.create(body),
    show: maskSpans,
    own: () => {
      const { url, token } = services.clients.options.context();
      return { port: new URL(url).port, token };
    },
  });
}

function openApiRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => void res.json(openApiDocument() satisfies OpenApiDocument));
  return router;
}

/** CRUD plus `POST /routes/bulk` (201, all or nothing), and `GET /routes?workspace_id=` (that workspace's rules; what `RestClient.listRoutes` sends). */
function routesRouter(routes: RouteService): Router {
  return crudRouter<RouteRule>(routes, (router) => {
    router.get('/', (req, res) => {
      const { workspace_id } = parseQuery({ workspace_id: textParam("only this workspace's rules (its id, name or root path)") }, req.query);
      res.json((workspace_id === undefined ? routes.list() : routes.listFor(workspace_id)) satisfies RouteRule[]);
    });
    router.post('/bulk', async (req, res) => void res.status(201).json((await routes.createBulk(req.body)) satisfies RouteRule[]));
  });
}

/** CRUD plus the original's value endpoints: `GET|PUT /{id}/secrets`, `DELETE /{id}/secrets/{key}`. */
function authScopesRouter(authScopes: AuthScopeService): Router {
  return crudRouter<AuthScopeView>(authScopes, (router) => {
    router.get('/:id/secrets', (req, res) => void res.json(authScopes.secretKeys(req.params.id!) satisfies SecretKeys));
    router.put('/:id/secrets', async (req, res) => void res.json((await authScopes.setSecret(req.params.id!, req.body)) satisfies StatusOk));
    router.delete('/:id/secrets/:key', takesNoBody, async (req, res) => {
      await authScopes.deleteSecret(req.params.id!, req.params.key!);
      res.status(204).end();
    });
  });
}
