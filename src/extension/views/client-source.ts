import type { z } from 'zod';
import type { RestClient } from '../../shared/rest-client.js';
import type { Settled } from '../../shared/webviews/answers.js';
import { describeIssues } from '../../shared/webviews/protocol.js';
import type { GatewayConnection } from '../gateway-connection.js';
import { toWireError, ViewError } from './wire-error.js';

/** The REST methods the views use (a test hands in a double with these only). */
export type ViewsClient = Pick<
  RestClient,
  | 'health'
  | 'listWorkspaces'
  | 'listDownstreams'
  | 'createDownstream'
  | 'updateDownstream'
  | 'deleteDownstream'
  | 'discoverDownstream'
  | 'restartDownstream'
  | 'visibility'
  | 'listRoutes'
  | 'createRoute'
  | 'updateRoute'
  | 'deleteRoute'
  | 'dryRun'
>;

/** Where the handlers get the client and this window's folders, read at each request. */
export interface ClientSource {
  /** @throws ViewError `gateway_unavailable` while the connection is not ready */
  client(): ViewsClient;
  folders(): readonly string[];
}

export function clientSource(gateway: GatewayConnection): ClientSource {
  return {
    client() {
      if (gateway.state === 'ready' && gateway.client) return gateway.client;
      const why = gateway.state === 'attaching' ? 'is still starting' : 'is not reachable';
      throw new ViewError('gateway_unavailable', `The MCPlexer gateway ${why}; the view refreshes when it is back (or run “MCPlexer: Restart Gateway”).`);
    },
    folders: () => gateway.folders,
  };
}

/** One part of a combined answer: checked on its own, so a failure there leaves the rest intact. */
export async function settle<T extends z.ZodType>(answer: Promise<unknown>, schema: T): Promise<Settled<z.infer<T>>> {
  try {
    const parsed = schema.safeParse(await answer);
    if (parsed.success) return { ok: true, value: parsed.data };
    return { ok: false, error: { code: 'unexpected_answer', message: `unexpected answer: ${describeIssues(parsed.error)}`, details: [] } };
  } catch (error) {
    return { ok: false, error: toWireError(error) };
  }
}
