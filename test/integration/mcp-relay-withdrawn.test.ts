// An elicitation the call no longer waits for is withdrawn: the client gets notifications/cancelled
// for its request (MCP 2025-11-25 Basic › Cancellation), so the form closes rather than stay open
// with no one waiting for the answer (a protocol trial). Here the person takes longer than
// approval_timeout_sec (the server's call_timeout_sec does not count the client's time: see
// mcp-client-time.test.ts). On the lean path (tools/call) and the SDK path (prompts/get).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, rawBody, text } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;
const asked: Array<{ withdrawn: boolean }> = [];

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, rawBody('raw', [], { call_timeout_sec: 1 }));
  expect((await t.api('PUT', '/settings', { approval_timeout_sec: 1 })).status).toBe(200);
  client = new Client({ name: 'withdrawn-it', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
  // A person who never answers: the handler waits until the request is withdrawn.
  client.setRequestHandler('elicitation/create', (_request, ctx) => {
    const entry = { withdrawn: false };
    asked.push(entry);
    return new Promise((_resolve, reject) => {
      ctx.mcpReq.signal.addEventListener('abort', () => {
        entry.withdrawn = true;
        reject(new Error('withdrawn'));
      });
    });
  });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', t.url), { requestInit: { headers: { authorization: `Bearer ${t.token}` } } }));
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
});

describe('requests to the client end with the call', () => {
  it('a tools/call withdraws its elicitation, and the server is told the client did not answer', async () => {
    const outcome = text(await client.callTool({ name: 'raw__elicit', arguments: {} }));
    expect(outcome).toMatch(/did not answer elicitation\/create within 1 s/);
    expect(asked.length).toBe(1);
    await waitFor(() => asked[0]!.withdrawn);
  });

  it('a prompts/get withdraws its elicitation too', async () => {
    const prompt = await client.getPrompt({ name: 'raw__ask' });
    expect(JSON.stringify(prompt.messages)).toMatch(/did not answer elicitation\/create within 1 s/);
    expect(asked.length).toBe(2);
    await waitFor(() => asked[1]!.withdrawn);
  });
});
