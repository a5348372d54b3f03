import { dryRunAnswerSchema } from '../answers.js';
import { RULE_ORDER_PROBE, type FolderAnswer, type RoutesProtocol, type RoutesScope } from '../routes-protocol.js';
import { settle, type ClientSource, type ViewsClient } from './client-source.js';
import type { Handlers } from './host-channel.js';

/** A window without folders is routed by `global` alone (the label `''` means "no folder"). */
const NO_FOLDER = '';

interface Target {
  folder: string;
  workspace: string;
  label?: string;
}

type WorkspaceList = Array<{ id: string; name: string; root_path: string }>;

function scopeOf(source: ClientSource): RoutesScope {
  return source.scope ?? 'window';
}

/**
 * What to dry-run. A window: each folder (dry-run's `workspace_id` accepts a root path, so each
 * folder is routed as its workspace). The browser, which belongs to no window: every workspace of
 * the gateway by its id, under its name (until Dec 2026 it showed the `global` rules alone).
 */
async function targets(client: ViewsClient, source: ClientSource, listed?: Promise<unknown>): Promise<Target[]> {
  if (scopeOf(source) === 'gateway') {
    const workspaces = (await (listed ?? client.listWorkspaces())) as WorkspaceList;
    return workspaces.map((w) => ({ folder: w.root_path, workspace: w.id, label: w.name }));
  }
  const folders = source.folders();
  if (folders.length === 0) return [{ folder: NO_FOLDER, workspace: 'global' }];
  return folders.map((folder) => ({ folder, workspace: folder }));
}

async function dryRunEach(client: ViewsClient, targets: readonly Target[], toolName: string, subpath?: string): Promise<FolderAnswer[]> {
  return Promise.all(
    targets.map(async ({ folder, workspace, label }) => ({
      folder,
      ...(label !== undefined ? { label } : {}),
      answer: await settle(client.dryRun({ workspace_id: workspace, tool_name: toolName, ...(subpath ? { subpath } : {}) }), dryRunAnswerSchema),
    })),
  );
}

/**
 * The Routes view's requests. The rule order comes from the gateway: a dry-run of a probe name per
 * folder (or, in the browser, per workspace) lists its chain and every rule of it in evaluation order.
 */
export function routesHandlers(source: ClientSource): Handlers<RoutesProtocol> {
  return {
    'routes/snapshot': async () => {
      const client = source.client();
      const workspacesListed = client.listWorkspaces();
      const [folders, workspaces, downstreams, scopes] = await Promise.all([
        targets(client, source, workspacesListed).then((each) => dryRunEach(client, each, RULE_ORDER_PROBE)),
        workspacesListed,
        client.listDownstreams(),
        client.listAuthScopes(),
      ]);
      const servers = (downstreams as Array<{ id: string; name: string; namespace: string }>).map(({ id, name, namespace }) => ({ id, name, namespace }));
      const auth_scopes = scopes.map(({ id, name, type }) => ({ id, name, type }));
      return { folders, scope: scopeOf(source), workspaces, servers, auth_scopes };
    },
    'routes/create': ({ body }) => source.client().createRoute(body),
    'routes/update': ({ id, body }) => source.client().updateRoute(id, body),
    'routes/delete': async ({ id }) => {
      await source.client().deleteRoute(id);
      return {};
    },
    'routes/dryRun': async ({ tool_name, subpath }) => {
      const client = source.client();
      return { folders: await dryRunEach(client, await targets(client, source), tool_name, subpath), scope: scopeOf(source) };
    },
  };
}
