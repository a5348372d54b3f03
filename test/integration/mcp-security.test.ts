// Security on /mcp over real HTTP: DNS-rebinding guards (Host, Origin), the bearer token, and MCP
// sessions bound to the token that opened them (a second token from MCPLEXER_EXTRA_TOKENS).
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, text } from '../helpers/mcp.js';

const SECOND_TOKEN = 'second-client-token-0123456789ab';
let t: TestGateway;
let owner: Client;
let host: string;

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const TOOLS_LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });

/** A raw POST/GET/DELETE to /mcp with exactly these headers on top of the defaults (null drops one). */
function mcp(method: string, headers: Record<string, string | null>, body?: string) {
  const merged: Record<string, string | null> = {
    host,
    authorization: `Bearer ${t.token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...headers,
  };
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(merged)) if (value !== null) sent[name] = value;
  return rawRequest(t.url, method, '/mcp', sent, body);
}

beforeAll(async () => {
  expect(SECOND_TOKEN).toHaveLength(32);
  t = await startTestGateway({ env: { MCPLEXER_EXTRA_TOKENS: `${SECOND_TOKEN}, short-one` } });
  host = new URL(t.url).host;
  await addServer(t, everythingStdioBody('ev'));
  owner = await connectHttp(t);
}, 30_000);
afterAll(async () => {
  await owner?.close();
  await t?.close();
});

describe('MCPLEXER_EXTRA_TOKENS', () => {
  it('an entry too short to be a token is ignored and the log says which, never its value (a trial: silently ignored)', async () => {
    const warning = t.logs.find((line) => String(line.msg).startsWith('MCPLEXER_EXTRA_TOKENS entry 2 of 2 is ignored'));
    expect(warning?.msg).toBe('MCPLEXER_EXTRA_TOKENS entry 2 of 2 is ignored: it has 9 characters, and a token needs at least 16');
    expect(JSON.stringify(t.logs)).not.toContain('short-one');
    expect((await t.api('GET', '/workspaces', undefined, { authorization: 'Bearer short-one' })).status).toBe(401);
    expect((await t.api('GET', '/workspaces', undefined, { authorization: `Bearer ${SECOND_TOKEN}` })).status).toBe(200);
  });
});

describe('Host and Origin', () => {
  it('refuses a foreign Host with 403 and accepts the loopback names', async () => {
    expect((await mcp('POST', { host: `evil.example:${new URL(t.url).port}` }, INITIALIZE)).status).toBe(403);
    expect((await mcp('POST', { host: `localhost:${new URL(t.url).port}` }, INITIALIZE)).status).toBe(200);
    expect((await mcp('POST', {}, INITIALIZE)).status).toBe(200);
  });

  it('refuses a foreign Origin with 403 and accepts the gateway’s own', async () => {
    const refused = await mcp('POST', { origin: 'http://evil.example' }, INITIALIZE);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('evil.example');
    expect((await mcp('POST', { origin: `http://${host}` }, INITIALIZE)).status).toBe(200);
    expect((await mcp('POST', { origin: null, 'sec-fetch-site': 'cross-site' }, INITIALIZE)).status).toBe(403);
  });
});

describe('the token', () => {
  it('refuses a request without a token or with a wrong one (401)', async () => {
    expect((await mcp('POST', { authorization: null }, INITIALIZE)).status).toBe(401);
    expect((await mcp('POST', { authorization: 'Bearer not-the-token-not-the-token-xx' }, INITIALIZE)).status).toBe(401);
    expect((await mcp('POST', { authorization: `Bearer ${SECOND_TOKEN}` }, INITIALIZE)).status).toBe(200);
  });

  it('refuses the SDK client itself without the token', async () => {
    await expect(connectHttp({ url: t.url, token: 'x'.repeat(32) })).rejects.toThrow(/401|Unauthorized|token/i);
  });
});

describe('sessions are bound to their token', () => {
  it('answers a session id opened with one token, used with another, as not found', async () => {
    const sessionId = (owner.transport as { sessionId?: string }).sessionId!;
    expect(sessionId).toBeTruthy();
    const session = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    const stolen = await mcp('POST', { ...session, authorization: `Bearer ${SECOND_TOKEN}` }, TOOLS_LIST);
    expect(stolen.status).toBe(404);
    expect(stolen.body).toMatchObject({ jsonrpc: '2.0', error: { message: expect.stringMatching(/Session not found/) } });
    expect((await mcp('GET', { ...session, authorization: `Bearer ${SECOND_TOKEN}`, accept: 'text/event-stream' })).status).toBe(404);
    expect((await mcp('DELETE', { ...session, authorization: `Bearer ${SECOND_TOKEN}` })).status).toBe(404);
    expect((await mcp('POST', { ...session, authorization: null }, TOOLS_LIST)).status).toBe(401);
    // The owner's session is untouched, and the same id with the owner's token works.
    expect(text(await owner.callTool({ name: 'ev__echo', arguments: { message: 'still mine' } }))).toBe('Echo: still mine');
    const own = await mcp('POST', session, TOOLS_LIST);
    expect(own.status).toBe(200);
    expect(JSON.stringify(own.body)).toContain('ev__echo');
  });

  it('lets the second token open and use its own session', async () => {
    const second = await connectHttp({ url: t.url, token: SECOND_TOKEN });
    try {
      expect(text(await second.callTool({ name: 'ev__echo', arguments: { message: 'second' } }))).toBe('Echo: second');
      const secondId = (second.transport as { sessionId?: string }).sessionId!;
      const crossed = await mcp('POST', { 'mcp-session-id': secondId, 'mcp-protocol-version': '2025-11-25' }, TOOLS_LIST);
      expect(crossed.status).toBe(404);
    } finally {
      await second.close();
    }
  });
});
