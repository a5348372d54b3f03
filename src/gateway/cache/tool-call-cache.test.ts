import { describe, expect, it } from 'vitest';
import type { AuthScope, CacheConfig, DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import { ToolCallCache, type CacheCall } from './tool-call-cache.js';

type Result = Record<string, unknown>;

const server = (id: string, cache_config?: CacheConfig, extra: Partial<DownstreamServer> = {}) =>
  ({
    id,
    name: id,
    namespace: id,
    transport: 'stdio',
    command: 'x',
    args: [],
    env: {},
    headers: {},
    enabled: true,
    cache_config,
    ...extra,
  }) as DownstreamServer;
const scope = (id: string, name = id) => ({ id, name, type: 'env', env_vars: {}, redaction_hints: [], created_at: '', updated_at: '' }) as unknown as AuthScope;
const call = (tool: string, args: Record<string, unknown> = {}, extra: Partial<CacheCall> = {}): CacheCall => ({
  serverId: 's',
  scopeId: null,
  client: '',
  tool,
  args,
  readOnly: undefined,
  bust: false,
  ...extra,
});

/** A downstream stand-in that counts its calls; `gate` holds answers until released. */
function downstream() {
  let calls = 0;
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  return {
    get calls() {
      return calls;
    },
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release?.(),
    invoke:
      (result: Result = {}) =>
      async (): Promise<Result> => {
        calls += 1;
        const n = calls;
        if (gate) await gate;
        return { content: [{ type: 'text', text: `answer ${n}` }], ...result };
      },
  };
}

function cacheWith(...servers: DownstreamServer[]) {
  const cache = new ToolCallCache();
  cache.configure(servers, [scope('sc1'), scope('sc2')]);
  return cache;
}

describe('the tool-call cache', () => {
  it('answers a hit synchronously with _meta.cache and age, and counts hits and misses', async () => {
    const cache = cacheWith(server('s'));
    const d = downstream();
    const into = { cacheHit: false };
    const first = await cache.call(call('get_x'), into, d.invoke({ _meta: { own: 1 } }));
    expect(first._meta).toEqual({ own: 1, cache: { cached: false } });
    expect(into.cacheHit).toBe(false);
    const second = cache.call(call('get_x'), into, d.invoke());
    expect(second).not.toBeInstanceOf(Promise);
    expect((second as Result)._meta).toEqual({ own: 1, cache: { cached: true, age_seconds: 0 } });
    expect(into.cacheHit).toBe(true);
    expect(d.calls).toBe(1);
    expect(cache.counts()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
  });

  it("keeps the results of clients of different roots or capabilities apart (a session got another session's roots from the cache)", async () => {
    const cache = cacheWith(server('s'));
    const d = downstream();
    const a = 'roots\n[{"uri":"file:///a"}]';
    const b = 'roots\n[{"uri":"file:///b"}]';
    await cache.call(call('get_roots', {}, { client: a }), { cacheHit: false }, d.invoke());
    const other = { cacheHit: false };
    await cache.call(call('get_roots', {}, { client: b }), other, d.invoke());
    expect(other.cacheHit).toBe(false);
    await cache.call(call('get_roots', {}, { client: 'roots' }), other, d.invoke());
    expect(other.cacheHit).toBe(false);
    expect(d.calls).toBe(3);
    const same = { cacheHit: false };
    await cache.call(call('get_roots', {}, { client: a }), same, d.invoke());
    expect(same.cacheHit).toBe(true);
    expect(d.calls).toBe(3);
  });

  it('shares one downstream call among identical concurrent misses', async () => {
    const cache = cacheWith(server('s'));
    const d = downstream();
    d.hold();
    const calls = [1, 2, 3].map(() => cache.call(call('get_x', { a: 1, b: 2 }), { cacheHit: false }, d.invoke()));
    const other = cache.call(call('get_x', { a: 2 }), { cacheHit: false }, d.invoke());
    d.release();
    const results = await Promise.all([...calls, other]);
    expect(d.calls).toBe(2);
    expect(results.slice(0, 3).map((r) => (r.content as Array<{ text: string }>)[0]!.text)).toEqual(['answer 1', 'answer 1', 'answer 1']);
    expect(cache.counts()).toMatchObject({ hits: 0, misses: 4, entries: 2 });
  });

  it("lets a waiting call make its own call when the other client's call was cancelled", async () => {
    const cache = cacheWith(server('s'));
    let calls = 0;
    let cancelLeader!: () => void;
    const leader = cache.call(call('get_x'), { cacheHit: false }, () => {
      calls += 1;
      return new Promise<Result>((_resolve, reject) => (cancelLeader = () => reject(new GatewayError('cancelled', 'cancelled by its client'))));
    });
    const follower = cache.call(call('get_x'), { cacheHit: false }, async () => {
      calls += 1;
      return { content: [] };
    });
    cancelLeader();
    await expect(leader).rejects.toMatchObject({ code: 'cancelled' });
    expect(await follower).toMatchObject({ _meta: { cache: { cached: false } } });
    expect(calls).toBe(2);
  });

  it('stops a waiting call when its own client cancels, and shares other errors', async () => {
    const cache = cacheWith(server('s'));
    const d = downstream();
    d.hold();
    const leader = cache.call(call('get_x'), { cacheHit: false }, d.invoke());
    const controller = new AbortController();
    const follower = cache.call(call('get_x', {}, { signal: controller.signal }), { cacheHit: false }, d.invoke());
    controller.abort();
    await expect(follower).rejects.toMatchObject({ code: 'cancelled' });
    d.release();
    await leader;
    expect(d.calls).toBe(1);

    const failing = () => Promise.reject(new GatewayError('downstream_error', 'boom'));
    const a = cache.call(call('get_y'), { cacheHit: false }, failing);
    const b = cache.call(call('get_y'), { cacheHit: false }, failing);
    await expect(a).rejects.toMatchObject({ code: 'downstream_error' });
    await expect(b).rejects.toMatchObject({ code: 'downstream_error' });
    expect(cache.counts().entries).toBe(1); // only get_x
  });

  it('never stores isError results or thrown errors', async () => {
    const cache = cacheWith(server('s'));
    const d = downstream();
    await cache.call(call('get_x'), { cacheHit: false }, d.invoke({ isError: true }));
    await cache.call(call('get_x'), { cacheHit: false }, d.invoke({ isError: true }));
    await expect(cache.call(call('get_z'), { cacheHit: false }, () => Promise.reject(new Error('transport')))).rejects.toThrow('transport');
    expect(d.calls).toBe(2);
    expect(cache.counts().entries).toBe(0);
  });

  it('invalidates the server + scope on a successful mutation only, and keeps a read that raced it out', async () => {
    const cache = cacheWith(server('s'), server('t'));
    const d = downstream();
    await cache.call(call('get_x', {}, { scopeId: 'sc1' }), { cacheHit: false }, d.invoke());
    await cache.call(call('get_x', {}, { scopeId: 'sc2' }), { cacheHit: false }, d.invoke());
    await cache.call(call('get_x', {}, { serverId: 't', scopeId: 'sc1' }), { cacheHit: false }, d.invoke());
    await cache.call(call('create_x', {}, { scopeId: 'sc1' }), { cacheHit: false }, d.invoke({ isError: true }));
    expect(cache.counts().entries).toBe(3);
    await cache.call(call('create_x', {}, { scopeId: 'sc1' }), { cacheHit: false }, d.invoke());
    expect(cache.counts().entries).toBe(2); // s+sc2 and t+sc1 stay

    d.hold();
    const read = cache.call(call('get_w', {}, { scopeId: 'sc2' }), { cacheHit: false }, d.invoke());
    await cache.call(call('compute', {}, { scopeId: 'sc2' }), { cacheHit: false }, async () => ({ content: [] }));
    expect(cache.counts().entries).toBe(1); // the mutation dropped s+sc2's entry
    d.release();
    await read;
    expect(cache.counts().entries).toBe(1); // the read started before the mutation ended: its answer may be stale, so it is not stored
  });

  it('drops the entries of a server whose definition or cache_config changed, of a removed server, and of a changed scope', async () => {
    const cache = cacheWith(server('s'), server('t'), server('u'));
    const d = downstream();
    for (const serverId of ['s', 't', 'u']) await cache.call(call('get_x', {}, { serverId, scopeId: 'sc1' }), { cacheHit: false }, d.invoke());
    await cache.call(call('get_x', {}, { serverId: 'u', scopeId: 'sc2' }), { cacheHit: false }, d.invoke());
    cache.configure([server('s', { max_entries: 5 }), server('u')], [scope('sc1'), scope('sc2', 'renamed')]);
    expect(cache.counts().entries).toBe(1); // u+sc1 only: s changed, t is gone, sc2 changed
    const into = { cacheHit: false };
    await cache.call(call('get_x', {}, { serverId: 'u', scopeId: 'sc1' }), into, d.invoke());
    expect(into.cacheHit).toBe(true);
  });

  it('refreshes on _cache_bust, and flushes by server or all', async () => {
    const cache = cacheWith(server('s'), server('t'));
    const d = downstream();
    await cache.call(call('get_x'), { cacheHit: false }, d.invoke());
    const busted = await cache.call(call('get_x', {}, { bust: true }), { cacheHit: false }, d.invoke());
    expect(busted.content).toEqual([{ type: 'text', text: 'answer 2' }]);
    const after = await cache.call(call('get_x'), { cacheHit: false }, d.invoke());
    expect(after.content).toEqual([{ type: 'text', text: 'answer 2' }]);
    expect(cache.counts()).toMatchObject({ hits: 1, misses: 1 }); // a bust is no lookup
    await cache.call(call('get_x', {}, { serverId: 't' }), { cacheHit: false }, d.invoke());
    expect(cache.flush('t')).toBe(true);
    expect(cache.counts().entries).toBe(1);
    expect(cache.flush('nope')).toBe(false);
    cache.flush();
    expect(cache.counts()).toMatchObject({ entries: 0, bytes: 0 });
  });
});
