import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { describe, expect, it, vi } from 'vitest';
import { CallEntry, CallRegistry, UNATTRIBUTABLE } from './call-registry.js';
import type { CallOptions, DownstreamMessage } from './types.js';

function setup() {
  const unrouted: DownstreamMessage[] = [];
  const unattributed: DownstreamMessage[] = [];
  const registry = new CallRegistry(
    (notification) => unrouted.push(notification),
    () => undefined,
    (notification) => unattributed.push(notification),
  );
  const call = (opts: Partial<CallOptions> = {}) => {
    const entry = new CallEntry({ timeoutMs: 1000, ...opts });
    registry.add(entry);
    return entry;
  };
  const send = (entry: CallEntry, id: number) => {
    registry.beginSend(entry);
    registry.noteOutgoing({ jsonrpc: '2.0', id, method: 'tools/call', params: {} });
    registry.beginSend(null);
  };
  const incoming = (message: object) => registry.onIncoming({ jsonrpc: '2.0', ...message } as JSONRPCMessage);
  return { registry, unrouted, unattributed, call, send, incoming };
}

describe('CallRegistry', () => {
  it('delivers progress to the call whose token it carries, without the token', () => {
    const { call, send, incoming } = setup();
    const a = call({ onProgress: vi.fn() });
    const b = call({ onProgress: vi.fn() });
    send(a, 7);
    send(b, 8);
    incoming({ method: 'notifications/progress', params: { progressToken: 8, progress: 1, total: 2 } });
    incoming({ method: 'notifications/progress', params: { progressToken: '7', progress: 5 } });
    expect(b.opts.onProgress).toHaveBeenCalledWith({ progress: 1, total: 2 });
    expect(a.opts.onProgress).toHaveBeenCalledWith({ progress: 5 });
  });

  it('drops progress for a finished call', () => {
    const { registry, call, send, incoming, unrouted } = setup();
    const a = call({ onProgress: vi.fn() });
    send(a, 1);
    registry.remove(a);
    incoming({ method: 'notifications/progress', params: { progressToken: 1, progress: 1 } });
    expect(a.opts.onProgress).not.toHaveBeenCalled();
    expect(unrouted).toEqual([]);
  });

  it("routes logging to its one owner's most recent call that listens, else to the pool", () => {
    const { registry, call, incoming, unrouted } = setup();
    const log = { method: 'notifications/message', params: { level: 'info', data: 'x' } };
    incoming(log);
    expect(unrouted).toHaveLength(1);
    const older = call({ owner: 'A', onNotification: vi.fn() });
    const newer = call({ owner: 'A', onNotification: vi.fn() });
    call({ owner: 'A' }); // a call without a listener does not take it
    call(); // nor does a call without an owner (the gateway's own discovery), which is no candidate
    incoming(log);
    expect(newer.opts.onNotification).toHaveBeenCalledTimes(1);
    expect(older.opts.onNotification).not.toHaveBeenCalled();
    registry.remove(newer);
    incoming(log);
    expect(older.opts.onNotification).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['notifications/message', { level: 'info', data: 'secret of A' }],
    ['notifications/elicitation/complete', { elicitationId: 'e-1' }],
  ])('relays %s to nobody while calls of two owners are in flight', (method, params) => {
    const { registry, call, incoming, unrouted, unattributed } = setup();
    const a = call({ owner: 'session-A', onNotification: vi.fn() });
    const b = call({ owner: 'session-B', onNotification: vi.fn() });
    incoming({ method, params });
    expect(a.opts.onNotification).not.toHaveBeenCalled();
    expect(b.opts.onNotification).not.toHaveBeenCalled();
    expect(unattributed.map((n) => n.method)).toEqual([method]);
    expect(unrouted).toEqual([]);
    registry.remove(b); // one owner left: attributable again
    incoming({ method, params });
    expect(a.opts.onNotification).toHaveBeenCalledTimes(1);
  });

  it('never routes server-wide notifications to a call', () => {
    const { call, incoming, unrouted } = setup();
    const listener = call({ onNotification: vi.fn() });
    incoming({ method: 'notifications/tools/list_changed' });
    incoming({ method: 'notifications/resources/updated', params: { uri: 'x://y' } });
    expect(listener.opts.onNotification).not.toHaveBeenCalled();
    expect(unrouted.map((n) => n.method)).toEqual(['notifications/tools/list_changed', 'notifications/resources/updated']);
  });

  it("routes a server→client request to its one owner's latest call that can answer, once", () => {
    const { registry, call, incoming } = setup();
    const answer = async () => ({ roots: [] });
    const first = call({ owner: 'A', onServerRequest: answer });
    const second = call({ owner: 'A', onServerRequest: answer });
    incoming({ id: 'srv-1', method: 'sampling/createMessage', params: {} });
    expect(registry.takeRoutedRequest('srv-1')).toBe(second);
    expect(registry.takeRoutedRequest('srv-1')).toBeUndefined();
    registry.remove(second);
    incoming({ id: 'srv-2', method: 'roots/list' });
    expect(registry.takeRoutedRequest('srv-2')).toBe(first);
  });

  it.each(['elicitation/create', 'sampling/createMessage', 'roots/list'])('marks %s unattributable while calls of two owners are in flight', (method) => {
    const { registry, call, incoming } = setup();
    const answer = async () => ({});
    call({ owner: 'session-A', onServerRequest: answer });
    const b = call({ owner: 'session-B', onServerRequest: answer });
    incoming({ id: 'srv-3', method, params: {} });
    expect(registry.takeRoutedRequest('srv-3')).toBe(UNATTRIBUTABLE);
    registry.remove(b);
    incoming({ id: 'srv-4', method, params: {} });
    expect(registry.takeRoutedRequest('srv-4')).not.toBe(UNATTRIBUTABLE);
  });

  it('leaves pings to the SDK and forgets requests routed to a call that ended', () => {
    const { registry, call, incoming } = setup();
    const entry = call({ owner: 'A', onServerRequest: async () => ({}) });
    incoming({ id: 'ping-1', method: 'ping' });
    expect(registry.takeRoutedRequest('ping-1')).toBeUndefined();
    incoming({ id: 'srv-9', method: 'elicitation/create', params: {} });
    registry.remove(entry);
    expect(registry.takeRoutedRequest('srv-9')).toBeUndefined();
  });

  it('survives a throwing callback', () => {
    const errors: unknown[] = [];
    const registry = new CallRegistry(
      () => undefined,
      (error) => errors.push(error),
    );
    registry.add(
      new CallEntry({
        timeoutMs: 1,
        owner: 'A',
        onNotification: () => {
          throw new Error('boom');
        },
      }),
    );
    registry.onIncoming({ jsonrpc: '2.0', method: 'notifications/message', params: {} });
    expect(errors).toHaveLength(1);
  });
});
