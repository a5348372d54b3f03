import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { describe, expect, it, vi } from 'vitest';
import { CallEntry, CallRegistry } from './call-registry.js';
import type { CallOptions, DownstreamMessage } from './types.js';

function setup() {
  const unrouted: DownstreamMessage[] = [];
  const registry = new CallRegistry((notification) => unrouted.push(notification));
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
  return { registry, unrouted, call, send, incoming };
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

  it('routes logging to the most recent call that listens, else to the pool', () => {
    const { registry, call, incoming, unrouted } = setup();
    const log = { method: 'notifications/message', params: { level: 'info', data: 'x' } };
    incoming(log);
    expect(unrouted).toHaveLength(1);
    const older = call({ onNotification: vi.fn() });
    const newer = call({ onNotification: vi.fn() });
    call(); // a call without a listener does not take it
    incoming(log);
    expect(newer.opts.onNotification).toHaveBeenCalledTimes(1);
    expect(older.opts.onNotification).not.toHaveBeenCalled();
    registry.remove(newer);
    incoming(log);
    expect(older.opts.onNotification).toHaveBeenCalledTimes(1);
  });

  it('never routes server-wide notifications to a call', () => {
    const { call, incoming, unrouted } = setup();
    const listener = call({ onNotification: vi.fn() });
    incoming({ method: 'notifications/tools/list_changed' });
    incoming({ method: 'notifications/resources/updated', params: { uri: 'x://y' } });
    expect(listener.opts.onNotification).not.toHaveBeenCalled();
    expect(unrouted.map((n) => n.method)).toEqual(['notifications/tools/list_changed', 'notifications/resources/updated']);
  });

  it('routes a server→client request to the latest call that can answer, once', () => {
    const { registry, call, incoming } = setup();
    const answer = async () => ({ roots: [] });
    const first = call({ onServerRequest: answer });
    const second = call({ onServerRequest: answer });
    incoming({ id: 'srv-1', method: 'sampling/createMessage', params: {} });
    expect(registry.takeRoutedRequest('srv-1')).toBe(second);
    expect(registry.takeRoutedRequest('srv-1')).toBeUndefined();
    registry.remove(second);
    incoming({ id: 'srv-2', method: 'roots/list' });
    expect(registry.takeRoutedRequest('srv-2')).toBe(first);
  });

  it('leaves pings to the SDK and forgets requests routed to a call that ended', () => {
    const { registry, call, incoming } = setup();
    const entry = call({ onServerRequest: async () => ({}) });
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
        onNotification: () => {
          throw new Error('boom');
        },
      }),
    );
    registry.onIncoming({ jsonrpc: '2.0', method: 'notifications/message', params: {} });
    expect(errors).toHaveLength(1);
  });
});
