import type { IncomingMessage, ServerResponse } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import type { CallPipeline } from '../calls/index.js';
import { withinMessageDepth } from './check-message.js';
import { clientRelay } from './client-relay.js';
import { clientAnswerError, toProtocolError } from './error-map.js';
import type { McpSession } from './session.js';
import { SseCallStream } from './sse-call-stream.js';

export type JsonRpcRequest = { jsonrpc: '2.0'; id: string | number; method: string; params?: Record<string, unknown> };
export type JsonRpcResponse = { jsonrpc: '2.0'; id: string | number; result?: Record<string, unknown>; error?: unknown };

const SUPPORTED = new Set<string>(SUPPORTED_PROTOCOL_VERSIONS);

/**
 * The lean path for the hot call: a `tools/call` POSTed on an established 2025-era session is
 * answered straight from Node's request and response, without the SDK transport's conversion to
 * web-standard objects and its re-validation of the relayed result. It keeps the protocol's
 * semantics: a JSON response when nothing precedes the result, upgraded to an SSE stream on the
 * first related message (progress, logging, a server→client request; written with backpressure by
 * `SseCallStream`, relayed by the one client relay); cancellation by
 * `notifications/cancelled` or by the client closing the request. Anything unusual (a batch, an
 * unknown protocol version, malformed params, arguments nested past the depth limit) is left to
 * the SDK path, whose message check answers it properly.
 */
export function isFastToolCall(body: unknown, req: IncomingMessage): body is JsonRpcRequest {
  if (!isLeanRequest(body, 'tools/call')) return false;
  const params = body.params;
  if (typeof params !== 'object' || params === null || typeof params.name !== 'string') return false;
  if (params.arguments !== undefined && (typeof params.arguments !== 'object' || params.arguments === null || Array.isArray(params.arguments))) return false;
  if (params._meta !== undefined && (typeof params._meta !== 'object' || params._meta === null)) return false;
  return acceptsLean(req) && withinMessageDepth(body);
}

/** A single JSON-RPC request for `method` with a string or integer id (the params are the caller's to check). */
export function isLeanRequest(body: unknown, method: string): body is JsonRpcRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const message = body as Partial<JsonRpcRequest>;
  // A number id must be an integer that survives JSON.stringify (1e400 parses as Infinity, written back as null): the message check refuses others.
  return message.method === method && message.jsonrpc === '2.0' && (typeof message.id === 'string' || Number.isInteger(message.id));
}

/** A request the lean paths may answer: a protocol version this gateway speaks (or none), and JSON and SSE accepted. */
export function acceptsLean(req: IncomingMessage): boolean {
  const version = req.headers['mcp-protocol-version'];
  if (version !== undefined && (typeof version !== 'string' || !SUPPORTED.has(version))) return false;
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && accept.includes('text/event-stream');
}

/** A client POST that answers or cancels something the fast path started; true when consumed. */
export function consumeFastPathMessage(session: McpSession, body: unknown, res: ServerResponse): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const message = body as {
    id?: string | number;
    method?: string;
    params?: { requestId?: string | number; reason?: string };
    result?: unknown;
    error?: unknown;
  };
  if (message.method === undefined && message.id !== undefined) {
    const pending = session.fastServerRequests.get(message.id);
    if (!pending) return false;
    session.fastServerRequests.delete(message.id);
    // The client's own error goes back to the downstream with its code, so the downstream's own error path runs.
    if (message.error !== undefined) pending.reject(clientAnswerError(message.error));
    else pending.resolve(message.result as Record<string, unknown>);
  } else if (message.method === 'notifications/cancelled') {
    const call = message.params?.requestId === undefined ? undefined : session.fastCalls.get(message.params.requestId);
    if (!call) return false;
    call.abort(message.params?.reason ?? 'cancelled by the client');
  } else {
    return false;
  }
  res.writeHead(202).end();
  return true;
}

export async function handleFastToolCall(session: McpSession, request: JsonRpcRequest, res: ServerResponse, pipeline: CallPipeline): Promise<void> {
  const controller = new AbortController();
  session.fastCalls.set(request.id, controller);
  const stream = new SseCallStream(res, session);
  res.on('close', () => {
    if (!res.writableFinished) controller.abort('the client closed the request');
  });

  const params = request.params as { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> };
  const hooks = clientRelay(stream, session, params._meta, controller.signal);
  let response: JsonRpcResponse;
  try {
    const result = await pipeline.callTool(session, { name: params.name, arguments: params.arguments, _meta: params._meta }, hooks);
    response = { jsonrpc: '2.0', id: request.id, result };
  } catch (error) {
    response = errorResponse(request.id, error);
  } finally {
    session.fastCalls.delete(request.id);
    hooks.end();
  }
  stream.finish(response);
}

/** The JSON-RPC error response a lean path answers with when its work throws (`toProtocolError`). */
export function errorResponse(id: string | number, error: unknown): JsonRpcResponse {
  const protocolError = toProtocolError(error);
  return {
    jsonrpc: '2.0',
    id,
    error: { code: protocolError.code, message: protocolError.message, ...(protocolError.data === undefined ? {} : { data: protocolError.data }) },
  };
}
