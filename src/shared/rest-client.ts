/**
 * The typed REST client of the gateway's /api/v1, shared by the CLI, the extension and the
 * integration tests (the views reach it through the extension host). One method per endpoint,
 * typed with the wire types of `./api.js` and `./schemas/`; only `fetch`: no Node or DOM specifics.
 */
import { cascadeQuery, RestTransport, seg, textQuery, type DeleteOptions, type StreamOptions } from './rest-transport.js';
import type {
  AuthScopeView,
  DiscoverResult,
  DownstreamHealth,
  DownstreamServer,
  DryRunRequest,
  DryRunResult,
  Health,
  OpenApiDocument,
  RouteRule,
  SecretKeys,
  SettingsView,
  ShutdownResult,
  StatusOk,
  Workspace,
  WorkspaceView,
} from './api.js';
import type { UiCode } from './schemas/ui.js';
import type { DrainResponse, VisibilityReport, WindowInfo, WindowLease, WindowRegistration } from './schemas/daemon.js';
import type {
  AuthScopeCreateInput,
  AuthScopeUpdateInput,
  DownstreamCreateInput,
  DownstreamUpdateInput,
  RouteCreateInput,
  RoutesBulkInput,
  RouteUpdateInput,
  SecretWrite,
  SettingsUpdateInput,
  WorkspaceCreateInput,
  WorkspaceUpdateInput,
} from './schemas/index.js';
import type { OAuthConnectInput, OAuthStatus } from './schemas/oauth.js';
import type { DownstreamOAuthStatus, OAuthConnectAnswer } from './schemas/responses.js';
import type { ApprovalEvent, ApprovalListQuery, ApprovalResolveInput, ApprovalResolveResult } from './schemas/approvals.js';
import type { ApprovalRecord } from './approval-record.js';
import type { AuditPage, AuditQuery, AuditRecord, AuditStreamFilter } from './schemas/audit.js';
import type { ClientStateAnswer, InstallPreviewAnswer, InstallStatusAnswer } from './schemas/mcp-install.js';
import type { ImportableServersAnswer, ImportResult } from './schemas/mcp-import.js';
import type { CacheFlushInput, CacheStatsAnswer, DashboardRange, DashboardSnapshotAnswer } from './schemas/dashboard.js';
import { GatewayEventStream, type GatewayEventStreamOptions, type SseStream } from './sse.js';
import { parseApprovalEvent, parseAuditRecord } from './stream-parsers.js';

export { ApiError, type RawResponse } from './api-error.js';

export { seg, type DeleteOptions, type RawRequest, type StreamOptions } from './rest-transport.js';

/**
 * A client of one gateway. `baseUrl` is the gateway's origin (`http://127.0.0.1:8080`), `token`
 * its API token (`<dataDir>/api-token`). Every method resolves to the answer's body, typed;
 * `204` resolves to `undefined`.
 * @throws ApiError for any answer that is not 2xx (`status`, `code`, `details`), and with status 0
 *   and code `unreachable` when the gateway does not answer (connection refused, reset).
 */
export class RestClient extends RestTransport {
  // --- the gateway ---
  /** `GET /health` with the token: the whole report. */
  health(): Promise<Health> {
    return this.request('GET', '/health');
  }
  /** `GET /openapi.json`. */
  openApi(): Promise<OpenApiDocument> {
    return this.request('GET', '/openapi.json');
  }
  /** `POST /shutdown` (202): the gateway stops after answering and releases its lock once stopped. */
  shutdown(): Promise<ShutdownResult> {
    return this.request('POST', '/shutdown', { body: {} });
  }
  /** `POST /dry-run`: how a call of `tool_name` would be routed in a workspace (id, name or root path); nothing is called. */
  dryRun(body: DryRunRequest): Promise<DryRunResult> {
    return this.request('POST', '/dry-run', { body });
  }

