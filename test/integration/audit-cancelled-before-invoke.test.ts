// A call whose client goes away before it reached the downstream is an `error` with `cancelled`
// in the audit trail, as it is mid-call; only a call cancelled while it waited for approval is
// `blocked` (a policy's step stopped it). Found by the load suite (test/load/leak.load.test.ts):
// read-only calls waiting for an identical call in flight (the cache hands them its answer) were
// recorded `blocked`/`cancelled` when their clients disconnected, which the docs reserve for the
// approval wait.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForPending } from '../helpers/approvals.js';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, rawBody, rejection, text } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;
let leader: Client;

beforeAll(async () => {
  t = await startTestGateway();
  // Never answers initialize: every call waits for the instance to start (30 s by default).
  await addServer(t, rawBody('mute', ['--no-init'], { name: 'Mute Raw' }));
  await addServer(t, rawBody('raw', [], { name: 'Raw' }));
  await addServer(t, everythingStdioBody('ev'));
  expect((await t.api('POST', '/routes', { workspace_id: 'global', tool_pattern: 'raw__echo', policy: 'approve', priority: 1 })).status).toBe(201);
  client = await connectHttp(t);
  leader = await connectHttp(t);
}, 30_000);
afterAll(async () => {
  await client?.close();
  await leader?.close();
  await t?.close();
});

async function recordOf(tool: string, index = 0): Promise<{ status: string; error_code: string }> {
  const found = await waitFor(async () => {
    const page = (await t.api('GET', `/audit?tool_name=${tool}`)).body;
    return page.data.length > index ? page.data : undefined;
  }, 10_000);
  expect(found).toBeDefined();
  return found![0];
}

async function startingCalls(): Promise<void> {
  await waitFor(async () => {
    const health = (await t.api('GET', '/health')).body.downstreams.find((d: { namespace: string }) => d.namespace === 'mute');
    return health?.instances?.length > 0;
  }, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 200));
}

const sessionOf = (c: Client) => (c.transport as unknown as { sessionId: string }).sessionId;

/** The audit record of the one call of `session`. */
async function recordOfSession(session: string): Promise<{ status: string; error_code: string } | undefined> {
  const found = await waitFor(async () => (await t.api('GET', `/audit?session_id=${session}`)).body.data[0], 10_000);
  return found;
}

/** A read-only call in flight on `leader` (server-everything's long operation, 2 s): identical calls wait for its answer. */
function leaderCall(steps: number): Promise<unknown> {
  return leader.callTool({ name: 'ev__trigger-long-running-operation', arguments: { duration: 2, steps } });
}

describe('a call cancelled before it reached the downstream', () => {
  it('cancelled by the client (notifications/cancelled) while it waited for an identical call: error, cancelled', async () => {
    const first = leaderCall(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const abort = new AbortController();
    const waiting = connectHttp(t);
    const follower = await waiting;
    try {
      const call = rejection(follower.callTool({ name: 'ev__trigger-long-running-operation', arguments: { duration: 2, steps: 2 } }, { signal: abort.signal }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      abort.abort('changed my mind');
      await call;
      expect(await recordOfSession(sessionOf(follower))).toMatchObject({ status: 'error', error_code: 'cancelled' });
      expect(text(await first)).toContain('Long running operation completed');
    } finally {
      await follower.close();
    }
  });

  it('the client closes its request while it waited for an identical call: error, cancelled', async () => {
    const first = leaderCall(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const follower = await connectHttp(t);
    try {
      const abort = new AbortController();
      const call = fetch(`${t.url}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${t.token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': sessionOf(follower),
          'mcp-protocol-version': '2025-11-25',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 'raw-0',
          method: 'tools/call',
          params: { name: 'ev__trigger-long-running-operation', arguments: { duration: 2, steps: 4 } },
        }),
        signal: abort.signal,
      }).then(
        (res) => res.text(),
        (error: Error) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      abort.abort();
      expect(await call).toBeInstanceOf(Error);
      expect(await recordOfSession(sessionOf(follower))).toMatchObject({ status: 'error', error_code: 'cancelled' });
      await first;
    } finally {
      await follower.close();
    }
  });

  it('cancelled by the client (notifications/cancelled) while the downstream starts: error, cancelled', async () => {
    const abort = new AbortController();
    const call = rejection(client.callTool({ name: 'mute__echo', arguments: { message: 'one' } }, { signal: abort.signal }));
    await startingCalls();
    abort.abort('changed my mind');
    await call;
    expect(await recordOf('mute__echo')).toMatchObject({ status: 'error', error_code: 'cancelled' });
  });

  it('the client closes its request while the downstream starts: error, cancelled', async () => {
    const session = (client.transport as unknown as { sessionId: string }).sessionId;
    const abort = new AbortController();
    const call = fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${t.token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': session,
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'raw-1', method: 'tools/call', params: { name: 'mute__echo', arguments: { message: 'two' } } }),
      signal: abort.signal,
    }).then(
      (res) => res.text(),
      (error: Error) => error,
    );
    await startingCalls();
    abort.abort();
    expect(await call).toBeInstanceOf(Error);
    const records = await waitFor(async () => {
      const page = (await t.api('GET', '/audit?tool_name=mute__echo')).body;
      return page.data.length >= 2 ? page.data : undefined;
    }, 10_000);
    expect(records?.[0]).toMatchObject({ status: 'error', error_code: 'cancelled' });
  });

  it('cancelled while it waited for approval: still blocked, cancelled', async () => {
    const abort = new AbortController();
    const call = rejection(client.callTool({ name: 'raw__echo', arguments: { message: 'gated' } }, { signal: abort.signal }));
    await waitForPending(t, 'raw__echo');
    abort.abort('not any more');
    await call;
    expect(await recordOf('raw__echo')).toMatchObject({ status: 'blocked', error_code: 'cancelled' });
  });
});
