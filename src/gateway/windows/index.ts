/**
 * windows: the editor windows attached to the daemon, each kept alive by a heartbeat lease
 * (`POST /api/v1/windows`, `PUT /windows/{id}/lease`), in memory only. The daemon's idle exit
 * counts them; later features route an approval to the window that owns a workspace.
 */
export { DEFAULT_LEASE_SEC, WindowRegistry, type WindowRegistryOptions } from './registry.js';