  // --- workspaces (a ref is an id, a name or a root path) ---
  listWorkspaces(): Promise<Workspace[]> {
    return this.request('GET', '/workspaces');
  }
  getWorkspace(ref: string): Promise<Workspace> {
    return this.request('GET', `/workspaces/${seg(ref)}`);
  }
  createWorkspace(body: WorkspaceCreateInput): Promise<WorkspaceView> {
    return this.request('POST', '/workspaces', { body });
  }
  updateWorkspace(ref: string, body: WorkspaceUpdateInput): Promise<WorkspaceView> {
    return this.request('PUT', `/workspaces/${seg(ref)}`, { body });
  }
  async deleteWorkspace(ref: string, options: DeleteOptions = {}): Promise<void> {
    await this.request('DELETE', `/workspaces/${seg(ref)}`, cascadeQuery(options));
  }

  // --- downstream servers (a ref is an id, a name or a namespace) ---
  listDownstreams(): Promise<DownstreamServer[]> {
    return this.request('GET', '/downstreams');
  }
  getDownstream(ref: string): Promise<DownstreamServer> {
    return this.request('GET', `/downstreams/${seg(ref)}`);
  }
  createDownstream(body: DownstreamCreateInput): Promise<DownstreamServer> {
    return this.request('POST', '/downstreams', { body });
  }
  updateDownstream(ref: string, body: DownstreamUpdateInput): Promise<DownstreamServer> {
    return this.request('PUT', `/downstreams/${seg(ref)}`, { body });
  }
  async deleteDownstream(ref: string, options: DeleteOptions = {}): Promise<void> {
    await this.request('DELETE', `/downstreams/${seg(ref)}`, cascadeQuery(options));
  }
  /** `POST /downstreams/{id}/discover`: starts the server, lists everything, stores it. */
  discoverDownstream(ref: string): Promise<DiscoverResult> {
    return this.request('POST', `/downstreams/${seg(ref)}/discover`, { body: {} });
  }
  downstreamHealth(ref: string): Promise<DownstreamHealth> {
    return this.request('GET', `/downstreams/${seg(ref)}/health`);
  }
  /** `POST /downstreams/{id}/restart` (202): stops its instances; the next call starts them. */
  async restartDownstream(ref: string): Promise<void> {
    await this.request('POST', `/downstreams/${seg(ref)}/restart`, { body: {} });
  }

  // --- route rules (a ref is an id or a name) ---
  /**
   * `GET /routes`, in creation order. With `workspace_id` only that workspace's rules: the query
   * is sent, and the answer is filtered here as well, for a gateway that does not filter.
   */
  async listRoutes(query: { workspace_id?: string } = {}): Promise<RouteRule[]> {
    const rules = await this.request<RouteRule[]>('GET', '/routes', { query });
    return query.workspace_id === undefined ? rules : rules.filter((rule) => rule.workspace_id === query.workspace_id);
  }
  getRoute(ref: string): Promise<RouteRule> {
    return this.request('GET', `/routes/${seg(ref)}`);
  }
  createRoute(body: RouteCreateInput): Promise<RouteRule> {
    return this.request('POST', '/routes', { body });
  }
  /** `POST /routes/bulk` (201): 1–50 rules, all or nothing. */
  createRoutesBulk(body: RoutesBulkInput): Promise<RouteRule[]> {
    return this.request('POST', '/routes/bulk', { body });
  }
  updateRoute(ref: string, body: RouteUpdateInput): Promise<RouteRule> {
    return this.request('PUT', `/routes/${seg(ref)}`, { body });
  }
  async deleteRoute(ref: string): Promise<void> {
    await this.request('DELETE', `/routes/${seg(ref)}`);
  }

  // --- auth scopes (a ref is an id or a name; values are never answered) ---
  listAuthScopes(): Promise<AuthScopeView[]> {
    return this.request('GET', '/auth-scopes');
  }
  getAuthScope(ref: string): Promise<AuthScopeView> {
    return this.request('GET', `/auth-scopes/${seg(ref)}`);
  }
  createAuthScope(body: AuthScopeCreateInput): Promise<AuthScopeView> {
    return this.request('POST', '/auth-scopes', { body });
  }
  updateAuthScope(ref: string, body: AuthScopeUpdateInput): Promise<AuthScopeView> {
    return this.request('PUT', `/auth-scopes/${seg(ref)}`, { body });
  }
  async deleteAuthScope(ref: string, options: DeleteOptions = {}): Promise<void> {
    await this.request('DELETE', `/auth-scopes/${seg(ref)}`, cascadeQuery(options));
  }
  authScopeSecretKeys(ref: string): Promise<SecretKeys> {
    return this.request('GET', `/auth-scopes/${seg(ref)}/secrets`);
  }
  setAuthScopeSecret(ref: string, body: SecretWrite): Promise<StatusOk> {
    return this.request('PUT', `/auth-scopes/${seg(ref)}/secrets`, { body });
  }
  async deleteAuthScopeSecret(ref: string, key: string): Promise<void> {
    await this.request('DELETE', `/auth-scopes/${seg(ref)}/secrets/${seg(key)}`);
  }

