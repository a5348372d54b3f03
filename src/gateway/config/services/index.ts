export { WorkspaceService, workspaceWarnings, type WorkspaceView, type Warning } from './workspaces.js';
export { DownstreamService, type Discovered } from './downstreams.js';
export { maskSpans } from './downstream-spans.js';
export { RouteService, defaultApprovalMode } from './routes.js';
export { AuthScopeService, present as presentAuthScope, type AuthScopeView } from './auth-scopes.js';
export { SettingsService } from './settings.js';
export { findByRef, resolveWorkspace, resolveDownstream, type RefKey } from './resolve.js';
export type { ServiceOptions } from './common.js';
