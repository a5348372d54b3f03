// A wrong or missing token on /mcp, as real clients meet it: a 401 with an RFC 6750 challenge
// (`WWW-Authenticate: Bearer … error="invalid_token", error_description=…`) and a JSON-RPC error
// body that says where the token is, on the Express path and on the lean path of an established
// session alike; the REST API's 401 carries the challenge too; and the OAuth discovery and
// registration endpoints answer 404 (there is no OAuth for clients), so real SDK clients fail at
// once with the token in the message instead of wandering into OAuth.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
let sessionId: string;
const ACCEPT = 'application/json, text/event-stream';
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 7,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'auth', version: '1' } },
};
const CHALLENGE = /^Bearer realm="mcplexer", error="invalid_token", error_description="[^"\\]*api-token[^"\\]*"$/;

function mcp(method: string, authorization: string | null, body?: unknown, extra: Record<string, string> = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPT, ...extra };
  if (authorization !== null) headers.authorization = authorization;
  return fetch(`${t.url}/mcp`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

beforeAll(async () => {
  t = await startTestGateway();
  const init = await mcp('POST', `Bearer ${t.token}`, INITIALIZE);
  sessionId = init.headers.get('mcp-session-id')!;
  await init.text();
  const session = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
  expect((await mcp('POST', `Bearer ${t.token}`, { jsonrpc: '2.0', method: 'notifications/initialized' }, session)).status).toBe(202);
});
afterAll(async () => t?.close());

async function expectChallenge(res: Response, mistake: boolean | RegExp): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(CHALLENGE);
  const body = (await res.json()) as any;
  expect(body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: expect.any(Number), data: { code: 'unauthorized' } } });
  expect(body.error.message).toContain('~/.mcplexer/api-token');
  expect(body.error.message).toContain('MCPLEXER_HOME');
  expect(body.error.message).toContain('Authorization: Bearer');
  expect(body.error.message).toMatch(mistake instanceof RegExp ? mistake : mistake ? /missing/ : /wrong/);
}

describe('401 on /mcp', () => {
  it.each([
    ['no Authorization header', null, true],
    ['a wrong token', 'Bearer not-the-token-not-the-token-xx', false],
    ['another scheme', 'Basic dXNlcjpwYXNz', /not of the form "Bearer <token>"/],
  ])('answers initialize with %s: challenge and JSON-RPC body', async (_label, authorization, mistake) => {
    await expectChallenge(await mcp('POST', authorization, INITIALIZE), mistake);
  });

  it('answers the same on an established session (the lean path) and on GET and DELETE', async () => {
    const session = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    const call = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'mcpx__search_tools', arguments: { query: 'x' } } };
    await expectChallenge(await mcp('POST', 'Bearer wrong-token', call, session), false);
    await expectChallenge(await mcp('POST', null, call, session), true);
    await expectChallenge(await mcp('GET', null, undefined, { ...session, accept: 'text/event-stream' }), true);
    await expectChallenge(await mcp('DELETE', 'Bearer wrong-token', undefined, session), false);
    // The session itself is untouched.
    expect((await mcp('POST', `Bearer ${t.token}`, { jsonrpc: '2.0', id: 4, method: 'ping' }, session)).status).toBe(200);
  });

  it('puts the challenge on the REST API’s 401 too', async () => {
    for (const authorization of [null, 'Bearer wrong']) {
      const res = await t.api('GET', '/workspaces', undefined, { authorization });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(CHALLENGE);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });
});

describe('no OAuth for clients', () => {
  it.each([
    ['GET', '/.well-known/oauth-authorization-server'],
    ['GET', '/.well-known/oauth-authorization-server/mcp'],
    ['GET', '/.well-known/oauth-protected-resource'],
    ['GET', '/.well-known/oauth-protected-resource/mcp'],
    ['GET', '/.well-known/openid-configuration'],
    ['GET', '/.well-known/openid-configuration/mcp'],
    ['POST', '/register'],
    ['GET', '/authorize'],
    ['POST', '/token'],
  ])('answers %s %s with 404 (with or without the token), never 401', async (method, path) => {
    for (const headers of [{}, { authorization: `Bearer ${t.token}` }, { authorization: 'Bearer wrong' }] as Array<Record<string, string>>) {
      const res = await fetch(`${t.url}${path}`, {
        method,
        headers: { ...headers, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        body: method === 'POST' ? JSON.stringify({ client_name: 'x', redirect_uris: ['http://127.0.0.1/cb'] }) : undefined,
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(((await res.json()) as any).error.message).toContain('does not offer OAuth');
    }
  });
});

describe('real SDK clients with a wrong token', () => {
  /** A fetch that records every URL the client asks for. */
  function recordingFetch(seen: string[]): typeof fetch {
    return (input, init) => {
      seen.push(`${init?.method ?? 'GET'} ${new URL(String(input instanceof Request ? input.url : input)).pathname}`);
      return fetch(input, init);
    };
  }

  it.each([
    ['no token', null],
    ['a wrong token', 'x'.repeat(32)],
  ])('a v2 client with %s fails at once with the token in the message, asking nothing else', async (_label, token) => {
    const seen: string[] = [];
    const client = new Client({ name: 'wrong-token', version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', t.url), {
      requestInit: { headers: token === null ? {} : { authorization: `Bearer ${token}` } },
      fetch: recordingFetch(seen),
    });
    const started = Date.now();
    const error = await client.connect(transport).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error, 'connect must fail').toBeInstanceOf(Error);
    expect(String(error?.message)).toContain(token === null ? 'the API token is missing' : 'the API token is wrong');
    expect(String(error?.message)).toContain('~/.mcplexer/api-token');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(seen).toEqual(['POST /mcp']);
    await client.close();
  });

  it('a v1 client with a wrong token fails the same way', async () => {
    const seen: string[] = [];
    const client = new V1Client({ name: 'wrong-token-v1', version: '1' });
    const transport = new V1Transport(new URL('/mcp', t.url), {
      requestInit: { headers: { authorization: 'Bearer not-the-token-not-the-token-xx' } },
      fetch: recordingFetch(seen),
    });
    const error = await client.connect(transport).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error, 'connect must fail').toBeInstanceOf(Error);
    expect(String(error?.message)).toContain('api-token');
    expect(seen.every((entry) => entry.endsWith(' /mcp'))).toBe(true);
    await client.close();
  });
});
