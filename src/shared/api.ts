/**
 * The response types of every /api/v1 endpoint, with the zod schemas they come from (`z.infer`,
 * never written twice). The gateway's routers and builders are annotated with these types, so
 * the server cannot drift from them; clients (`RestClient`, the extension, the views) may parse
 * answers with the schemas. Entity and body schemas: `./schemas/index.js`.
 *
 * | endpoint | answer |
 * | --- | --- |
 * | `GET /health` | `Health` (with the token), `PublicHealth` (without) |
 * | `GET /downstreams/{id}/health` | `DownstreamHealth` |
 * | `POST /downstreams/{id}/discover` | `DiscoverResult` |
 * | `POST /dry-run` | `DryRunResult` |
 * | `GET|POST|PUT /workspaces[/{id}]` | `Workspace` (list, get), `WorkspaceView` (create, update) |
 * | `GET|POST|PUT /downstreams[/{id}]` | `DownstreamServer` |
 * | `GET|POST|PUT /routes[/{id}]`, `POST /routes/bulk` | `RouteRule`, `RouteRule[]` |
 * | `GET|POST|PUT /auth-scopes[/{id}]` | `AuthScopeView` |
 * | `GET /auth-scopes/{id}/secrets`, `PUT …/secrets` | `SecretKeys`, `StatusOk` |
 * | `GET|PUT /settings` | `SettingsView` |
 * | `POST /shutdown` | `ShutdownResult` (202) |
 * | `GET /openapi.json` | `OpenApiDocument` |
 * | any error | `ApiErrorBody` |
 * | windows, drain, visibility, restart, events | `./schemas/daemon.js` |
 */
export {
  downstreamHealthSchema,
  droppedItemSchema,
  healthSchema,
  instanceHealthSchema,
  instanceStateSchema,
  publicHealthSchema,
  HEALTH_CHALLENGE_HEADER,
  HEALTH_CHALLENGE_PATTERN,
  healthProofMessage,
  type DownstreamHealth,
  type DroppedItem,
  type Health,
  type InstanceHealth,
  type InstanceState,
  type PublicHealth,
} from './schemas/health.js';
export { dryRunResultSchema, dryRunSchema, type DryRunCandidateRule, type DryRunRequest, type DryRunResult } from './schemas/dry-run.js';
export {
  apiErrorBodySchema,
  authScopeViewSchema,
  discoverResultSchema,
  errorDetailSchema,
  routeViewSchema,
  secretKeysSchema,
  settingsViewSchema,
  shutdownResultSchema,
  statusOkSchema,
  warningSchema,
  workspaceViewSchema,
  type ApiErrorBody,
  type AuthScopeView,
  type DiscoverResult,
  type ErrorDetail,
  type SecretKeys,
  type SettingsView,
  type ShutdownResult,
  type StatusOk,
  type Warning,
  type WorkspaceView,
} from './schemas/responses.js';
export type { AuthScope, DownstreamServer, RouteRule, Settings, Workspace } from './schemas/index.js';

/** `GET /openapi.json`: an OpenAPI 3.1 document (`paths`, `components.schemas`). */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  /** Path (under `servers[0].url`, `/api/v1`) → method → operation. */
  paths: Record<string, object>;
  components?: { schemas?: Record<string, unknown>; [key: string]: unknown };
  [key: string]: unknown;
}
