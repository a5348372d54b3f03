import type { IncomingMessage, ServerResponse } from 'node:http';
import { withinMessageDepth } from './check-message.js';
import { acceptsLean, errorResponse, isLeanRequest, type JsonRpcRequest } from './fast-call.js';
import { rememberListed } from './list-changes.js';
import { needsRoots } from './roots.js';
import type { McpSession } from './session.js';
import type { ToolLists } from './tool-lists.js';
import type { FrontDependencies } from './types.js';

/**
 * The lean path for `tools/list` on an established 2025-era session, beside the one for
 * `tools/call` (fast-call.ts): the session's list from the front's shared `ToolLists`, whose JSON
 * is made and UTF-8 encoded once per view of the config, written as one JSON body. Through the
 * SDK transport a list of 2,000 tools (~380 KB) spent ~6 ms in its SSE write alone (the message
 * serialised, encoded into a web stream, then copied into Node's response). The answer is the SDK
 * path's: the same tools in the same order, the session's fingerprint recorded for
 * `list_changed`. The message check runs before this (endpoint.ts), so bad params never get here.
 * Left to the SDK path: a session still waiting for its roots (the list asks for them on its own
 * stream), a message nested past the depth limit.
 */
export function isFastToolList(body: unknown, req: IncomingMessage, session: McpSession): body is JsonRpcRequest {
  if (!isLeanRequest(body, 'tools/list')) return false;
  if (needsRoots(session, session.server.getClientCapabilities()?.roots !== undefined)) return false;
  return acceptsLean(req) && withinMessageDepth(body);
}

const CLOSE = Buffer.from('}}');

/** Answers `request` (a tools/list `isFastToolList` accepted) with one JSON body, or its JSON-RPC error. */
export async function handleFastToolList(
  session: McpSession,
  request: JsonRpcRequest,
  res: ServerResponse,
  deps: Pick<FrontDependencies, 'config' | 'discovery'>,
  lists: ToolLists,
): Promise<void> {
  let body: Buffer;
  try {
    await deps.discovery.prepareLists();
    const list = lists.of(deps.config(), session);
    rememberListed(session, list);
    body = Buffer.concat([Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(request.id)},"result":{"tools":`), list.json, CLOSE]);
  } catch (error) {
    body = Buffer.from(JSON.stringify(errorResponse(request.id, error)));
  }
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'mcp-session-id': session.id }).end(body);
}
