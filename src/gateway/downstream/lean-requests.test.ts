// LeanRequests against a recorded send: what the SDK's Protocol.request would do for the same
// events (answer, error answer, timeout, abort, close, late answer), so describeCallError words
// each one as before; and which incoming messages it takes (only answers in its id range).
import { ProtocolError, SdkError, SdkErrorCode, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LEAN_ID_BASE, LeanRequests } from './lean-requests.js';

function setup() {
  const sent: Array<Record<string, any>> = [];
  const lean = new LeanRequests(async (message) => void sent.push(message as Record<string, any>));
  return { sent, lean };
}
const answer = (id: number | string, result: Record<string, unknown>) => ({ jsonrpc: '2.0', id, result }) as JSONRPCMessage;

afterEach(() => vi.useRealTimers());

describe('LeanRequests', () => {
  it('sends with ids above the SDK range and resolves with the result as sent', async () => {
    const { sent, lean } = setup();
    const call = lean.request('tools/call', { name: 'echo', arguments: { m: 1 } }, 5000);
    expect(sent[0]).toEqual({ jsonrpc: '2.0', id: LEAN_ID_BASE, method: 'tools/call', params: { name: 'echo', arguments: { m: 1 } } });
    const result = { content: [{ type: 'text', text: 'hi' }], extra: { kept: true } };
    expect(lean.take(answer(LEAN_ID_BASE, result))).toBe(true);
    await expect(call).resolves.toBe(result);
    const second = lean.request('ping', undefined, 5000);
    expect(sent[1]).toEqual({ jsonrpc: '2.0', id: LEAN_ID_BASE + 1, method: 'ping' });
    expect(lean.take(answer(String(LEAN_ID_BASE + 1), {}))).toBe(true); // a server that echoes the id as text
    await expect(second).resolves.toEqual({});
    expect(lean.size).toBe(0);
  });

  it('rejects an error answer with the SDK ProtocolError, code and data kept', async () => {
    const { lean } = setup();
    const call = lean.request('tools/call', { name: 'x' }, 5000);
    lean.take({ jsonrpc: '2.0', id: LEAN_ID_BASE, error: { code: -32602, message: 'bad params', data: { field: 'name' } } } as JSONRPCMessage);
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: -32602, data: { field: 'name' } });
    expect((error as Error).message).toContain('bad params');
  });

  it('times out as the SDK does (RequestTimeout) and cancels the request downstream; a late answer is taken and dropped', async () => {
    vi.useFakeTimers();
    const { sent, lean } = setup();
    const call = lean.request('tools/call', { name: 'slow' }, 1000);
    const settled = call.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    const error = await settled;
    expect(error).toBeInstanceOf(SdkError);
    expect((error as SdkError).code).toBe(SdkErrorCode.RequestTimeout);
    expect(sent[1]).toMatchObject({ method: 'notifications/cancelled', params: { requestId: LEAN_ID_BASE, reason: 'Request timed out' } });
    expect(lean.take(answer(LEAN_ID_BASE, { late: true }))).toBe(true);
  });

  it('an abort rejects with its reason (an SdkError as is, else RequestTimeout carrying it) and cancels downstream', async () => {
    const { sent, lean } = setup();
    const controller = new AbortController();
    const call = lean.request('tools/call', { name: 'slow' }, 60_000, controller.signal);
    controller.abort('the client closed the request');
    const error = (await call.catch((e: unknown) => e)) as SdkError;
    expect(error.code).toBe(SdkErrorCode.RequestTimeout);
    expect(error.message).toContain('the client closed the request');
    expect(sent[1]).toMatchObject({ method: 'notifications/cancelled', params: { requestId: LEAN_ID_BASE } });
    const own = new SdkError(SdkErrorCode.ConnectionClosed, 'gone');
    const aborted = AbortSignal.abort(own);
    await expect(lean.request('tools/call', {}, 1000, aborted)).rejects.toBe(own);
    expect(sent).toHaveLength(2); // an already aborted request is not sent
  });

  it('a closed connection fails the requests in flight and later ones with ConnectionClosed', async () => {
    const { lean } = setup();
    const a = lean.request('tools/call', { name: 'a' }, 5000).catch((e: unknown) => e);
    const b = lean.request('tools/call', { name: 'b' }, 5000).catch((e: unknown) => e);
    lean.closeAll();
    for (const error of [await a, await b, await lean.request('ping', undefined, 5000).catch((e: unknown) => e)]) {
      expect((error as SdkError).code).toBe(SdkErrorCode.ConnectionClosed);
    }
  });

  it('takes only answers in its id range: not the SDK’s ids, not requests or notifications', () => {
    const { lean } = setup();
    expect(lean.take(answer(0, {}))).toBe(false);
    expect(lean.take(answer(42, {}))).toBe(false);
    expect(lean.take(answer('abc', {}))).toBe(false);
    expect(lean.take({ jsonrpc: '2.0', id: LEAN_ID_BASE, method: 'sampling/createMessage', params: {} } as JSONRPCMessage)).toBe(false);
    expect(lean.take({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: LEAN_ID_BASE } } as JSONRPCMessage)).toBe(false);
  });

  it('a send that fails rejects the request with its error', async () => {
    const lean = new LeanRequests(async () => {
      throw new SdkError(SdkErrorCode.NotConnected, 'Not connected');
    });
    await expect(lean.request('tools/call', {}, 5000)).rejects.toMatchObject({ code: SdkErrorCode.NotConnected });
    expect(lean.size).toBe(0);
  });
});
