// What a downstream is told about the client never exceeds what the client declared: sessions
// with different capability sets use different instances, each advertising exactly its set, and a
// server→client request the calling client cannot answer is refused with -32601 (as an SDK client
// without that handler answers), so the downstream's own "not supported" path runs. A client that
// declared the capability answers end to end, and its own refusal reaches the downstream as it
// gave it.
import { Client, ProtocolError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, everythingStdioBody, rawBody, text } from '../helpers/mcp.js';

let t: TestGateway;
const clients: Client[] = [];

async function connect(capabilities: Record<string, unknown>, setup: (client: Client) => void = () => undefined): Promise<Client> {
  const client = new Client({ name: 'caps-it', version: '1.0.0' }, { capabilities });
  setup(client);
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', t.url), { requestInit: { headers: { authorization: `Bearer ${t.token}` } } }));
  clients.push(client);
  return client;
}

/** A tool call's outcome as text: the result's text, or the JSON-RPC error it failed with. */
async function outcome(client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> {
  try {
    return text(await client.callTool({ name, arguments: args }));
  } catch (error) {
    const { code, message } = error as { code: number; message: string };
    return JSON.stringify({ code, message });
  }
}

let bare: Client;
let capable: Client;
const asked: string[] = [];

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, rawBody('raw'));
  await addServer(t, everythingStdioBody('ev'));
  bare = await connect({});
  capable = await connect({ elicitation: { form: {} }, sampling: {}, roots: {} }, (client) => {
    client.setRequestHandler('elicitation/create', async (request) => {
      asked.push(String(request.params.message));
      return { action: 'accept', content: { name: 'Ada', check: true } };
    });
    client.setRequestHandler('sampling/createMessage', async () => ({
      model: 'm',
      role: 'assistant',
      content: { type: 'text', text: 'sampled by the capable client' },
    }));
    client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///capable', name: 'capable' }] }));
  });
}, 60_000);
afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await t?.close();
});

describe('client capabilities', () => {
  it('advertises downstream exactly what the calling session declared', async () => {
    const samplingOnly = await connect({ sampling: {} }, (client) =>
      client.setRequestHandler('sampling/createMessage', async () => ({ model: 'm', role: 'assistant', content: { type: 'text', text: 'x' } })),
    );
    expect(JSON.parse(await outcome(bare, 'raw__client_caps'))).toEqual({});
    expect(JSON.parse(await outcome(samplingOnly, 'raw__client_caps'))).toEqual({ sampling: {} });
    expect(JSON.parse(await outcome(capable, 'raw__client_caps'))).toEqual({ roots: {}, sampling: {}, elicitation: { form: {} } });
  });

  it.each(['raw__elicit', 'raw__sample', 'raw__roots'])(
    'refuses %s of a client that declared nothing with -32601, and the downstream takes its own path',
    async (tool) => {
      const answer = JSON.parse(await outcome(bare, tool));
      expect(answer).toMatchObject({ code: -32601, message: expect.stringContaining('did not declare') });
    },
  );

  it.each(['ev__trigger-elicitation-request', 'ev__trigger-sampling-request'])(
    "takes server-everything's own path for %s of a client that declared nothing (it offers that client no such tool)",
    async (tool) => {
      const answer = await outcome(bare, tool);
      expect(answer).not.toContain('-32603');
      expect(answer).toMatch(/not found/i);
    },
  );

  it('works end to end for a client that declared elicitation and sampling', async () => {
    const elicited = await outcome(capable, 'ev__trigger-elicitation-request');
    expect(elicited).toContain('User provided the requested information');
    expect(asked.at(-1)).toContain('Please provide inputs');
    expect(await outcome(capable, 'ev__trigger-sampling-request', { prompt: 'hi' })).toContain('sampled by the capable client');
    expect(await outcome(capable, 'raw__roots')).toContain('file:///capable');
  });

  it("relays a client's own refusal to the downstream with the client's code, not -32603", async () => {
    const refusing = await connect({ sampling: {}, elicitation: {} }, (client) => {
      client.setRequestHandler('sampling/createMessage', async () => {
        throw new ProtocolError(-32042, 'the user declined to sample');
      });
      client.setRequestHandler('elicitation/create', async () => {
        throw new ProtocolError(-32043, 'the user closed the dialog');
      });
    });
    expect(JSON.parse(await outcome(refusing, 'raw__sample'))).toMatchObject({ code: -32042, message: 'the user declined to sample' });
    expect(JSON.parse(await outcome(refusing, 'raw__elicit'))).toMatchObject({ code: -32043, message: 'the user closed the dialog' });
  });
});
