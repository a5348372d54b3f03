import type { Server } from '@modelcontextprotocol/server';
import { GatewayError } from '../errors.js';
import type { RuntimeConfig } from '../calls/index.js';
import { clientHooks } from './client-relay.js';
import type { FrontDependencies } from './types.js';
import { listResources, listResourceTemplates, mapReadResult, resolveResourceUri } from './resources.js';
import { isLogLevel, LOG_LEVELS } from './log-level.js';
import type { McpSession } from './session.js';

type Params = Record<string, unknown> & { _meta?: Record<string, unknown> };
type Guard = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A) => Promise<R>;

/** Resources, templates, prompts and completion: aggregated from discovery, proxied with the same names. */
export function registerPassthroughHandlers(server: Server, session: McpSession, deps: FrontDependencies, guard: Guard): void {
  const config = () => deps.config();
  const relayHooks = (params: Params, ctx: unknown) => ({
    ...clientHooks(ctx as never, params._meta, session),
    timeoutMs: config().settings.call_timeout_sec * 1000,
  });
  const forward = async (target: ReturnType<typeof resolveResourceUri>['server'], method: string, params: Params, ctx: unknown) =>
    deps.downstream.request(target, deps.discovery.scopeFor(target), method, params, relayHooks(params, ctx));
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
  handle('resources/read', async (params, ctx) => {
    const target = resolveResourceUri(config(), String(params.uri));
    return mapReadResult(target.server, await forward(target.server, 'resources/read', { ...params, uri: target.uri }, ctx));
  });
  // Counted per (instance, URI) by the pool: the first subscriber subscribes downstream, the last
  // unsubscribes, and a session that ends drops its own. A 2026-era request has no session to
  // deliver updates to, so it subscribes nothing.
  handle('resources/subscribe', async (params, ctx) => {
    const target = resolveResourceUri(config(), String(params.uri));
    if (session.era === 'legacy') await deps.downstream.subscribe(target.server, deps.discovery.scopeFor(target.server), target.uri, relayHooks(params, ctx));
    return {};
  });
  handle('resources/unsubscribe', async (params, ctx) => {
    const target = resolveResourceUri(config(), String(params.uri));
    if (session.era === 'legacy') await deps.downstream.unsubscribe(target.server, deps.discovery.scopeFor(target.server), target.uri, relayHooks(params, ctx));
    return {};
  });
  handle('prompts/list', async () => {
    await deps.discovery.prepareLists();
    return { prompts: config().catalog.prompts.map((p) => p.listed) };
  });
  handle('prompts/get', async (params, ctx) => {
    const entry = promptEntry(config(), String(params.name));
    return forward(entry.server, 'prompts/get', { ...params, name: entry.downstreamName }, ctx);
  });
  handle('completion/complete', async (params, ctx) => {
    const ref = (params.ref ?? {}) as { type?: string; name?: string; uri?: string };
    if (ref.type === 'ref/prompt') {
      const entry = promptEntry(config(), String(ref.name));
      return forward(entry.server, 'completion/complete', { ...params, ref: { ...ref, name: entry.downstreamName } }, ctx);
    }
    if (ref.type === 'ref/resource') {
      const target = resolveResourceUri(config(), String(ref.uri));
      return forward(target.server, 'completion/complete', { ...params, ref: { ...ref, uri: target.uri } }, ctx);
    }
    throw new GatewayError('invalid_params', `completion ref type "${String(ref.type)}" is not supported`);
  });
  handle('logging/setLevel', async (params) => {
    if (!isLogLevel(params.level)) throw new GatewayError('invalid_params', `logging/setLevel: level must be one of ${LOG_LEVELS.join(', ')}`);
    session.logLevel = params.level;
    return {};
  });
}

function promptEntry(config: RuntimeConfig, name: string) {
  const entry = config.catalog.prompt(name);
  if (entry) return entry;
  const owner = config.catalog.ownerOf(name);
  if (owner) return { server: owner.server, downstreamName: owner.downstreamName };
  throw new GatewayError('invalid_params', `unknown prompt "${name}" (prompts/list shows the prompts this gateway offers)`);
}
