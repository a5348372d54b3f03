import { ProtocolError, Server } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { clientCapabilityKey, type ToolCallParams } from '../calls/index.js';
import { JsonRpcCode, toProtocolError } from './error-map.js';
import { registerPassthroughHandlers } from './passthrough-handlers.js';
import { clientHooks, type HandlerContext } from './client-relay.js';
import type { McpSession } from './session.js';
import type { FrontDependencies, Guard } from './types.js';
import type { ToolLists } from './tool-lists.js';
import { checkToolList, rememberListed } from './list-changes.js';
import { rootsBeforeList, rootsNeeded, needsRoots, type AskRoots, type RootsContext } from './roots.js';

const ROOTS_ANSWER = z.looseObject({ roots: z.array(z.unknown()) });

export const CAPABILITIES = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  completions: {},
  logging: {},
};

/**
 * Builds the MCP `Server` that serves one session (or one 2026-era request).
 * @param lists the front's tool lists, shared by its sessions (tool-lists.ts)
 */
export function createSessionServer(session: McpSession, deps: FrontDependencies, lists: ToolLists): Server {
  const server = new Server(
    { name: 'mcplexer', version: deps.version },
    {
      capabilities: CAPABILITIES,
      // With the instructions of the servers this session sees (instructions.ts), as its workspace
      // is known now (a header, the bridge's roots in initialize); the global view otherwise.
      instructions: lists.instructionsOf(deps.config(), session),
    },
  );
  session.server = server;
  const guard: Guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (error) {
        throw toProtocolError(error);
      }
    };

  session.checkTools = () => void checkToolList(session, deps.config(), lists);
  const roots: RootsContext = {
    logger: deps.logger,
    waitMs: () => deps.config().settings.roots_wait_ms,
    onDirChange: () => session.checkTools(),
  };
  const declaresRoots = () => server.getClientCapabilities()?.roots !== undefined;
  // Our own result schema: the SDK's refuses any root that is not file:// (vscode-remote:// ones
  // included) and would fail the whole answer; dirFromRoots judges each root instead.
  const askRootsOn =
    (relatedRequestId?: string | number): AskRoots =>
    (signal) =>
      server.request({ method: 'roots/list' }, ROOTS_ANSWER, { signal, relatedRequestId });
  const askUnrelated = askRootsOn();

  server.setRequestHandler(
    'tools/list',
    guard(async (_request, ctx) => {
      const askHere = askRootsOn((ctx as unknown as { mcpReq: { id: string | number } }).mcpReq.id);
      await Promise.all([deps.discovery.prepareLists(), rootsBeforeList(session, declaresRoots(), askHere, roots)]);
      const list = lists.of(deps.config(), session);
      rememberListed(session, list);
      return { tools: list.tools } as never;
    }),
  );
  server.setRequestHandler(
    'tools/call',
    guard(async (request, ctx) => {
      const params = request.params as ToolCallParams;
      // The roots first, as for a list: they choose the directory and key the instance the call uses.
      await rootsBeforeList(session, declaresRoots(), askRootsOn((ctx as unknown as { mcpReq: { id: string | number } }).mcpReq.id), roots, true);
      const hooks = clientHooks(ctx as unknown as HandlerContext, params._meta, session);
      try {
        return (await deps.pipeline.callTool(session, { name: params.name, arguments: params.arguments, _meta: params._meta }, hooks)) as never;
      } finally {
        hooks.end();
      }
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
    session.setCapabilities(clientCapabilityKey(server.getClientCapabilities()));
    if (needsRoots(session, declaresRoots())) rootsNeeded(session, askUnrelated, roots);
  };
  // Asked again with or without a header choosing the directory: the roots also key the session's downstream instances.
  server.setNotificationHandler('notifications/roots/list_changed', () => {
    if (declaresRoots()) rootsNeeded(session, askUnrelated, roots);
  });
  return server;
}
