import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const ACCEPT = 'application/json, text/event-stream';

async function mcp(method: 'POST' | 'DELETE', headers: Record<string, string>, body?: unknown): Promise<Response> {
  return fetch(`${t!.url}/mcp`, {
    method,
    headers: { authorization: `Bearer ${t!.token}`, 'content-type': 'application/json', accept: ACCEPT, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('MCP session lifecycle over Streamable HTTP', () => {
  it('opens a session on initialize, serves it with its id, ends it on DELETE, then answers 404 for it', async () => {
    t = await startTestGateway();
    const init = await mcp(
      'POST',
      {},
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'lifecycle', version: '1' } },
      },
    );
    expect(init.status).toBe(200);
    const sessionId = init.headers.get('mcp-session-id');
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await init.text()).toContain('"protocolVersion":"2025-06-18"');
    const headers = { 'mcp-session-id': sessionId!, 'mcp-protocol-version': '2025-06-18' };
    expect((await mcp('POST', headers, { jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
    expect(await (await mcp('POST', headers, { jsonrpc: '2.0', id: 2, method: 'ping' })).text()).toContain('"result":{}');

    expect((await mcp('DELETE', headers)).status).toBe(200);
    const after = await mcp('POST', headers, { jsonrpc: '2.0', id: 3, method: 'tools/list' });
    expect(after.status).toBe(404);
    expect(await after.text()).toContain('Session not found');
  });

  it('refuses requests without a session id that are not initialize, and an unsupported protocol version', async () => {
    t = await startTestGateway();
    const orphan = await mcp('POST', {}, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(orphan.status).toBe(400);
    expect(await orphan.text()).toContain('no valid session id');
    const init = await mcp(
      'POST',
      {},
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'v', version: '1' } } },
    );
    const sessionId = init.headers.get('mcp-session-id')!;
    await init.text();
    const wrongVersion = await mcp(
      'POST',
      { 'mcp-session-id': sessionId, 'mcp-protocol-version': '1999-01-01' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'mcpx__search_tools', arguments: { query: 'x' } } },
    );
    expect(wrongVersion.status).toBe(400);
    expect(await wrongVersion.text()).toMatch(/[Uu]nsupported protocol version/);
  });
});
