import * as vscode from 'vscode';
import type { DaemonConnection } from './gateway-connection.js';
import type { ToolBudget } from './budget-prompt.js';
import { supportsMcpProvider } from './version.js';
import { workspaceHeader } from './workspace-header.js';

export const PROVIDER_ID = 'mcplexer';
const ATTACH_WAIT_MS = 20_000;

/**
 * Copilot's path to the gateway: one `McpHttpServerDefinition` to `<url>/mcp`. The token and the
 * window's folders (and, over the tool budget, the window's server set) go on in
 * `resolveMcpServerDefinition`, which runs just before VS Code starts the server. The definition's
 * `version` bumps whenever the window's tool set may have changed, so VS Code refreshes its tools.
 *
 * Only from VS Code 1.101 (on 1.100 the function exists and throws): returns undefined there, and
 * when registering throws anyway, after logging it: the commands and views work without it.
 */
export function registerMcpProvider(
  connection: DaemonConnection,
  budget: ToolBudget,
  enabled: () => boolean,
  log: vscode.LogOutputChannel,
): vscode.Disposable | undefined {
  if (!supportsMcpProvider(vscode.version)) {
    log.info(`VS Code ${vscode.version} has no MCP server definition provider API (1.101+): Copilot does not see the gateway in this window`);
    return undefined;
  }
  const changed = new vscode.EventEmitter<void>();
  let version = 1;
  const bump = () => {
    version += 1;
    changed.fire();
  };
  const provider: vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition> = {
    onDidChangeMcpServerDefinitions: changed.event,
    async provideMcpServerDefinitions() {
      if (!enabled() || !(await connection.whenReady(ATTACH_WAIT_MS)) || !connection.url) return [];
      return [new vscode.McpHttpServerDefinition('MCPlexer', vscode.Uri.parse(`${connection.url}/mcp`), {}, String(version))];
    },
    async resolveMcpServerDefinition(server) {
      if (!(await connection.whenReady(ATTACH_WAIT_MS)) || !connection.url || !connection.token)
        throw new Error(`the MCPlexer gateway is not running (${connection.problem ?? 'still attaching'}); run "MCPlexer: Restart Gateway"`);
      await budget.refresh();
      server.uri = vscode.Uri.parse(`${connection.url}/mcp`);
      const folders = workspaceHeader(connection.folders);
      const servers = budget.decision?.serversHeader;
      server.headers = {
        ...server.headers,
        Authorization: `Bearer ${connection.token}`,
        ...(folders ? { 'X-MCPlexer-Workspace': folders } : {}),
        ...(servers ? { 'X-MCPlexer-Servers': servers } : {}),
      };
      return server;
    },
  };
  try {
    const registration = vscode.lm.registerMcpServerDefinitionProvider(PROVIDER_ID, provider);
    const subscriptions = [
      connection.onEvent((event) => (event.type === 'tools.changed' || event.type === 'config.changed' || event.type === 'resync') && budget.schedule()),
      connection.onDidChangeState((state) => state === 'ready' && bump()),
      budget.onDidChange(bump),
      vscode.workspace.onDidChangeWorkspaceFolders(() => budget.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('mcplexer.copilot') && (budget.schedule(), bump())),
    ];
    log.info('Copilot sees the gateway through the MCP server definition provider "mcplexer"');
    return vscode.Disposable.from(registration, changed, ...subscriptions);
  } catch (error) {
    changed.dispose();
    log.error(`could not register the MCP server definition provider: ${(error as Error).message}`);
    return undefined;
  }
}
