/**
 * clients: mcp-install — the registry of MCP clients as data (id → config path per OS → format,
 * key and entry shape), and the service that reports, previews, installs and uninstalls
 * MCPlexer's entry, touching only that entry; and the import of a client's own servers (import-*.ts). Design notes and each client's source: README.md.
 */
export { ClientInstaller, type ClientState, type InstallerOptions, type InstallPreview, type InstallStatus } from './service.js';
export { ClientImporter, type DownstreamPort } from './import-service.js';
export type { ExistingServer } from './import-plan.js';
export { CLIENTS, ENTRY_NAME, LEGACY_NAMES, type ClientSpec } from './registry.js';
export type { BridgeCommand, EntryContext } from './entry.js';
export { dirsFor, type Platform } from './paths.js';
