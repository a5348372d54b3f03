// Who is told `notifications/tools/list_changed`, and when (issue 15, faults 11 and 15). A session
// is told exactly when the tools it would be listed now differ from those it was last listed:
// after a re-discovery, a config write, or a change of its own workspace (roots, the
// X-MCPlexer-Workspace header, a rule or workspace edit over REST). A re-discovery or refresh that
// finds the same tools, or a write that changes no session's list, sends nothing (VS Code re-fetched
// an identical list every 15 s); a change of one server's tools reaches only the sessions that can
// see that server. Real SDK clients on /mcp, real spec-fixture downstreams, REST edits.
import { pathToFileURL } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addSpecServer, scratchDir, writeSpec } from '../helpers/original-harness.js';
import path from 'node:path';

let t: TestGateway;
const specDir = scratchDir();
const opened: Watched[] = [];
const spec = (label: string) => path.join(specDir, `${label}.json`);

interface Watched {
  client: Client;
  /** How many tools/list_changed this session got. */
  changes(): number;
  /** Resolves once more than `seen` have arrived (rejects after 10 s). */
  next(seen: number): Promise<void>;
  names(): Promise<string[]>;
  /** The X-MCPlexer-Workspace value sent from the next request on. */
  header: string | undefined;
  /** What the client answers to roots/list. */
  roots: string[];
}

