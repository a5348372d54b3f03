/**
 * The Dashboard's commands: `mcplexer.openDashboard` (shows the view) and `mcplexer.flushCaches`
 * (a pick of what to flush, then `POST /cache/flush` and a message saying what it removed; a
 * progress notification appears only when the flush takes over a second).
 */
import * as vscode from 'vscode';
import { flushParamsSchema, type DashboardProtocol, type FlushParams } from '../../shared/webviews/dashboard-protocol.js';
import { describeIssues } from '../../shared/webviews/protocol.js';
import type { ClientSource } from '../../shared/webviews/host/client-source.js';
import { flushCaches } from '../../shared/webviews/host/flush-caches.js';
import { toWireError } from '../../shared/webviews/host/wire-error.js';
import type { ViewHost } from './view-provider.js';
import { showError, showInfo } from '../notify.js';

export interface DashboardCommandDeps {
  source: ClientSource;
  dashboard: ViewHost<DashboardProtocol>;
  log: vscode.LogOutputChannel;
}

/** How long a flush may take before a progress notification shows, ms. */
const PROGRESS_AFTER_MS = 1000;

type FlushPick = vscode.QuickPickItem & { params?: FlushParams };

async function pickFlush(source: ClientSource): Promise<FlushParams | undefined> {
  const servers = (await source.client().listDownstreams()) as Array<{ id: string; name: string; namespace: string; transport: string }>;
  const items: FlushPick[] = [
    { label: '$(clear-all) All caches', description: 'tool results and route resolutions', params: { layer: 'all' } },
    { label: 'Tool results', description: 'every server', params: { layer: 'tool_call' } },
    { label: 'Route resolutions', description: 'which rule decides a tool in a workspace', params: { layer: 'route' } },
  ];
  const own = servers.filter((s) => s.transport !== 'internal');
  if (own.length > 0) {
    items.push({ label: 'One server', kind: vscode.QuickPickItemKind.Separator });
    for (const s of own) items.push({ label: `Tool results of “${s.name}”`, description: s.namespace, params: { layer: 'tool_call', server_id: s.id } });
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'MCPlexer: Flush Caches', placeHolder: 'What to flush' });
  return picked?.params;
}

/** `work`, with a progress notification only if it is still running after `PROGRESS_AFTER_MS`. */
async function withSlowProgress<T>(title: string, work: Promise<T>): Promise<T> {
  const timer = setTimeout(() => {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () =>
      work.then(
        () => undefined,
        () => undefined,
      ),
    );
  }, PROGRESS_AFTER_MS);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

export function registerDashboardCommands(deps: DashboardCommandDeps): vscode.Disposable[] {
  const fail = async (action: string, error: unknown) => {
    const wire = toWireError(error);
    deps.log.warn(`${action}: ${wire.message}`);
    await showError(`MCPlexer: ${action}: ${wire.message}`);
  };
  return [
    vscode.commands.registerCommand('mcplexer.openDashboard', async () => {
      try {
        await deps.dashboard.reveal();
      } catch (error) {
        await fail('could not open the Dashboard', error);
      }
    }),
    vscode.commands.registerCommand('mcplexer.flushCaches', async (arg?: unknown) => {
      try {
        // `{layer, server_id?}` from another command or a test skips the pick.
        let params: FlushParams | undefined;
        if (arg && typeof arg === 'object') {
          const given = flushParamsSchema.safeParse(arg);
          if (!given.success) throw new Error(`bad argument: ${describeIssues(given.error)} (expected {layer: "all" | "tool_call" | "route", server_id?})`);
          params = given.data;
        } else params = await pickFlush(deps.source);
        if (!params) return;
        const answer = await withSlowProgress('MCPlexer: flushing caches…', flushCaches(deps.source.client(), params));
        deps.log.info(answer.message);
        deps.dashboard.notify('dashboard/refresh', {});
        await showInfo(`MCPlexer: ${answer.message}`);
      } catch (error) {
        await fail('the caches were not flushed', error);
      }
    }),
  ];
}
