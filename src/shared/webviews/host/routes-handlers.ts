import { dryRunAnswerSchema } from '../answers.js';
import { RULE_ORDER_PROBE, type FolderAnswer, type RoutesProtocol } from '../routes-protocol.js';
import { settle, type ClientSource, type ViewsClient } from './client-source.js';
import type { Handlers } from './host-channel.js';

/** A window without folders is routed by `global` alone (the label `''` means "no folder"). */
const NO_FOLDER = '';

function targets(source: ClientSource): Array<{ folder: string; workspace: string }> {
  const folders = source.folders();
  if (folders.length === 0) return [{ folder: NO_FOLDER, workspace: 'global' }];
  // dry-run's `workspace_id` accepts a root path: each folder is its own workspace's root.
  return folders.map((folder) => ({ folder, workspace: folder }));
}

async function dryRunEach(client: ViewsClient, source: ClientSource, toolName: string, subpath?: string): Promise<FolderAnswer[]> {
  return Promise.all(
    targets(source).map(async ({ folder, workspace }) => ({
      folder,
      answer: await settle(client.dryRun({ workspace_id: workspace, tool_name: toolName, ...(subpath ? { subpath } : {}) }), dryRunAnswerSchema),
    })),
  );
}

/**
 * The Routes view's requests. The rule order comes from the gateway: a dry-run of a probe name per
 * folder lists the folder's chain and every rule of it in evaluation order.
 */
export function routesHandlers(source: ClientSource): Handlers<RoutesProtocol> {
  return {
    'routes/snapshot': async () => {
      const client = source.client();
      const [folders, workspaces, downstreams] = await Promise.all([
        dryRunEach(client, source, RULE_ORDER_PROBE),
        client.listWorkspaces(),
        client.listDownstreams(),
      ]);
      const servers = (downstreams as Array<{ id: string; name: string; namespace: string }>).map(({ id, name, namespace }) => ({ id, name, namespace }));
      return { folders, workspaces, servers };
    },
    'routes/create': ({ body }) => source.client().createRoute(body),
    'routes/update': ({ id, body }) => source.client().updateRoute(id, body),
    'routes/delete': async ({ id }) => {
      await source.client().deleteRoute(id);
      return {};
    },
    'routes/dryRun': async ({ tool_name, subpath }) => ({ folders: await dryRunEach(source.client(), source, tool_name, subpath) }),
  };
}
