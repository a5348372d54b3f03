import type { Server } from '@modelcontextprotocol/server';
import { GatewayError } from '../errors.js';
import { clientHooks, type HandlerContext } from './client-relay.js';
import type { FrontDependencies, Guard } from './types.js';
import { listResources, listResourceTemplates } from './resources.js';
import { isLogLevel, LOG_LEVELS } from './log-level.js';
import type { McpSession } from './session.js';

type Params = Record<string, unknown> & { _meta?: Record<string, unknown> };

/**
 * Resources, templates, prompts and completion: the lists aggregated from discovery; resources/read,
 * prompts/get and completion/complete through the call pipeline (routed like a tool of their name,
 * recorded like a call); subscriptions counted per session by the pool.
 */
export function registerPassthroughHandlers(server: Server, session: McpSession, deps: FrontDependencies, guard: Guard): void {
  const config = () => deps.config();
  const hooks = (params: Params, ctx: unknown) => clientHooks(ctx as HandlerContext, params._meta, session);
  /** A subscription is no call: its downstream request gets the call timeout here, not from the pipeline. */
  const subscriptionHooks = (params: Params, ctx: unknown) => {
    const relay = hooks(params, ctx);
    relay.timeoutMs = config().settings.call_timeout_sec * 1000;
    return relay;
  };
  const handle = (method: string, fn: (params: Params, ctx: unknown) => Promise<unknown>) =>
    server.setRequestHandler(
      method as 'ping',
      guard(async (request: { params?: unknown }, ctx: unknown) => (await fn((request.params ?? {}) as Params, ctx)) as never),
    );

  handle('resources/list', async () => {
    await deps.discovery.prepareLists();
    return { resources: listResources(config()) };
  });
  handle('resources/templates/list', async () => {
    await deps.discovery.prepareLists();
    return { resourceTemplates: listResourceTemplates(config()) };
  });
  /** A pipeline request with the client's relay, whose requests to the client are withdrawn when it ends. */
  const relayed = async <T>(params: Params, ctx: unknown, run: (relay: ReturnType<typeof hooks>) => Promise<T>): Promise<T> => {
    const relay = hooks(params, ctx);
    try {
      return await run(relay);
    } finally {
      relay.end();
    }
  };
  handle('resources/read', (params, ctx) => relayed(params, ctx, (relay) => deps.pipeline.readResource(session, params, relay)));
  // Counted per (instance, URI) by the pool: the first subscriber subscribes downstream, the last
  // unsubscribes, and a session that ends drops its own. A 2026-era request has no session to
  // deliver updates to, so it subscribes nothing.
  handle('resources/subscribe', async (params, ctx) => {
    const target = deps.pipeline.subscription(session, String(params.uri), 'subscribe');
    if (session.era === 'legacy') await deps.downstream.subscribe(target.server, target.scopeId, target.uri, subscriptionHooks(params, ctx));
    return {};
  });
  handle('resources/unsubscribe', async (params, ctx) => {
    const target = deps.pipeline.subscription(session, String(params.uri), 'unsubscribe');
    if (session.era === 'legacy') await deps.downstream.unsubscribe(target.server, target.scopeId, target.uri, subscriptionHooks(params, ctx));
    return {};
  });
  handle('prompts/list', async () => {
    await deps.discovery.prepareLists();
    return { prompts: config().catalog.prompts.map((p) => p.listed) };
  });
  handle('prompts/get', (params, ctx) => relayed(params, ctx, (relay) => deps.pipeline.getPrompt(session, params, relay)));
  handle('completion/complete', (params, ctx) => relayed(params, ctx, (relay) => deps.pipeline.complete(session, params, relay)));
  handle('logging/setLevel', async (params) => {
    if (!isLogLevel(params.level)) throw new GatewayError('invalid_params', `logging/setLevel: level must be one of ${LOG_LEVELS.join(', ')}`);
    session.logLevel = params.level;
    return {};
  });
}