  // --- OAuth (docs/oauth.md) ---
  /** `GET /auth-scopes/{id}/oauth/authorize`: a fresh authorize URL (single use, 10 minutes). */
  oauthAuthorize(ref: string): Promise<{ authorize_url: string }> {
    return this.request('GET', `/auth-scopes/${seg(ref)}/oauth/authorize`);
  }
  oauthStatus(ref: string): Promise<OAuthStatus> {
    return this.request('GET', `/auth-scopes/${seg(ref)}/oauth/status`);
  }
  downstreamOAuthStatus(ref: string): Promise<DownstreamOAuthStatus> {
    return this.request('GET', `/downstreams/${seg(ref)}/oauth-status`);
  }
  /** `POST /downstreams/{id}/connect`: scope, allow route and provider found or made; `authorize_url` null when already connected. */
  connectDownstream(ref: string, body: OAuthConnectInput = {}): Promise<OAuthConnectAnswer> {
    return this.request('POST', `/downstreams/${seg(ref)}/connect`, { body });
  }

  // --- settings ---
  getSettings(): Promise<SettingsView> {
    return this.request('GET', '/settings');
  }
  /** `PUT /settings`: a partial update, answered with the effective settings. */
  updateSettings(body: SettingsUpdateInput): Promise<SettingsView> {
    return this.request('PUT', '/settings', { body });
  }

  // --- the daemon's windows, drain, visibility and events (wire shapes: ./schemas/daemon.ts) ---
  /** `POST /windows` (201): registers a window's folders; renew the lease every 20 s. */
  registerWindow(body: WindowRegistration): Promise<WindowLease> {
    return this.request('POST', '/windows', { body });
  }
  /** `PUT /windows/{id}/lease`. @throws ApiError 404 when the daemon forgot the window: register again. */
  renewWindowLease(windowId: string): Promise<WindowLease> {
    return this.request('PUT', `/windows/${seg(windowId)}/lease`, { body: {} });
  }
  async unregisterWindow(windowId: string): Promise<void> {
    await this.request('DELETE', `/windows/${seg(windowId)}`);
  }
  listWindows(): Promise<WindowInfo[]> {
    return this.request('GET', '/windows');
  }
  /** `POST /drain` (202): refuse new MCP sessions, finish calls in flight, then stop. */
  drain(): Promise<DrainResponse> {
    return this.request('POST', '/drain', { body: {} });
  }
  /** `GET /visibility?dir=…&dir=…[&servers=a,b]`: why each server's tools are or are not visible from those folders. */
  visibility(query: { dir: readonly string[]; servers?: readonly string[] }): Promise<VisibilityReport> {
    return this.request('GET', '/visibility', { query: { dir: query.dir, servers: query.servers?.length ? query.servers.join(',') : undefined } });
  }
  /** `POST /ui/codes` (201): a one-time code for the browser dashboard (single use, 60 s); open `dashboardUrl(baseUrl, code)`. */
  createUiCode(): Promise<UiCode> {
    return this.request('POST', '/ui/codes', { body: {} });
  }
  /** `GET /events` (SSE), read with resume (`Last-Event-ID`) and backoff; close it when done. */
  events(options: Omit<GatewayEventStreamOptions, 'url' | 'token' | 'fetchImpl'> = {}): GatewayEventStream {
    return new GatewayEventStream({ ...options, url: `${this.baseUrl}/api/v1/events`, token: this.token, fetchImpl: this.fetchImpl });
  }

