/**
 * The commands the views own: Open Servers, Add Server… (input boxes), Discover Tools, Add Route…
 * and Dry Run…. Each says clearly what failed; Add Server… writes once, at the end, so a cancelled or
 * refused step leaves nothing behind.
 */
import * as vscode from 'vscode';
import type { RoutesProtocol } from '../../shared/webviews/routes-protocol.js';
import type { ServersProtocol } from '../../shared/webviews/servers-protocol.js';
import { checkAnswers, suggestNamespace, validateStep } from './add-server-input.js';
import type { ClientSource } from '../../shared/webviews/host/client-source.js';
import type { ViewHost } from './view-provider.js';
import { toWireError } from '../../shared/webviews/host/wire-error.js';
import { inert, showError, showInfo } from '../notify.js';

export interface CommandDeps {
  source: ClientSource;
  servers: ViewHost<ServersProtocol>;
  routes: ViewHost<RoutesProtocol>;
  log: vscode.LogOutputChannel;
}

type ServerEntry = { id: string; name: string; namespace: string; transport: string; enabled: boolean; tools?: unknown[] };

async function fail(action: string, error: unknown, log: vscode.LogOutputChannel): Promise<void> {
  const wire = toWireError(error);
  log.warn(`${action}: ${wire.message}`);
  await showError(`MCPlexer: ${action}: ${wire.message}`);
}

async function discover(deps: CommandDeps, server: { id: string; name: string }): Promise<void> {
  try {
    const found = (await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: inert(`MCPlexer: discovering the tools of "${server.name}"…`) },
      () => deps.source.client().discoverDownstream(server.id),
    )) as { tools?: unknown[] };
    await showInfo(`MCPlexer: "${server.name}" lists ${found.tools?.length ?? 0} tools.`);
  } catch (error) {
    await fail(`could not discover the tools of "${server.name}"`, error, deps.log);
  }
}

async function addServer(deps: CommandDeps): Promise<void> {
  const title = 'MCPlexer: Add Server';
  // Best effort: without the list, the gateway's answer to the POST says what is taken.
  const existing =
    ((await deps.source
      .client()
      .listDownstreams()
      .catch(() => [])) as ServerEntry[]) ?? [];
  const taken = { names: new Set(existing.map((s) => s.name)), namespaces: new Map(existing.map((s) => [s.namespace, s.name])) };
  const name = await vscode.window.showInputBox({
    title: `${title} (1/3)`,
    prompt: 'A name for the server',
    ignoreFocusOut: true,
    validateInput: (v) => validateStep('name', v, taken),
  });
  if (name === undefined) return;
  const namespace = await vscode.window.showInputBox({
    title: `${title} (2/3)`,
    prompt: 'Namespace: its tools are listed as <namespace>__<tool>',
    value: suggestNamespace(name),
    ignoreFocusOut: true,
    validateInput: (v) => validateStep('namespace', v, taken),
  });
  if (namespace === undefined) return;
  const target = await vscode.window.showInputBox({
    title: `${title} (3/3)`,
    prompt: 'The command line of a stdio server, or the http(s):// URL of a remote one',
    placeHolder: 'npx -y @modelcontextprotocol/server-memory',
    ignoreFocusOut: true,
    validateInput: (v) => validateStep('target', v),
  });
  if (target === undefined) return;
  const checked = checkAnswers({ name, namespace, target });
  if (!checked.ok) {
    const lines = [...Object.entries(checked.errors.fields).map(([field, message]) => `${field} ${message}`), ...checked.errors.other];
    await showError(`MCPlexer: the server was not added: ${lines.join('; ')}`);
    return;
  }
  let created: ServerEntry;
  try {
    created = (await deps.source.client().createDownstream(checked.body)) as ServerEntry;
  } catch (error) {
    await fail(`the server "${name}" was not added`, error, deps.log);
    return;
  }
  const choice = await showInfo(`MCPlexer: added the server "${created.name}" (${created.namespace}).`, 'Discover Tools', 'Open Servers');
  if (choice === 'Discover Tools') await discover(deps, created);
  else if (choice === 'Open Servers') await deps.servers.reveal();
}

async function pickServer(deps: CommandDeps): Promise<ServerEntry | undefined> {
  const servers = ((await deps.source.client().listDownstreams()) as ServerEntry[]).filter((s) => s.transport !== 'internal');
  if (servers.length === 0) {
    await showInfo('MCPlexer: no server is configured yet; run “MCPlexer: Add Server…”.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    servers.map((s) => ({ label: s.name, description: s.namespace, detail: s.enabled ? `${s.tools?.length ?? 0} tools known` : 'disabled', server: s })),
    { title: 'MCPlexer: Discover Tools', placeHolder: 'The server whose tools to list' },
  );
  return picked?.server;
}

export function registerViewCommands(deps: CommandDeps): vscode.Disposable[] {
  const run =
    (action: string, body: (...args: unknown[]) => Promise<void>) =>
    async (...args: unknown[]) => {
      try {
        await body(...args);
      } catch (error) {
        await fail(action, error, deps.log);
      }
    };
  return [
    vscode.commands.registerCommand(
      'mcplexer.openServers',
      run('could not open the Servers view', () => deps.servers.reveal()),
    ),
    vscode.commands.registerCommand(
      'mcplexer.addServer',
      run('Add Server failed', () => addServer(deps)),
    ),
    vscode.commands.registerCommand(
      'mcplexer.discoverTools',
      run('Discover Tools failed', async (arg) => {
        const server = typeof arg === 'string' ? { id: arg, name: arg } : await pickServer(deps);
        if (server) await discover(deps, server);
      }),
    ),
    vscode.commands.registerCommand(
      'mcplexer.addRoute',
      run('could not open the Routes view', async () => {
        deps.routes.notify('routes/showAdd', {});
        await deps.routes.reveal();
      }),
    ),
    vscode.commands.registerCommand(
      'mcplexer.dryRun',
      run('Dry Run failed', async (arg) => {
        const toolName =
          typeof arg === 'string'
            ? arg
            : await vscode.window.showInputBox({
                title: 'MCPlexer: Dry Run',
                prompt: 'A tool name as clients see it (namespace__tool): the decision for this window’s folders',
                placeHolder: 'everything__echo',
                validateInput: (v) => (v.trim() === '' ? 'Enter a tool name' : undefined),
              });
        if (!toolName) return;
        deps.routes.notify('routes/runDryRun', { tool_name: toolName.trim() });
        await deps.routes.reveal();
      }),
    ),
  ];
}
