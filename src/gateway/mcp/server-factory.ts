import { Server } from '@modelcontextprotocol/server';
import type { CallPipeline, ClientHooks } from '../calls/index.js';
import type { DiscoveryService } from '../calls/index.js';
import type { DownstreamPort } from '../calls/index.js';
import type { RuntimeConfig } from '../calls/index.js';
import type { Logger } from '../log.js';
import { dirFromRoots } from './client-dir.js';
import { toProtocolError } from './error-map.js';
import { registerPassthroughHandlers } from './passthrough-handlers.js';
import type { McpSession } from './session.js';
import { passesLogLevel } from './log-level.js';
import { listTools } from './tool-list.js';

export interface FrontDependencies {
  version: string;
  config: () => RuntimeConfig;
  pipeline: CallPipeline;
  discovery: DiscoveryService;
  downstream: DownstreamPort;
  logger: Logger;
}

type Meta = Record<string, unknown> | undefined;
type HandlerContext = { mcpReq: { signal: AbortSignal; notify(n: { method: string; params?: Record<string, unknown> }): Promise<void>; send(r: { method: string; params?: Record<string, unknown> }, options?: { signal?: AbortSignal }): Promise<unknown> } };

export const CAPABILITIES = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  completions: {},
  logging: {},
};

/**
 * How a downstream's progress, notifications and requests reach this client: related to the
 * client's own request (so on Streamable HTTP they travel on that request's stream), with the
 * client's progress token put back.
 */
export function clientHooks(ctx: HandlerContext, meta: Meta, session: McpSession): ClientHooks {
  const progressToken = meta?.progressToken as string | number | undefined;
  return {
    signal: ctx.mcpReq.signal,
    onProgress: progressToken === undefined ? undefined : (p) => void ctx.mcpReq.notify({ method: 'notifications/progress', params: { ...p, progressToken } }).catch(() => undefined),
    onNotification: (n) => {
      if (passesLogLevel(n, session.logLevel)) void ctx.mcpReq.notify(n).catch(() => undefined);
    },
    // Only method and params go on the wire; the downstream's abort signal cancels the relay.
    onServerRequest: (request) => ctx.mcpReq.send({ method: request.method, params: request.params }, { signal: request.signal }) as Promise<Record<string, unknown>>,
  };
}

/** `_meta` for the downstream: the client's progress token is replaced by the pool's own. */
export function downstreamMeta(meta: Meta): Meta {
  if (!meta || !('progressToken' in meta)) return meta;
  const { progressToken: _dropped, ...rest } = meta;
  return Object.keys(rest).length ? rest : undefined;
}

/** Builds the MCP `Server` that serves one session (or one 2026-era request). */
export function createSessionServer(session: McpSession, deps: FrontDependencies): Server {
  const server = new Server({ name: 'mcplexer', version: deps.version }, {
    capabilities: CAPABILITIES,
    instructions: 'MCPlexer gateway: tools of several MCP servers, named <namespace>__<tool>.',
  });
  session.server = server;
  const guard = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await fn(...args);
    } catch (error) {
      throw toProtocolError(error);
    }
  };

  server.setRequestHandler('tools/list', guard(async () => {
    await deps.discovery.prepareLists();
    return { tools: listTools(deps.config(), session) } as never;
  }));
  server.setRequestHandler('tools/call', guard(async (request, ctx) => {
    const params = request.params as { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> };
    const hooks = clientHooks(ctx as unknown as HandlerContext, params._meta, session);
    return (await deps.pipeline.callTool(session, { name: params.name, arguments: params.arguments, _meta: downstreamMeta(params._meta) }, hooks)) as never;
  }));
  registerPassthroughHandlers(server, session, deps, guard);

  server.oninitialized = () => {
    session.initialized = true;
    const client = server.getClientVersion();
    session.clientName = client?.name;
    session.clientVersion = client?.version;
    if (session.dir === undefined && server.getClientCapabilities()?.roots) void refreshRoots(session, deps.logger);
  };
  server.setNotificationHandler('notifications/roots/list_changed', () => {
    if (session.dirSource !== 'header') void refreshRoots(session, deps.logger);
  });
  return server;
}

async function refreshRoots(session: McpSession, logger: Logger): Promise<void> {
  try {
    const { roots } = await session.server.listRoots(undefined, { timeout: 10_000 });
    const dir = dirFromRoots(roots);
    if (dir && session.dirSource !== 'header') {
      session.dir = dir;
      session.dirSource = 'roots';
    }
  } catch (error) {
    logger.debug('client did not answer roots/list', { session: session.id, reason: String(error) });
  }
}
