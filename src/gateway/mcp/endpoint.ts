import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { classifyInboundRequest, createMcpHandler } from '@modelcontextprotocol/server';
import { GatewayError, payloadTooLarge } from '../errors.js';
import { batchRefusal } from './batch-policy.js';
import { checkClientMessage } from './check-message.js';
import { jsonRpcErrorBody, requestIdOf } from './error-map.js';
import { consumeFastPathMessage, handleFastToolCall, isFastToolCall } from './fast-call.js';
import { handleFastToolList, isFastToolList } from './fast-list.js';
import { createSessionServer } from './server-factory.js';
import { nodeSdk } from './node-sdk.js';
import { checkToolLists } from './list-changes.js';
import { ToolLists } from './tool-lists.js';
import { adoptRoots, needsRoots } from './roots.js';
import { applyHeaderValues, applySessionHeaders, checkSessionHeaders, nodeHeader, SERVERS_HEADER } from './session-headers.js';
import { WORKSPACE_HEADER } from './client-dir.js';
import { followModelHeader, MODEL_HEADER } from './client-identity.js';
import type { FrontDependencies } from './types.js';
import { McpSession, SessionRegistry } from './session.js';
import { sessionList, type SessionListEntry } from './session-list.js';
import { SessionSweeper, tooManySessions, type SessionLimits } from './session-limits.js';

export const MAX_MCP_BODY_BYTES = 4 * 1024 * 1024;

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Whether this request carries the token that opened the session (sessions are bound to it). */
function sameOwner(session: McpSession, req: IncomingMessage): boolean {
  const given = Buffer.from(header(req, 'authorization') ?? '');
  return given.length === session.owner.length && timingSafeEqual(given, session.owner);
}

/**
 * Answers a malformed client message before any session or SDK sees it: a well-formed request
 * with wrong MCP content gets its JSON-RPC error response (its id, HTTP 200, as any answer);
 * anything else is thrown, and `http/` writes it with its status and the JSON-RPC error body.
 * @throws GatewayError `bad_request` or `invalid_params` naming the field, for an HTTP-level refusal.
 * @returns true when the message was answered here.
 */
function answeredMalformed(body: unknown, res: ServerResponse): boolean {
  const problem = checkClientMessage(body);
  if (problem === undefined) return false;
  if (!problem.inBand) throw problem.error;
  const text = JSON.stringify(jsonRpcErrorBody(problem.error, requestIdOf(body)));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  return true;
}

/** The HTTP methods of `/mcp` (MCP 2025-11-25, basic/transports: Streamable HTTP). */
const MCP_METHODS: readonly string[] = ['GET', 'POST', 'DELETE'];

const unsupportedMediaType = () => new GatewayError('unsupported_media_type', 'Unsupported Media Type: send Content-Type: application/json');

/** The refusal of a new session while the gateway drains (`POST /api/v1/drain`). */
function drainingError(): GatewayError {
  return new GatewayError(
    'draining',
    'the gateway is draining (POST /api/v1/drain): it finishes the calls in flight and stops, so it opens no new MCP session; connect again once a new gateway runs',
  );
}

export interface McpFront {
  handler: Array<RequestHandler | ErrorRequestHandler>;
  /** Established sessions' requests, served by the HTTP layer before Express. */
  sessionPath: {
    maxBodyBytes: number;
    has(sessionId: string): boolean;
    /**
     * @throws GatewayError for a refusal, which `errorBody` renders: `session_not_found` (an id of
     * no session of this token), `bad_request` (a malformed message, named by field; a bad
     * `X-MCPlexer-Workspace`), `invalid_params` (a notification or batch member with bad params).
     */
    handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
    errorBody(error: GatewayError, request: unknown): unknown;
  };
  sessions: SessionRegistry;
  /** From now on new sessions (and 2026-era requests) are refused with `draining` (503); open sessions go on. */
  drain(): void;
  readonly draining: boolean;
  /** The live sessions as the dashboard lists them (session-list.ts). */
  sessionList(): SessionListEntry[];
  /**
   * After a config change: directories chosen by a workspace name or id are resolved again, and
   * each session whose visible tools changed gets `tools/list_changed` (list-changes.ts).
   */
  checkToolLists(): void;
  close(): Promise<void>;
}

