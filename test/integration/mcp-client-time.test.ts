// The call timeout (call_timeout_sec) measures the server, not the person: while a server's
// elicitation or sampling request waits for the client, the call's clock stops, and it goes on
// from where it stopped once the client answers (downstream/call-clock.ts). How long the client
// may take is the setting approval_timeout_sec; progress restarts the clock (MCP 2025-11-25
// Lifecycle › Timeouts). Lean path (tools/call without progress) and SDK path (with progress).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, everythingStdioBody, rawBody, text } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;
/** How long the person takes (ms); `never` until withdrawn. */
let answerAfterMs: number | 'never' = 0;
const withdrawn: boolean[] = [];

function person<T>(answer: T) {
  return (_request: unknown, ctx: { mcpReq: { signal: AbortSignal } }) => {
    const index = withdrawn.push(false) - 1;
    return new Promise<T>((resolve, reject) => {
      ctx.mcpReq.signal.addEventListener('abort', () => {
        withdrawn[index] = true;
        reject(new Error('withdrawn'));
      });
      if (answerAfterMs !== 'never') setTimeout(() => resolve(answer), answerAfterMs);
    });
  };
}

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, rawBody('raw', [], { call_timeout_sec: 1 }));
  await addServer(t, everythingStdioBody('every', { call_timeout_sec: 1 }));
  client = new Client({ name: 'client-time-it', version: '1.0.0' }, { capabilities: { elicitation: { form: {} }, sampling: {} } });
  client.setRequestHandler('elicitation/create', person({ action: 'accept', content: { name: 'Ada' } }) as never);
  client.setRequestHandler(
    'sampling/createMessage',
    person({ role: 'assistant', content: { type: 'text', text: 'sampled-answer' }, model: 'test-model' }) as never,
  );
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', t.url), { requestInit: { headers: { authorization: `Bearer ${t.token}` } } }));
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
});

describe('the call timeout leaves out the time the client takes', () => {
  it('a person who answers an elicitation after twice the call timeout gets the tool’s result (lean path)', async () => {
    answerAfterMs = 2_000;
    const result = await client.callTool({ name: 'raw__elicit', arguments: {} });
    expect(text(result)).toContain('Ada');
  });

  it('the same with progress asked for (the SDK path)', async () => {
    answerAfterMs = 2_000;
    const result = await client.callTool({ name: 'raw__elicit', arguments: {} }, { onprogress: () => undefined, timeout: 30_000 });
    expect(text(result)).toContain('Ada');
  });

  it('a sampling request answered after twice the call timeout', async () => {
    answerAfterMs = 2_000;
    const result = await client.callTool({ name: 'raw__sample', arguments: { prompt: 'slowly' } });
    expect(text(result)).toContain('sampled-answer');
  });

  it('the clock still runs for the server: a server that hangs times out after the call timeout', async () => {
    const outcome = await client.callTool({ name: 'raw__hang', arguments: {} }).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/did not respond within 1 s/);
  });

  it('progress restarts the clock: a 2 s operation that reports every 0.2 s finishes under a 1 s timeout', async () => {
    const result = await client.callTool(
      { name: 'every__trigger-long-running-operation', arguments: { duration: 2, steps: 10 } },
      { onprogress: () => undefined, resetTimeoutOnProgress: true, timeout: 30_000 },
    );
    expect(text(result)).toContain('Long running operation completed');
  });

  it('without progress the same operation times out after the call timeout', async () => {
    const outcome = await client.callTool({ name: 'every__trigger-long-running-operation', arguments: { duration: 3, steps: 6 } }).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/did not respond within 1 s/);
  });

  it('a client that does not answer within approval_timeout_sec: the server is told so, and the request is withdrawn', async () => {
    expect((await t.api('PUT', '/settings', { approval_timeout_sec: 2 })).status).toBe(200);
    answerAfterMs = 'never';
    const before = withdrawn.length;
    const started = Date.now();
    const result = await client.callTool({ name: 'raw__elicit', arguments: {} });
    expect(text(result)).toMatch(/did not answer elicitation\/create within 2 s \(setting approval_timeout_sec\)/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(withdrawn.length).toBe(before + 1);
    await waitFor(() => withdrawn[before] === true);
    await sleep(0);
  });
});
