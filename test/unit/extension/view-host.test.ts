/**
 * `ViewHost` builds a view's handlers per view instance with a `HostContext`: `notify` reaches that
 * instance (checked against the protocol), and what a handler registered with `onDispose` runs when
 * the view goes, so a live stream opened for a view is closed with it. A re-resolved view gets a
 * fresh handler set (the old one's disposers ran).
 */
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { EventEmitter, fake, resetFake, Uri } from '../../fakes/vscode.js';
import { ViewHost } from '../../../src/extension/views/view-provider.js';
import type { GatewayConnection } from '../../../src/extension/gateway-connection.js';
import { COMMON_TO_HOST, COMMON_TO_VIEW } from '../../../src/shared/webviews/common-notes.js';
import { defineProtocol } from '../../../src/shared/webviews/protocol.js';
import type { HostContext } from '../../../src/shared/webviews/host/views.js';

const tickProtocol = defineProtocol({
  name: 'ticks',
  requests: { 'ticks/subscribe': { params: z.strictObject({}), result: z.object({}) } },
  toHost: { ...COMMON_TO_HOST },
  toView: { ...COMMON_TO_VIEW, 'ticks/tick': z.strictObject({ n: z.number().int() }) },
});

function fakeView() {
  const posted: any[] = [];
  const received = new EventEmitter<unknown>();
  const disposed = new EventEmitter<void>();
  const visibility = new EventEmitter<void>();
  const view = {
    visible: true,
    onDidChangeVisibility: visibility.event,
    webview: {
      options: {},
      html: '',
      cspSource: 'vscode-resource:',
      asWebviewUri: (uri: Uri) => uri,
      postMessage: async (message: unknown) => void posted.push(message),
      onDidReceiveMessage: received.event,
    },
    onDidDispose: disposed.event,
  };
  const show = (visible: boolean) => {
    view.visible = visible;
    visibility.fire();
  };
  return { view, posted, send: (message: unknown) => received.fire(message), dispose: () => disposed.fire(), show };
}

const gateway = {
  client: undefined,
  state: 'ready',
  url: 'http://127.0.0.1:1',
  folders: [],
  onDidChangeState: new EventEmitter<string>().event,
  onEvent: new EventEmitter<unknown>().event,
  restart: async () => undefined,
} as unknown as GatewayConnection;
const log = { warn: () => undefined, error: () => undefined } as never;

