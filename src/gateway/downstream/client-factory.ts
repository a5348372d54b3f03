/**
 * Builds the SDK `Client` for one connection. It declares exactly the client capabilities of its
 * instance's key (what the sessions behind it declared) and answers only the server→client
 * requests those allow; each one is handed to the call it was attributed to, except `roots/list`
 * when the key carries the sessions' roots (`withRoots`): those are the answer. A `roots/list`
 * with no roots known and no call to relay it to is refused, not answered with an empty list on
 * the client's behalf (a trial: server-everything asked after a quick first call and was told the
 * client had no roots).
 */
import { Client, ProtocolError, ProtocolErrorCode, type ClientContext } from '@modelcontextprotocol/client';
import { UNATTRIBUTABLE, type CallRegistry } from './call-registry.js';
import { advertisedCapabilities, rootsOf, type ClientCapabilityKey } from './client-capabilities.js';

interface IncomingRequest {
  method: string;
  params?: Record<string, unknown>;
}

/** Server→client requests that need a declared client capability (MCP 2025-11-25 "Client Features"). */
const CAPABILITY_OF: Record<string, 'roots' | 'sampling' | 'elicitation'> = {
  'roots/list': 'roots',
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
};

export function createDownstreamClient(info: { name: string; version: string }, registry: CallRegistry, key: ClientCapabilityKey): Client {
  const capabilities = advertisedCapabilities(key);
  const roots = rootsOf(key);
  const client = new Client(info, { capabilities });
  const answer = async (request: IncomingRequest, ctx: ClientContext): Promise<Record<string, unknown>> => {
    const target = registry.takeRoutedRequest(ctx.mcpReq.id);
    const needs = CAPABILITY_OF[request.method];
    // As an SDK client without that handler answers: the downstream's own "not supported" path runs.
    if (needs !== undefined && capabilities[needs] === undefined) {
      throw new ProtocolError(ProtocolErrorCode.MethodNotFound, `Method not found: the client behind MCPlexer did not declare ${needs}`);
    }
    // Every session behind this instance has exactly these roots (they are part of its key).
    if (request.method === 'roots/list' && roots !== undefined) return { roots };
    if (target === UNATTRIBUTABLE) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        `MCPlexer could not attribute ${request.method} to one client: calls of several client sessions are in flight on this server`,
      );
    }
    if (target?.opts.onServerRequest) {
      // The call waits for the client now, not for the server: its timeout stops meanwhile (call-clock.ts).
      target.clock?.pause();
      try {
        return await target.opts.onServerRequest({ method: request.method, params: request.params, signal: ctx.mcpReq.signal });
      } finally {
        target.clock?.resume();
      }
    }
    throw new ProtocolError(ProtocolErrorCode.InvalidRequest, `no client request is in flight through MCPlexer to answer ${request.method}`);
  };
  // The SDK types each handler's result by method; the client's answer is relayed as given.
  const handler = answer as never;
  if (capabilities.sampling) client.setRequestHandler('sampling/createMessage', handler);
  if (capabilities.elicitation) client.setRequestHandler('elicitation/create', handler);
  if (capabilities.roots) client.setRequestHandler('roots/list', handler);
  client.fallbackRequestHandler = answer as never;
  return client;
}