  // --- audit, approvals, dashboard, caches (issue 17) ---
  /** `GET /audit`: newest first, one page (`limit` 1–500, default 50). */
  listAudit(query: AuditQuery = {}): Promise<AuditPage> {
    return this.request('GET', '/audit', { query: textQuery(query) });
  }
  /** `GET /audit/stream` (SSE, `event: audit`), resumed after `lastEventId` (a record's id). */
  auditStream(options: StreamOptions & { filter?: AuditStreamFilter } = {}): SseStream<AuditRecord> {
    const { filter, ...rest } = options;
    return this.stream('/audit/stream', textQuery(filter ?? {}), rest, parseAuditRecord);
  }
  /** `GET /approvals`: without `status` the pending ones, oldest first; else that history, newest first. */
  listApprovals(query: ApprovalListQuery = {}): Promise<ApprovalRecord[]> {
    return this.request('GET', '/approvals', { query: textQuery(query) });
  }
  getApproval(id: string): Promise<ApprovalRecord> {
    return this.request('GET', `/approvals/${seg(id)}`);
  }
  /** `POST /approvals/{id}/resolve` (the approver is `dashboard`); 409 when already resolved. */
  resolveApproval(id: string, body: ApprovalResolveInput): Promise<ApprovalResolveResult> {
    return this.request('POST', `/approvals/${seg(id)}/resolve`, { body });
  }
  /** `GET /approvals/stream` (SSE): `approval.requested` / `approval.resolved`. It carries no ids: after a reconnect, list the pending. */
  approvalStream(options: StreamOptions = {}): SseStream<ApprovalEvent> {
    return this.stream('/approvals/stream', undefined, options, parseApprovalEvent);
  }
  /** `GET /dashboard?range=` (`1h` by default). */
  dashboard(range: DashboardRange = '1h'): Promise<DashboardSnapshotAnswer> {
    return this.request('GET', '/dashboard', { query: { range } });
  }
  cacheStats(): Promise<CacheStatsAnswer> {
    return this.request('GET', '/cache/stats');
  }
  /** `POST /cache/flush` (`layer` default `all`; `server_id` narrows `tool_call`). */
  flushCache(body: CacheFlushInput = {}): Promise<{ status: 'flushed' }> {
    return this.request('POST', '/cache/flush', { body });
  }

  // --- mcp-install (wire shapes: ./schemas/mcp-install.ts) ---
  /** `GET /mcp-install/status`: every known client (detected, configured, stale), the bridge path and the stdio entry. */
  installStatus(): Promise<InstallStatusAnswer> {
    return this.request('GET', '/mcp-install/status');
  }
  /** `GET /mcp-install/{clientId}/preview[?action=uninstall]`: the file as install (or uninstall) would write it and the diff; writes nothing. */
  installPreview(clientId: string, action: 'install' | 'uninstall' = 'install'): Promise<InstallPreviewAnswer> {
    return this.request('GET', `/mcp-install/${seg(clientId)}/preview`, action === 'install' ? {} : { query: { action } });
  }
  /**
   * `POST /mcp-install/{clientId}/install`: writes our entry (a `.bak` keeps the previous file).
   * @throws ApiError 404 unknown client, 409 not detected, 422 the file cannot be parsed (line and column)
   */
  installClient(clientId: string): Promise<ClientStateAnswer> {
    return this.request('POST', `/mcp-install/${seg(clientId)}/install`, { body: {} });
  }
  /** `POST /mcp-install/{clientId}/uninstall`. @throws ApiError 404, 409 (not detected, or not configured), 422 */
  uninstallClient(clientId: string): Promise<ClientStateAnswer> {
    return this.request('POST', `/mcp-install/${seg(clientId)}/uninstall`, { body: {} });
  }
  /** `GET /mcp-install/{clientId}/servers`: the client's own MCP servers and what an import would do. @throws ApiError 404, 409, 422 */
  importableServers(clientId: string): Promise<ImportableServersAnswer> {
    return this.request('GET', `/mcp-install/${seg(clientId)}/servers`);
  }
  /** `POST /mcp-install/{clientId}/import`: adds the named entries (default: every new one). @throws ApiError 400, 404, 409, 422 */
  importServers(clientId: string, servers?: string[]): Promise<ImportResult> {
    return this.request('POST', `/mcp-install/${seg(clientId)}/import`, { body: servers === undefined ? {} : { servers } });
  }
}