function host() {
  const contexts: Array<HostContext<typeof tickProtocol>> = [];
  const closed: number[] = [];
  const viewHost = new ViewHost({
    protocol: tickProtocol,
    bundle: 'ticks',
    title: 'Ticks',
    viewId: 'mcplexer.ticks',
    source: { client: () => undefined as never, folders: () => [] },
    extensionUri: Uri.file('/ext') as never,
    gateway,
    log,
    handlers: (_source, context) => {
      const index = contexts.push(context) - 1;
      return {
        'ticks/subscribe': async () => {
          context.onDispose(() => closed.push(index));
          context.notify('ticks/tick', { n: index });
          return {};
        },
      };
    },
  });
  return { viewHost, contexts, closed };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ViewHost and HostContext', () => {
  it('notify reaches the view instance; onDispose runs when the view goes', async () => {
    const { viewHost, closed } = host();
    const one = fakeView();
    viewHost.resolveWebviewView(one.view as never);
    one.send({ kind: 'notify', method: 'view/ready', params: {} });
    one.send({ kind: 'request', id: 1, method: 'ticks/subscribe', params: {} });
    await flush();
    expect(one.posted).toContainEqual({ kind: 'notify', method: 'ticks/tick', params: { n: 0 } });
    expect(one.posted).toContainEqual({ kind: 'response', id: 1, method: 'ticks/subscribe', ok: true, result: {} });
    expect(closed).toEqual([]);
    one.dispose();
    expect(closed).toEqual([0]);
  });

  it('a re-resolved view gets new handlers and the old instance is disposed', async () => {
    const { viewHost, contexts, closed } = host();
    const one = fakeView();
    viewHost.resolveWebviewView(one.view as never);
    one.send({ kind: 'request', id: 1, method: 'ticks/subscribe', params: {} });
    await flush();
    const two = fakeView();
    viewHost.resolveWebviewView(two.view as never);
    expect(closed).toEqual([0]);
    expect(contexts).toHaveLength(2);
    two.send({ kind: 'request', id: 1, method: 'ticks/subscribe', params: {} });
    await flush();
    expect(two.posted).toContainEqual({ kind: 'notify', method: 'ticks/tick', params: { n: 1 } });
    viewHost.dispose();
    expect(closed).toEqual([0, 1]);
  });

  it('a notification sent while the view is hidden waits for its page to say view/ready again (a page is torn down when hidden)', async () => {
    const { viewHost } = host();
    const one = fakeView();
    viewHost.resolveWebviewView(one.view as never);
    one.send({ kind: 'notify', method: 'view/ready', params: {} });
    await flush();
    one.show(false);
    viewHost.notify('ticks/tick', { n: 7 });
    viewHost.notify('ticks/tick', { n: 8 });
    expect(one.posted.filter((m) => m.method === 'ticks/tick')).toEqual([]);
    // Shown again, VS Code may resolve a new view (or reload the page of this one): its view/ready delivers them.
    const again = fakeView();
    viewHost.resolveWebviewView(again.view as never);
    again.send({ kind: 'notify', method: 'view/ready', params: {} });
    await flush();
    expect(again.posted.filter((m) => m.method === 'ticks/tick').map((m) => m.params.n)).toEqual([7, 8]);
    viewHost.dispose();
  });

  it('a view shown again whose page was kept (no view/ready) gets what waited after a moment', async () => {
    vi.useFakeTimers();
    try {
      const { viewHost } = host();
      const one = fakeView();
      viewHost.resolveWebviewView(one.view as never);
      one.send({ kind: 'notify', method: 'view/ready', params: {} });
      one.show(false);
      viewHost.notify('ticks/tick', { n: 3 });
      one.show(true);
      expect(one.posted.filter((m) => m.method === 'ticks/tick')).toEqual([]);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(one.posted.filter((m) => m.method === 'ticks/tick').map((m) => m.params.n)).toEqual([3]);
      viewHost.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it("tells the view its host can restart the gateway, and runs Restart Gateway when the view's banner asks", async () => {
    resetFake();
    const { viewHost } = host();
    const one = fakeView();
    viewHost.resolveWebviewView(one.view as never);
    one.send({ kind: 'notify', method: 'view/ready', params: {} });
    await flush();
    expect(one.posted).toContainEqual({ kind: 'notify', method: 'gateway/state', params: { state: 'ready', url: 'http://127.0.0.1:1', restart: true } });
    one.send({ kind: 'notify', method: 'gateway/restart', params: {} });
    await flush();
    expect(fake.calls).toContain('execute:mcplexer.restartGateway');
    viewHost.dispose();
  });

  it('an invalid notification is not sent', async () => {
    const { viewHost, contexts } = host();
    const one = fakeView();
    viewHost.resolveWebviewView(one.view as never);
    contexts[0]!.notify('ticks/tick', { n: 1.5 });
    expect(one.posted.filter((m) => m.method === 'ticks/tick')).toEqual([]);
  });

  // A request still in flight when its view goes (hidden, collapsed: VS Code resolves a new one
  // when it is shown again) finishes against the old instance: what it opens is closed at once,
  // and what it sends reaches nobody — not the new view, which has its own handlers.
  it.each([
    ['a stream registered after the view was disposed', (one: ReturnType<typeof fakeView>) => one.dispose()],
    [
      'a stream registered after the view was re-resolved',
      (_one: ReturnType<typeof fakeView>, host: ViewHost<typeof tickProtocol>) => host.resolveWebviewView(fakeView().view as never),
    ],
  ])('%s is closed at once, and its notifications reach no view', async (_name, go) => {
    let finish!: () => void;
    const late = new Promise<void>((resolve) => (finish = resolve));
    const closed: string[] = [];
    const contexts: Array<HostContext<typeof tickProtocol>> = [];
    const viewHost = new ViewHost({
      protocol: tickProtocol,
      bundle: 'ticks',
      title: 'Ticks',
      viewId: 'mcplexer.ticks',
      source: { client: () => undefined as never, folders: () => [] },
      extensionUri: Uri.file('/ext') as never,
      gateway,
      log,
      handlers: (_source, context) => {
        contexts.push(context);
        return {
          'ticks/subscribe': async () => {
            await late;
            context.onDispose(() => closed.push(`stream of view ${contexts.indexOf(context)}`));
            context.notify('ticks/tick', { n: 7 });
            return {};
          },
        };
      },
    });
    const one = fakeView();
    viewHost.resolveWebviewView(one.view as never);
    one.send({ kind: 'notify', method: 'view/ready', params: {} });
    one.send({ kind: 'request', id: 1, method: 'ticks/subscribe', params: {} });
    await flush();
    const two = fakeView();
    const before = one.posted.length;
    go(one, viewHost);
    viewHost.resolveWebviewView(two.view as never);
    two.send({ kind: 'notify', method: 'view/ready', params: {} });
    finish();
    await flush();
    expect(closed).toEqual(['stream of view 0']);
    expect(two.posted.filter((m) => m.method === 'ticks/tick')).toEqual([]);
    expect(one.posted.slice(before).filter((m) => m.method === 'ticks/tick')).toEqual([]);
    // The new view's own handlers still reach it.
    contexts.at(-1)!.notify('ticks/tick', { n: 1 });
    expect(two.posted).toContainEqual({ kind: 'notify', method: 'ticks/tick', params: { n: 1 } });
  });
});
