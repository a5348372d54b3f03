/**
 * STAND-IN (hx-views) for E2's `src/shared/schemas/daemon.ts`: only the event type the views read,
 * in the contract's shape (ISSUE16-CONTRACT.md, `GET /api/v1/events`). At merge, take E2's file.
 */
export type GatewayEvent =
  | { id?: string; type: 'downstream.state'; data: { server_id: string; scope_id: string | null; state: string; error?: string } }
  | { id?: string; type: 'config.changed'; data: { kinds: Array<'workspaces' | 'downstreams' | 'routes' | 'auth_scopes' | 'settings'> } }
  | { id?: string; type: 'tools.changed'; data: { server_id: string } }
  | { id?: string; type: 'windows.changed'; data: Record<string, never> }
  | { id?: string; type: 'resync'; data: Record<string, never> };
