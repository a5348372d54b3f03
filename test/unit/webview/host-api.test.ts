import { describe, expect, it } from 'vitest';
import { frameHostApi, stateKey, type FrameWindow } from '../../../src/webview/shared/frame-api.js';
import { hostApi, type HostApi } from '../../../src/webview/shared/host-api.js';

/**
 * The two host adapters a view bundle runs on, behind one seam: VS Code's webview API when the page
 * is a webview, else the dashboard frame's (messages to the parent on this origin only, saved state
 * in sessionStorage per view, foreign messages stopped before the view's own listener).
 */
const ORIGIN = 'http://127.0.0.1:8080';

function storage() {
  const items = new Map<string, string>();
  return { items, getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
}

type Listener = Parameters<FrameWindow['addEventListener']>[1];

function frameWindow(pathname = '/ui/view/servers') {
  const posted: Array<{ message: unknown; origin: string }> = [];
  const parent = { postMessage: (message: unknown, origin: string) => void posted.push({ message, origin }) };
  const listeners: Listener[] = [];
  const win: FrameWindow = { parent, location: { origin: ORIGIN, pathname }, addEventListener: (_type, listener) => void listeners.push(listener) };
  /** Dispatches a message event as the browser would: true when it reaches the view's listeners. */
  const dispatch = (origin: string, source: unknown) => {
    let stopped = false;
    for (const listener of listeners) listener({ origin, source: source as MessageEventSource, stopImmediatePropagation: () => void (stopped = true) });
    return !stopped;
  };
  return { win, parent, posted, dispatch };
}

describe('hostApi (the seam)', () => {
  it("uses VS Code's acquireVsCodeApi when the page is a webview, and nothing else", () => {
    const api: HostApi<unknown> = { postMessage: () => undefined, getState: () => undefined, setState: (s) => s };
    let calls = 0;
    const { win, posted } = frameWindow();
    const got = hostApi({ acquireVsCodeApi: (() => (calls++, api)) as never, window: win, sessionStorage: storage() });
    expect(got).toBe(api);
    expect(calls).toBe(1);
    expect(posted).toEqual([]);
  });

  it('uses the dashboard frame when there is no VS Code and the page is framed', () => {
    const { win, posted } = frameWindow();
    hostApi({ window: win, sessionStorage: storage() }).postMessage({ kind: 'notify', method: 'view/ready', params: {} });
    expect(posted).toEqual([{ message: { kind: 'notify', method: 'view/ready', params: {} }, origin: ORIGIN }]);
  });

  it('refuses to start a view opened on its own (no VS Code, not framed), saying where to open it', () => {
    const self = { location: { origin: ORIGIN, pathname: '/ui/view/servers' }, addEventListener: () => undefined } as unknown as { parent: unknown };
    self.parent = self;
    expect(() => hostApi({ window: self as unknown as FrameWindow, sessionStorage: storage() })).toThrow(/dashboard page/);
  });
});

describe('frameHostApi (the browser adapter, view side)', () => {
  it('posts to the parent addressed to its own origin only', () => {
    const { win, posted } = frameWindow();
    const api = frameHostApi(win, storage());
    api.postMessage({ kind: 'request', id: 1, method: 'servers/snapshot', params: {} });
    expect(posted).toEqual([{ message: { kind: 'request', id: 1, method: 'servers/snapshot', params: {} }, origin: ORIGIN }]);
  });

  it('keeps each view’s state in sessionStorage under its own key, across a reload', () => {
    const store = storage();
    const servers = frameHostApi<{ expanded: string[] }>(frameWindow('/ui/view/servers').win, store);
    const routes = frameHostApi<{ open: boolean }>(frameWindow('/ui/view/routes').win, store);
    expect(servers.getState()).toBeUndefined();
    expect(servers.setState({ expanded: ['mem'] })).toEqual({ expanded: ['mem'] });
    routes.setState({ open: true });
    expect([...store.items.keys()].sort()).toEqual([stateKey('routes'), stateKey('servers')]);
    const reloaded = frameHostApi<{ expanded: string[] }>(frameWindow('/ui/view/servers').win, store);
    expect(reloaded.getState()).toEqual({ expanded: ['mem'] });
  });

  it('starts afresh from a state it cannot read', () => {
    const store = storage();
    store.setItem(stateKey('servers'), '{not json');
    expect(frameHostApi(frameWindow().win, store).getState()).toBeUndefined();
  });

  it('lets through only messages from its parent on its own origin', () => {
    const { win, parent, dispatch } = frameWindow();
    frameHostApi(win, storage());
    expect(dispatch(ORIGIN, parent)).toBe(true);
    expect(dispatch('http://127.0.0.1:9999', parent)).toBe(false);
    expect(dispatch('http://evil.example', {})).toBe(false);
    expect(dispatch(ORIGIN, {})).toBe(false);
    expect(dispatch('null', null)).toBe(false);
  });
});
