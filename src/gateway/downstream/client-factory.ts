/**
 * Builds the SDK `Client` for one connection. It declares sampling, elicitation and roots, because
 * the clients behind the gateway may answer those; each server→client request is handed to the
 * call it was routed to, and answered locally when no call can take it.
 */
import { Client, ProtocolError, ProtocolErrorCode, type ClientCapabilities, type ClientContext } from '@modelcontextprotocol/client';
import type { CallRegistry } from './call-registry.js';

export const CLIENT_CAPABILITIES: ClientCapabilities = {
  sampling: {},
  elicitation: { form: {}, url: {} },
  roots: {},
};

interface IncomingRequest {
  method: string;
  params?: Record<string, unknown>;
}

export function createDownstreamClient(info: { name: string; version: string }, registry: CallRegistry): Client {
  const client = new Client(info, { capabilities: CLIENT_CAPABILITIES });
  const answer = async (request: IncomingRequest, ctx: ClientContext): Promise<Record<string, unknown>> => {
    const entry = registry.takeRoutedRequest(ctx.mcpReq.id);
    if (entry?.opts.onServerRequest) {
      return entry.opts.onServerRequest({ method: request.method, params: request.params, signal: ctx.mcpReq.signal });
    }
    if (request.method === 'roots/list') return { roots: [] };
    throw new ProtocolError(ProtocolErrorCode.InvalidRequest, `no client request is in flight through MCPlexer to answer ${request.method}`);
  };
  // The SDK types each handler's result by method; the client's answer is relayed as given.
  const handler = answer as never;
  client.setRequestHandler('sampling/createMessage', handler);
  client.setRequestHandler('elicitation/create', handler);
  client.setRequestHandler('roots/list', handler);
  client.fallbackRequestHandler = answer as never;
  return client;
}