/** A v2 SDK client on /mcp; `roots` declares the roots capability and answers roots/list with them. */
async function watch(options: { header?: string; roots?: string[] } = {}): Promise<Watched> {
  let changes = 0;
  const waiters: Array<() => void> = [];
  const client = new Client({ name: 'list-changed-it', version: '1.0.0' }, { capabilities: options.roots ? { roots: { listChanged: true } } : {} });
  const watched: Watched = {
    client,
    changes: () => changes,
    next: (seen) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no tools/list_changed after the ${seen}th within 10 s`)), 10_000);
        const check = () => (changes > seen ? (clearTimeout(timer), resolve()) : waiters.push(check));
        check();
      }),
    // the downstream tools (the built-in mcpx__flush_cache and the approval tools are listed in every workspace)
    names: async () => (await client.listTools()).tools.map((tool) => tool.name).filter((name) => !name.startsWith('mcpx__')),
    header: options.header,
    roots: options.roots ?? [],
  };
  client.setNotificationHandler('notifications/tools/list_changed', () => {
    changes += 1;
    for (const wake of waiters.splice(0)) wake();
  });
  if (options.roots) client.setRequestHandler('roots/list', async () => ({ roots: watched.roots.map((uri) => ({ uri })) }));
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', t.url), {
    requestInit: { headers: { authorization: `Bearer ${t.token}` } },
    fetch: (url, init) => {
      const headers = new Headers(init?.headers);
      if (watched.header !== undefined) headers.set('x-mcplexer-workspace', watched.header);
      return fetch(url, { ...init, headers });
    },
  });
  await client.connect(transport);
  opened.push(watched);
  return watched;
}

/** Long enough for a notification that would follow a change (coalesced for 50 ms) to arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));
const rediscover = async (label: string, tools: string[]) => {
  writeSpec(spec(label), tools);
  expect((await t.api('POST', `/downstreams/${label}/discover`)).status).toBe(200);
};
const create = async (apiPath: string, body: Record<string, unknown>) => {
  const res = await t.api('POST', apiPath, body);
  expect(res.status, res.text).toBe(201);
  return res.body;
};

beforeAll(async () => {
  t = await startTestGateway();
  await addSpecServer(t, specDir, 'xs', ['a'], { id: 'xs' });
  await addSpecServer(t, specDir, 'ys', ['b'], { id: 'ys' });
  await create('/workspaces', { id: 'open', name: 'open', root_path: '/lc/open' });
  await create('/workspaces', { id: 'noxs', name: 'noxs', root_path: '/lc/noxs' });
  await create('/routes', { id: 'noxs-deny', workspace_id: 'noxs', tool_pattern: 'xs__*', policy: 'deny' });
  await create('/workspaces', { id: 'denyall', name: 'denyall', root_path: '/lc/denyall', default_policy: 'deny' });
});
afterAll(async () => {
  for (const session of opened) await session.client.close().catch(() => undefined);
  await t?.close();
});

describe('list_changed only when a session’s visible list changed (fault 15)', () => {
  it('a re-discovery with identical tools, a background refresh and a config write that changes no list send nothing', async () => {
    const a = await watch({ header: '/lc/open' });
    const b = await watch({ header: '/lc/noxs' });
    expect(await a.names()).toEqual(['xs__a', 'ys__b']);
    expect(await b.names()).toEqual(['ys__b']);
    // A change both see, first: each client's notification stream is open, so nothing below is lost unseen.
    await rediscover('ys', ['b', 'b2']);
    await Promise.all([a.next(0), b.next(0)]);
    expect(await a.names()).toEqual(['xs__a', 'ys__b', 'ys__b2']);
    expect(await b.names()).toEqual(['ys__b', 'ys__b2']);

    await rediscover('ys', ['b', 'b2']);
    await rediscover('xs', ['a']);
    expect((await t.api('PUT', '/settings', { log_level: 'info', tools_cache_ttl_sec: 0 })).status).toBe(200);
    await a.names(); // with a TTL of 0 this list starts a background refresh of both servers
    await settle();
    expect((await t.api('PUT', '/settings', { tools_cache_ttl_sec: 15 })).status).toBe(200);
    await settle();
    expect([a.changes(), b.changes()]).toEqual([1, 1]);
  });

  it('a change of one server’s tools notifies only the sessions that can see that server', async () => {
    const a = await watch({ header: '/lc/open' });
    const b = await watch({ header: 'noxs' });
    const none = await watch({ header: '/lc/denyall/deep' });
    expect(await a.names()).toEqual(['xs__a', 'ys__b', 'ys__b2']);
    expect(await b.names()).toEqual(['ys__b', 'ys__b2']);
    expect(await none.names()).toEqual([]);

    await rediscover('xs', ['a', 'a2']);
    await a.next(0);
    expect(await a.names()).toEqual(['xs__a', 'xs__a2', 'ys__b', 'ys__b2']);
    try {
      // Another kind of change to one server: disabled, its tools go from every list that showed them.
      expect((await t.api('PUT', '/downstreams/xs', { disabled: true })).status).toBe(200);
      await a.next(1);
      expect(await a.names()).toEqual(['ys__b', 'ys__b2']);
      // The barrier: a change b sees arrives after anything b would have been sent before it.
      await rediscover('ys', ['b']);
      await Promise.all([a.next(2), b.next(0)]);
      await settle();
      expect([a.changes(), b.changes(), none.changes()]).toEqual([3, 1, 0]);
    } finally {
      await t.api('PUT', '/downstreams/xs', { disabled: false });
      await rediscover('ys', ['b']);
    }
  });
});

describe('a change of the session’s workspace sends list_changed when its tools changed (fault 11)', () => {
  it('roots changed into a workspace that denies everything, and back', async () => {
    const client = await watch({ roots: [pathToFileURL('/lc/open/src').href] });
    expect(await client.names()).toEqual(['xs__a', 'xs__a2', 'ys__b']);
    client.roots = [pathToFileURL('/lc/denyall').href];
    await client.client.sendRootsListChanged();
    await client.next(0);
    expect(await client.names()).toEqual([]);
    client.roots = [pathToFileURL('/lc/noxs').href];
    await client.client.sendRootsListChanged();
    await client.next(1);
    expect(await client.names()).toEqual(['ys__b']);
  });

  it('the X-MCPlexer-Workspace header changed on a later request', async () => {
    const client = await watch({ header: 'open' });
    expect(await client.names()).toEqual(['xs__a', 'xs__a2', 'ys__b']);
    client.header = 'denyall';
    await client.client.ping();
    await client.next(0);
    expect(await client.names()).toEqual([]);
    client.header = '/lc/noxs/sub';
    await client.client.ping();
    await client.next(1);
    expect(await client.names()).toEqual(['ys__b']);
  });

  it('a tools/list that itself carries the changed header is answered with the new list, and no list_changed follows', async () => {
    const client = await watch({ header: 'open' });
    expect(await client.names()).toEqual(['xs__a', 'xs__a2', 'ys__b']);
    client.header = 'noxs';
    expect(await client.names()).toEqual(['ys__b']);
    await settle();
    expect(client.changes()).toBe(0);
    // Another request moving it still tells it (the answer to a ping carries no list).
    client.header = 'open';
    await client.client.ping();
    await client.next(0);
    expect(client.changes()).toBe(1);
  });

  it('a rule or a workspace edited over REST: only the sessions whose list it changes are told', async () => {
    await create('/workspaces', { id: 'edit', name: 'edit', root_path: '/lc/edit' });
    const byPath = await watch({ header: '/lc/edit/sub' });
    const byName = await watch({ header: 'edit' });
    const elsewhere = await watch({ header: '/lc/open' });
    for (const session of [byPath, byName, elsewhere]) expect(await session.names()).toEqual(['xs__a', 'xs__a2', 'ys__b']);

    await create('/routes', { id: 'edit-deny-ys', workspace_id: 'edit', tool_pattern: 'ys__*', policy: 'deny' });
    await Promise.all([byPath.next(0), byName.next(0)]);
    expect(await byPath.names()).toEqual(['xs__a', 'xs__a2']);
    expect(await byName.names()).toEqual(['xs__a', 'xs__a2']);

    // The workspace moves away from /lc/edit/sub: that session is in global again; the one that
    // named the workspace follows it and sees the same list.
    expect((await t.api('PUT', '/workspaces/edit', { root_path: '/lc/moved' })).status).toBe(200);
    await byPath.next(1);
    expect(await byPath.names()).toEqual(['xs__a', 'xs__a2', 'ys__b']);
    expect((await t.api('DELETE', '/routes/edit-deny-ys')).status).toBe(204);
    await byName.next(1);
    expect(await byName.names()).toEqual(['xs__a', 'xs__a2', 'ys__b']);
    await settle();
    expect([byPath.changes(), byName.changes(), elsewhere.changes()]).toEqual([2, 2, 0]);
  });
});
