import { fetchEntityNames } from '../entity-names.js';
import { healthAnswerSchema, visibilityAnswerSchema } from '../answers.js';
import type { ServersProtocol } from '../servers-protocol.js';
import { settle, type ClientSource } from './client-source.js';
import { beginConnect } from './connect-account.js';
import type { HostContext } from './host-context.js';
import type { Handlers } from './host-channel.js';
import { ViewError } from './wire-error.js';

const NO_FOLDERS = {
  window: 'no folder is open here, so tools are listed as each server reports them (the Routes view dry-runs a tool for a workspace)',
  gateway:
    'the browser dashboard belongs to no editor window, so tools are listed as each server reports them (the Routes tab dry-runs a tool for each workspace)',
} as const;

/**
 * The Servers view's requests, each one REST call (the snapshot three at once). Answers go back as
 * the gateway gave them; the channel checks them against the protocol's result schemas.
 */
export function serversHandlers(source: ClientSource, context?: Pick<HostContext<ServersProtocol>, 'connectAccount'>): Handlers<ServersProtocol> {
  return {
    'servers/snapshot': async () => {
      const client = source.client();
      const folders = [...source.folders()];
      const [downstreams, health, visibility] = await Promise.all([
        client.listDownstreams(),
        settle(client.health(), healthAnswerSchema),
        // GET /visibility needs a folder: a window without one (or the browser page) has none to explain.
        folders.length === 0
          ? settle(Promise.reject(new ViewError('no_folders', NO_FOLDERS[source.scope ?? 'window'])), visibilityAnswerSchema)
          : settle(client.visibility({ dir: folders }), visibilityAnswerSchema),
      ]);
      return { folders, downstreams, health, visibility };
    },
    'servers/create': ({ body }) => source.client().createDownstream(body),
    'servers/update': ({ id, body }) => source.client().updateDownstream(id, body),
    'servers/delete': async ({ id, cascade }) => {
      await source.client().deleteDownstream(id, { cascade });
      return {};
    },
    'servers/names': () => fetchEntityNames(source.client()),
    'servers/discover': ({ id }) => source.client().discoverDownstream(id),
    'servers/restart': async ({ id }) => {
      await source.client().restartDownstream(id);
      return {};
    },
    'servers/connect': async ({ id }) => {
      if (context?.connectAccount) {
        context.connectAccount(id);
        return { started: true, authorize_url: null, auth_scope_name: null };
      }
      const start = await beginConnect(source.client(), id);
      return { started: false, authorize_url: start.authorize_url, auth_scope_name: start.auth_scope_name };
    },
  };
}
