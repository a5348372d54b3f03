// STAND-IN (E3, issue 16): the shapes of the contract (ISSUE16-CONTRACT.md, E2 part) as plain types;
// E2's zod schemas replace this file at merge.
export interface WindowRegistration {
  window_id: string;
  folders: string[];
  client: string;
  version: string;
}
export interface WindowLease {
  window_id: string;
  lease_sec: number;
  expires_at: string;
}
export interface DrainResult {
  draining: true;
  in_flight: number;
}
export type VisibilityReason = 'visible' | 'not_started' | 'disabled' | 'failed' | 'dynamic' | 'hidden_by_rule' | 'no_tools' | 'not_in_window_set';
export interface ServerVisibility {
  server_id: string;
  name: string;
  namespace: string;
  state: string;
  tools_total: number;
  tools_visible: number;
  reason: VisibilityReason;
  message: string;
  rule?: { id: string; name?: string; workspace_id: string };
  error?: string;
  hint?: string;
  stderr_tail?: string[];
  hidden_tools?: string[];
}
export interface Visibility {
  workspace_ids: string[];
  servers: ServerVisibility[];
}
export type GatewayEvent =
  | { id?: string; type: 'downstream.state'; data: { server_id: string; scope_id: string | null; state: string; error?: string } }
  | { id?: string; type: 'config.changed'; data: { kinds: Array<'workspaces' | 'downstreams' | 'routes' | 'auth_scopes' | 'settings'> } }
  | { id?: string; type: 'tools.changed'; data: { server_id: string } }
  | { id?: string; type: 'windows.changed'; data: Record<string, never> }
  | { id?: string; type: 'resync'; data: Record<string, never> };
