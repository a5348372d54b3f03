import { ProtocolError, Server } from '@modelcontextprotocol/server';
import { clientCapabilityKey } from '../calls/index.js';
import { dirFromRoots } from './client-dir.js';
import { JsonRpcCode, toProtocolError } from './error-map.js';
import { registerPassthroughHandlers } from './passthrough-handlers.js';
import { clientHooks, type HandlerContext } from './client-relay.js';
import type { McpSession } from './session.js';
import type { Logger } from '../log.js';
import type { FrontDependencies } from './types.js';
import { listTools } from './tool-list.js';

export const CAPABILITIES = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  completions: {},
  logging: {},
};

/** Builds the MCP `Server` that serves one session (or one 2026-era request). */
export function createSessionServer(session: McpSession, deps: FrontDependencies): Server {
  const server = new Server(
    { name: 'mcplexer', version: deps.version },
    {
      capabilities: CAPABILITIES,
      instructions: 'MCPlexer gateway: tools of several MCP servers, named <namespace>__<tool>.',
    },
  );
  session.server = server;
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (error) {
        throw toProtocolError(error);
      }
    };

  server.setRequestHandler(
    'tools/list',
    guard(async () => {
      await deps.discovery.prepareLists();
      return { tools: listTools(deps.config(), session) } as never;
    }),
  );
  server.setRequestHandler(
    'tools/call',
    guard(async (request, ctx) => {
      const params = request.params as { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> };
      const hooks = clientHooks(ctx as unknown as HandlerContext, params._meta, session);
      return (await deps.pipeline.callTool(session, { name: params.name, arguments: params.arguments, _meta: params._meta }, hooks)) as never;
    }),
  );
  registerPassthroughHandlers(server, session, deps, guard);
  // The SDK's own answer to an unknown method is a bare "Method not found"; this one names it.
  server.fallbackRequestHandler = async (request) => {
    throw new ProtocolError(JsonRpcCode.MethodNotFound, `Method not found: "${request.method}" is not an MCP method this gateway serves`);
  };

  server.oninitialized = () => {
    session.initialized = true;
    const client = server.getClientVersion();
    session.clientName = client?.name;
    session.clientVersion = client?.version;
    session.capabilityKey = clientCapabilityKey(server.getClientCapabilities());
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
