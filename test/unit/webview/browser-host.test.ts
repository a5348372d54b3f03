import { describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../../src/shared/schemas/daemon.js';
import type { ClientSource, ViewsClient } from '../../../src/shared/webviews/host/client-source.js';
import { serversHandlers } from '../../../src/shared/webviews/host/servers-handlers.js';
import { serversProtocol, type ServersProtocol } from '../../../src/shared/webviews/servers-protocol.js';
import { BrowserHost, type EventSource, type ViewEntry } from '../../../src/webview/shared/browser-host.js';
import { ViewChannel } from '../../../src/webview/shared/channel.js';

/**
 * The browser dashboard's host end, wired in memory to the real view channel of the Servers view:
 * the same HostChannel and handlers answer the view; the connection's state reaches a view when it
 * says it is ready (and again on every change); notifications wait for `view/ready`; daemon events
 * reach every ready frame and stop at a detached one; a frame's handlers learn when it goes.
 */
const server = {
  id: 'mem',
  source: 'api',
  created_at: 't',
  updated_at: 't',
  name: 'Memory',
  transport: 'stdio',
  command: 'node',
  args: [],
  env: {},
  headers: {},
  namespace: 'memory',
  enabled: true,
  idle_timeout_sec: 300,
  discovery: 'static',
  expose_unprefixed: false,
  max_instances: 1,
  tools: [],
  resources: [],
  resource_templates: [],
  prompts: [],
  discovered_at: null,
};

function clientDouble(calls: string[]): ViewsClient {
  return {
    listDownstreams: async () => (calls.push('listDownstreams'), [server]),
    health: async () => (calls.push('health'), { status: 'ok', downstreams: [] }),
    visibility: async () => (calls.push('visibility'), { workspace_ids: ['global'], servers: [] }),
  } as unknown as ViewsClient;
}

class FakeStream implements EventSource {
  events = new Set<(event: GatewayEvent) => void>();
  statuses = new Set<(status: 'open' | 'reconnecting' | 'closed') => void>();
  closed = false;
  onEvent(listener: (event: GatewayEvent) => void) {
    this.events.add(listener);
    return () => void this.events.delete(listener);
  }
  onStatus(listener: (status: 'open' | 'reconnecting' | 'closed') => void) {
    this.statuses.add(listener);
    return () => void this.statuses.delete(listener);
  }
  close() {
    this.closed = true;
  }
  status(status: 'open' | 'reconnecting') {
    for (const listener of this.statuses) listener(status);
  }
  emit(event: GatewayEvent) {
    for (const listener of this.events) listener(event);
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(folders: string[] = []) {
  const calls: string[] = [];
  const hostLog: string[] = [];
  const source: ClientSource = { client: () => clientDouble(calls), folders: () => folders };
  const host = new BrowserHost(source, 'http://127.0.0.1:8080', { warn: (m) => void hostLog.push(m), error: (m) => void hostLog.push(m) });
  const stream = new FakeStream();
  host.start(() => stream);
  const disposed: string[] = [];
  const entry: ViewEntry<ServersProtocol> = {
    protocol: serversProtocol,
    bundle: 'servers',
    title: 'Servers',
    handlers: (s, context) => (context.onDispose(() => void disposed.push('servers')), serversHandlers(s)),
  };
  const open = () => {
    const received: Array<{ method: string; params: unknown }> = [];
    // postMessage between a frame and its page is asynchronous: deliver on a later turn.
    let frame: ReturnType<typeof host.attach<ServersProtocol>>;
    const view = new ViewChannel(serversProtocol, { postMessage: (m) => void setTimeout(() => void frame.receive(structuredClone(m))) });
    frame = host.attach(entry, (m) => void setTimeout(() => view.receive(structuredClone(m))));
    view.on('gateway/state', (params) => void received.push({ method: 'gateway/state', params }));
    view.on('gateway/event', (params) => void received.push({ method: 'gateway/event', params }));
    return { view, frame, received };
  };
  return { host, stream, open, calls, hostLog, disposed };
}

describe('browser host', () => {
  it('answers the view through the same handlers, and sends the state when the view is ready', async () => {
    const { open, stream, calls } = setup(['/work/proj']);
    const { view, received } = open();
    view.notify('view/ready', {});
    await tick();
    await tick();
    expect(received).toEqual([{ method: 'gateway/state', params: { state: 'attaching' } }]);
    stream.status('open');
    await tick();
    expect(received.at(-1)).toEqual({ method: 'gateway/state', params: { state: 'ready', url: 'http://127.0.0.1:8080' } });
    const snapshot = await view.request('servers/snapshot', {});
    expect(snapshot.downstreams.map((s) => s.id)).toEqual(['mem']);
    expect(snapshot.visibility.ok).toBe(true);
    expect(calls.sort()).toEqual(['health', 'listDownstreams', 'visibility']);
  });

  it('tells the page after each change of state, with the new state already in connection (the header reads it then)', () => {
    const host = new BrowserHost({ client: () => clientDouble([]), folders: () => [] }, 'http://127.0.0.1:8080', {
      warn: () => undefined,
      error: () => undefined,
    });
    const stream = new FakeStream();
    const seen: string[] = [];
    // The page's own listener on the stream runs first, before the host has changed its state:
    // what it reads there is stale, which left the browser page's header on "Connecting…".
    host.start(
      () => (stream.onStatus(() => void seen.push(`stream: ${host.connection.state}`)), stream),
      () => void seen.push(`onState: ${host.connection.state}`),
    );
    stream.status('open');
    stream.status('open'); // no change: no call
    stream.status('reconnecting');
    expect(seen).toEqual(['stream: attaching', 'onState: ready', 'stream: ready', 'stream: ready', 'onState: error']);
  });

  it('says "error" while the stream reconnects after it was open, and "attaching" before it ever opened', async () => {
    const { open, stream } = setup();
    const { view, received } = open();
    view.notify('view/ready', {});
    await tick();
    stream.status('reconnecting');
    await tick();
    stream.status('open');
    await tick();
    stream.status('reconnecting');
    await tick();
    await tick();
    expect(received.map((r) => (r.params as { state: string }).state)).toEqual(['attaching', 'ready', 'error']);
  });

  it('relays daemon events to ready frames only, and not to a detached one', async () => {
    const { host, open, stream, disposed } = setup();
    const a = open();
    const b = open();
    a.view.notify('view/ready', {});
    await tick();
    stream.emit({ id: 1, type: 'downstream.state', data: { server_id: 'mem', state: 'ready' } } as GatewayEvent);
    await tick();
    const events = (r: typeof a) => r.received.filter((x) => x.method === 'gateway/event').map((x) => x.params);
    expect(events(a)).toEqual([{ type: 'downstream.state', server_id: 'mem', state: 'ready' }]);
    expect(events(b)).toEqual([]);
    host.detach(a.frame as never);
    expect(disposed).toEqual(['servers']);
    stream.emit({ id: 2, type: 'tools.changed', data: { server_id: 'mem' } } as GatewayEvent);
    await tick();
    expect(events(a)).toHaveLength(1);
  });

  it('queues notifications sent before the view listens and delivers them in order on view/ready', async () => {
    const { open } = setup();
    const { view, frame, received } = open();
    frame.notify('gateway/event', { type: 'config.changed', kinds: ['routes'] });
    frame.notify('gateway/event', { type: 'tools.changed', server_id: 'x' });
    await tick();
    expect(received).toEqual([]);
    view.notify('view/ready', {});
    await tick();
    await tick();
    expect(received.map((r) => r.method)).toEqual(['gateway/state', 'gateway/event', 'gateway/event']);
    expect((received[2]!.params as { type: string }).type).toBe('tools.changed');
  });

  it('stop() closes the stream and disposes every frame', () => {
    const { host, open, stream, disposed } = setup();
    open();
    open();
    host.stop();
    expect(stream.closed).toBe(true);
    expect(disposed).toEqual(['servers', 'servers']);
  });

  // A request in flight when its frame goes (sign-out, the page unloading) ends against a gone
  // frame: what it opens then is closed at once, and it notifies nobody.
  it.each([
    ['detach', (host: BrowserHost, frame: Parameters<BrowserHost['detach']>[0]) => host.detach(frame)],
    ['stop', (host: BrowserHost) => host.stop()],
  ])('a stream opened after %s is closed at once and sends nothing', async (_name, go) => {
    const host = new BrowserHost({ client: () => clientDouble([]), folders: () => [] }, 'http://127.0.0.1:1', {
      warn: () => undefined,
      error: () => undefined,
    });
    host.start(() => new FakeStream());
    let finish!: () => void;
    const late = new Promise<void>((resolve) => (finish = resolve));
    const closed: string[] = [];
    const posted: unknown[] = [];
    const entry: ViewEntry<ServersProtocol> = {
      protocol: serversProtocol,
      bundle: 'servers',
      title: 'Servers',
      handlers: (s, context) => ({
        ...serversHandlers(s),
        'servers/snapshot': async () => {
          await late;
          context.onDispose(() => void closed.push('late stream'));
          context.notify('gateway/state', { state: 'error' });
          return serversHandlers(s)['servers/snapshot']({});
        },
      }),
    };
    const frame = host.attach(entry, (m) => void posted.push(m));
    await frame.receive({ kind: 'notify', method: 'view/ready', params: {} });
    const answered = frame.receive({ kind: 'request', id: 1, method: 'servers/snapshot', params: {} });
    go(host, frame as never);
    const before = posted.length;
    finish();
    await answered;
    expect(closed).toEqual(['late stream']);
    expect(posted.slice(before).filter((m) => (m as { kind: string }).kind === 'notify')).toEqual([]);
  });
});

describe('Servers snapshot without a folder (the browser page, a window with no folder)', () => {
  it('does not ask GET /visibility (it needs a folder: a 400), and says why in words', async () => {
    const none: string[] = [];
    const snapshot = (await serversHandlers({ client: () => clientDouble(none), folders: () => [] })['servers/snapshot']({})) as { visibility: unknown };
    expect(none).not.toContain('visibility');
    expect(snapshot.visibility).toMatchObject({ ok: false, error: { code: 'no_folders', message: expect.stringContaining('no folder is open') } });
    const two: string[] = [];
    await serversHandlers({ client: () => clientDouble(two), folders: () => ['/a', '/b'] })['servers/snapshot']({});
    expect(two).toContain('visibility');
    // The browser page belongs to no window: its reason says so, not that no folder is open.
    const page = (await serversHandlers({ client: () => clientDouble([]), folders: () => [], scope: 'gateway' })['servers/snapshot']({})) as {
      visibility: unknown;
    };
    expect(page.visibility).toMatchObject({ ok: false, error: { code: 'no_folders', message: expect.stringContaining('belongs to no editor window') } });
  });
});
