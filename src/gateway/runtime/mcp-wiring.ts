import type { ConfigState, DownstreamServer } from '../config/index.js';
import type { DiscoveryService } from '../calls/index.js';
import { launchKey, type DownstreamPool } from '../downstream/index.js';
import type { Logger } from '../log.js';
import type { McpFront } from '../mcp/index.js';
import { clientUri } from '../mcp/index.js';
import { afterTokenChange, type TokenEvents } from './oauth-token-wiring.js';

/** A running instance no longer matches its definition: its launch settings changed or it was disabled. */
const instanceKey = (server: DownstreamServer): string => `${server.enabled}${launchKey(server)}`;

/**
 * Keeps the pool and the client sessions in step with the config and the downstreams:
 * restarts instances whose definition changed, tells the sessions whose visible tools changed
 * (and every session when resources or prompts changed) that their lists changed, re-discovers
 * a server that says its tools changed, routes resource updates to subscribed sessions, and
 * follows OAuth token changes.
 */
export function wireMcpEvents(deps: {
  pool: DownstreamPool;
  front: McpFront;
  discovery: DiscoveryService;
  current: () => ConfigState;
  logger: Logger;
  /** OAuth token changes: instances holding the old token retired, failed servers rediscovered (oauth-token-wiring.ts). */
  oauth?: TokenEvents;
}): (next: ConfigState, previous: ConfigState) => void {
  const { pool, front, discovery, logger } = deps;
  // Coalesced: a burst of changes (a bulk edit, several discoveries) compares each session's list once.
  let pendingCheck: NodeJS.Timeout | undefined;
  const checkToolLists = () => {
    clearTimeout(pendingCheck);
    pendingCheck = setTimeout(() => front.checkToolLists(), 50);
  };

  discovery.on('changed', (_serverId: string, lists: string[]) => {
    for (const session of front.sessions.all()) {
      if (lists.includes('resources') || lists.includes('resource_templates')) session.notify(() => session.server.sendResourceListChanged());
      if (lists.includes('prompts')) session.notify(() => session.server.sendPromptListChanged());
    }
  });
  deps.oauth?.on('token', (scopeId, change) => afterTokenChange(pool, discovery, deps.current(), logger, scopeId, change));
  pool.on('tools_changed', ({ server_id }) => {
    discovery.discover(server_id).catch((error: Error) => logger.warn('re-discovery after tools/list_changed failed', { server_id, reason: error.message }));
  });
  pool.on('notification', ({ server_id, notification, subscribers }) => {
    if (notification.method === 'notifications/resources/updated') {
      // Only the sessions subscribed to this URI on the instance that sent it.
      const server = deps.current().downstreams.find((s) => s.id === server_id);
      const uri = notification.params?.uri;
      if (!server || typeof uri !== 'string') return;
      const gatewayUri = clientUri(server, uri);
      for (const id of subscribers) {
        const session = front.sessions.get(id);
        session?.notify(() => session.server.sendResourceUpdated({ uri: gatewayUri }));
      }
    } else if (notification.method === 'notifications/resources/list_changed' || notification.method === 'notifications/prompts/list_changed') {
      discovery.discover(server_id).catch(() => undefined);
    }
  });

  return (next, previous) => {
    // A server added, removed, enabled, disabled or renamed changes what resources/list and
    // prompts/list show as much as its tools (a trial: only tools/list_changed was sent).
    const resourcesChanged = listedBy(previous, hasResources) !== listedBy(next, hasResources);
    const promptsChanged = listedBy(previous, hasPrompts) !== listedBy(next, hasPrompts);
    if (resourcesChanged || promptsChanged) {
      for (const session of front.sessions.all()) {
        if (resourcesChanged) session.notify(() => session.server.sendResourceListChanged());
        if (promptsChanged) session.notify(() => session.server.sendPromptListChanged());
      }
    }
    const before = new Map(previous.downstreams.map((s) => [s.id, instanceKey(s)]));
    const after = new Map(next.downstreams.map((s) => [s.id, instanceKey(s)]));
    for (const [id, key] of before) {
      if (after.get(id) !== key)
        pool.stopServer(id).catch((error: Error) => logger.warn('stopping a changed server failed', { server_id: id, reason: error.message }));
    }
    checkToolLists();
  };
}

const hasResources = (server: DownstreamServer): boolean => server.resources.length + server.resource_templates.length > 0;
const hasPrompts = (server: DownstreamServer): boolean => server.prompts.length > 0;

/** What decides which servers' resources (or prompts) are listed, and under which names, as one string to compare. */
function listedBy(state: ConfigState, has: (server: DownstreamServer) => boolean): string {
  let key = '';
  for (const server of state.downstreams) {
    if (server.enabled && has(server)) key += `${server.id}\u0000${server.namespace}\u0000${server.expose_unprefixed}\u0001`;
  }
  return key;
}
