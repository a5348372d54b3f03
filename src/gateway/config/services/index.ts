export { WorkspaceService } from './workspaces.js';
export { DownstreamService, type Discovered } from './downstreams.js';
export { RouteService } from './routes.js';
export { AuthScopeService, type AuthScopeView } from './auth-scopes.js';
export { SettingsService } from './settings.js';