/**
 * `/mcp`: both protocol eras on one endpoint. 2025-era traffic (initialize, then a session id)
 * gets stateful Streamable HTTP sessions, each bound to the token that opened it; 2026-07-28
 * traffic (per-request envelope, `server/discover`) goes to the SDK's modern handler. Host,
 * Origin and token checks run before this, in `http/`. Every POSTed message is checked first
 * (`check-message.ts`), on every path.
 * The Express handler passes these GatewayErrors to `next` (written by `http/` as a JSON-RPC
 * error with the status of `http/error-map.ts`): `parse_error` (body not JSON), `bad_request` and
 * `invalid_params` (a malformed message, named by field), `unsupported_media_type`,
 * `payload_too_large`, `session_required` (a 2025-era request without a session id),
 * `session_not_found`, `capacity_exceeded` (`max_sessions`), and `bad_request` for a bad
 * `X-MCPlexer-Workspace` header.
 */
export function createMcpFront(deps: FrontDependencies): McpFront {
  const sessions = new SessionRegistry((session) => deps.downstream.releaseOwner(session.id));
  const limits = (): SessionLimits => {
    const { settings } = deps.config();
    return { idleTimeoutSec: settings.session_idle_timeout_sec, maxSessions: settings.max_sessions };
  };
  const sweeper = new SessionSweeper(sessions, limits, deps.logger);
  /** Sessions between `initialize` and their id: counted against the cap too. */
  let opening = 0;
  let draining = false;
  const lists = new ToolLists();
  const modern = createMcpHandler(
    (ctx) => {
      const session = new McpSession(`modern-${randomUUID()}`, 'modern', Buffer.alloc(0));
      applySessionHeaders(session, (name) => ctx.requestInfo?.headers.get(name) ?? undefined, deps.config);
      return createSessionServer(session, deps, lists);
    },
    { legacy: 'reject', maxRequestBodySize: MAX_MCP_BODY_BYTES, onerror: (error) => deps.logger.debug('mcp modern request failed', { reason: error.message }) },
  );
  /** The 2026-era handler on Node's request and response, made with the first such request (node-sdk.ts). */
  let modernNode: ReturnType<Awaited<ReturnType<typeof nodeSdk>>['toNodeHandler']> | undefined;

  const startSession = async (req: IncomingMessage, res: ServerResponse, body: { params?: { roots?: unknown } }) => {
    // Before the cap is checked: nothing below waits until the session is counted as opening.
    const { NodeStreamableHTTPServerTransport } = await nodeSdk();
    const config = deps.config();
    const session = new McpSession('', 'legacy', Buffer.from(header(req, 'authorization') ?? ''));
    applySessionHeaders(session, nodeHeader(req.headers), () => config);
    const fromHeader = session.dirSource === 'header';
    if (sessions.size + opening >= config.settings.max_sessions && (sweeper.sweep() === 0 || sessions.size + opening >= config.settings.max_sessions)) {
      throw tooManySessions(limits());
    }
    // `roots` in initialize (the stdio bridge adds its cwd): used like a roots/list answer, which is then not needed.
    if (!fromHeader && Array.isArray(body.params?.roots)) {
      adoptRoots(session, body.params.roots, { logger: deps.logger, onDirChange: () => undefined });
      session.rootsAnswered = session.dir !== undefined;
    }
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        Object.assign(session, { id });
        sessions.add(session);
      },
      onsessionclosed: (id) => sessions.delete(id),
    });
    transport.onclose = () => {
      if (session.id) sessions.delete(session.id);
    };
    session.transport = transport;
    session.onStreamCutOff = (behind) =>
      deps.logger.warn('MCP session stream reader fell behind; disconnected (the client opens the stream again)', { session: session.id, behind });
    opening += 1;
    try {
      await createSessionServer(session, deps, lists).connect(transport);
      await transport.handleRequest(req, res, body);
    } finally {
      opening -= 1;
    }
  };

  /** A request on an established session: the lean paths for tools/call and tools/list, the SDK transport otherwise. */
  const inSession = async (sessionId: string, req: IncomingMessage, res: ServerResponse, body: unknown) => {
    const session = sessions.get(sessionId);
    if (!session || !sameOwner(session, req) || sweeper.expiredNow(session))
      throw new GatewayError('session_not_found', 'Session not found: start a new session with initialize');
    session.lastActivity = Date.now();
    // Resolved once per value and config version: the hot path compares strings and a number. A
    // tools/list that moves the session is answered with the new list: no list_changed for it.
    const listing = (body as { method?: unknown } | undefined)?.method === 'tools/list';
    applyHeaderValues(session, header(req, WORKSPACE_HEADER), header(req, SERVERS_HEADER), deps.config, !listing);
    followModelHeader(session, header(req, MODEL_HEADER));
    if (req.method === 'POST') {
      // A session still owing its roots takes the SDK path, which asks for them first (roots.ts).
      if (session.initialized && isFastToolCall(body, req) && !needsRoots(session, session.server.getClientCapabilities()?.roots !== undefined))
        return handleFastToolCall(session, body, res, deps.pipeline);
      // Checked before a client's answer is relayed too: a result nested past the limit must not reach the downstream's JSON;
      // and before the lean tools/list, whose params (a cursor, _meta) only this check reads.
      if (answeredMalformed(body, res)) return;
      // A well-formed batch, before the lean paths and the SDK's transport alike: 2025-06-18 and later have none (batch-policy.ts).
      // The SDK's accessor is deprecated for the 2026 era's per-request revision; on a 2025-era session it is initialize's.
      const refused = batchRefusal(body, session.server.getNegotiatedProtocolVersion());
      if (refused) throw refused;
      if (session.initialized && isFastToolList(body, req, session)) return handleFastToolList(session, body, res, deps, lists);
      if (session.initialized && consumeFastPathMessage(session, body, res)) return;
    }
    session.openRequests += 1;
    const listens = req.method === 'GET';
    if (listens) {
      session.listening += 1;
      session.stream = res;
      // Once the transport holds the stream: a list change that found no stream to go on is sent now.
      setImmediate(() => session.checkTools());
    }
    res.once('close', () => {
      session.openRequests -= 1;
      if (listens) session.listening -= 1;
      if (session.stream === res) session.stream = undefined;
      session.lastActivity = Date.now();
    });
    return session.transport!.handleRequest(req, res, body);
  };

  const handle: RequestHandler = async (req, res) => {
    // The methods of MCP's Streamable HTTP transport; another is a 405 with or without a session id
    // (the SDK answered one with a session, the gateway a 400 "no session" without).
    if (!MCP_METHODS.includes(req.method)) {
      res.setHeader('allow', MCP_METHODS.join(', '));
      throw new GatewayError('method_not_allowed', `${req.method} is not an operation of /mcp: it answers ${MCP_METHODS.join(', ')} (MCP Streamable HTTP)`);
    }
    const body = req.method === 'POST' ? req.body : undefined;
    // A POST whose body no JSON parser read (another Content-Type), on a session or not.
    if (req.method === 'POST' && body === undefined) throw unsupportedMediaType();
    const sessionId = header(req, 'mcp-session-id');
    if (sessionId) return inSession(sessionId, req, res, body);
    if (req.method === 'POST') {
      if (answeredMalformed(body, res)) return;
      const route = classifyInboundRequest({
        httpMethod: 'POST',
        body,
        protocolVersionHeader: header(req, 'mcp-protocol-version'),
        mcpMethodHeader: header(req, 'mcp-method'),
        mcpNameHeader: header(req, 'mcp-name'),
      } as Parameters<typeof classifyInboundRequest>[0]);
      if (route.kind !== 'legacy') {
        if (draining) throw drainingError();
        checkSessionHeaders(nodeHeader(req.headers), deps.config());
        modernNode ??= (await nodeSdk()).toNodeHandler(modern);
        return modernNode(req, res, body);
      }
    }
    if (req.method === 'POST' && (body as { method?: unknown } | undefined)?.method === 'initialize') {
      if (draining) throw drainingError();
      return startSession(req, res, body);
    }
    throw new GatewayError('session_required', 'Bad Request: no valid session id; start a session with initialize');
  };

  // Not strict: a JSON primitive is valid JSON, so it is refused as an invalid request (InvalidRequest), not as a parse error.
  const parseJson = express.json({ limit: MAX_MCP_BODY_BYTES, strict: false, type: ['application/json', 'application/*+json'] });
  const parseErrors: ErrorRequestHandler = (error: { type?: string; message?: string }, _req, _res, next) => {
    // The same 413 as on the lean path: `http/` writes it with `errorBody`.
    if (error.type === 'entity.too.large') return next(payloadTooLarge(MAX_MCP_BODY_BYTES));
    if (error.type === 'entity.parse.failed') return next(new GatewayError('parse_error', `Parse error: ${error.message}`));
    next(error);
  };
  return {
    handler: [parseJson, parseErrors, handle],
    sessionPath: {
      maxBodyBytes: MAX_MCP_BODY_BYTES,
      has: (id) => sessions.get(id) !== undefined,
      handle: (req, res, body) => inSession(header(req, 'mcp-session-id')!, req, res, body),
      errorBody: (error, request) => jsonRpcErrorBody(error, requestIdOf(request)),
    },
    sessions,
    drain: () => void (draining = true),
    get draining() {
      return draining;
    },
    sessionList: () => sessionList(sessions, deps.config),
    checkToolLists: () => checkToolLists(sessions.all(), deps.config(), deps.logger, lists),
    close: async () => {
      sweeper.stop();
      await Promise.allSettled(sessions.all().map((s) => s.transport?.close()));
      await modern.close();
    },
  };
}
