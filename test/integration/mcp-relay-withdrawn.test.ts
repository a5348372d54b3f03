// A call that ends (here: the server's call_timeout_sec passes) while its elicitation still waits
// for the client withdraws it: the client gets notifications/cancelled for its request (MCP
// 2025-11-25 Basic › Cancellation), so the form closes rather than stay open with no one waiting
// for the answer (a protocol trial). On the lean path (tools/call) and the SDK path (prompts/get).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, rawBody } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;
const asked: Array<{ withdrawn: boolean }> = [];

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, rawBody('raw', [], { call_timeout_sec: 1 }));
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
  it('a tools/call that times out withdraws its elicitation', async () => {
    const outcome = await client.callTool({ name: 'raw__elicit', arguments: {} }).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/did not respond within 1 s/);
    expect(asked.length).toBe(1);
    await waitFor(() => asked[0]!.withdrawn);
  });

  it('a prompts/get that times out withdraws its elicitation too', async () => {
    const outcome = await client.getPrompt({ name: 'raw__ask' }).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/did not respond within 1 s/);
    expect(asked.length).toBe(2);
    await waitFor(() => asked[1]!.withdrawn);
  });
});
