// A path the API has, asked with a method it does not answer, gets 405 with Allow (RFC 9110
// §15.5.6) listing what it answers, read from the same route table as openapi.json; a path it
// does not have stays a 404. A new user's trial got 404 "no endpoint" for PATCH where PUT was meant.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => t?.close());

const allowOf = (res: { headers: Headers }) => (res.headers.get('allow') ?? '').split(', ').sort();

describe('405 with Allow', () => {
  it.each([
    ['PATCH', '/workspaces/global', ['DELETE', 'GET', 'HEAD', 'PUT']],
    ['DELETE', '/settings', ['GET', 'HEAD', 'PUT']],
    ['POST', '/audit', ['GET', 'HEAD']],
    ['PUT', '/downstreams', ['GET', 'HEAD', 'POST']],
  ] as const)('%s %s answers 405 naming %j, and changes nothing', async (method, path, allowed) => {
    const before = t.configText();
    const res = await t.api(method, path, method === 'DELETE' ? undefined : {});
    expect(res.status).toBe(405);
    expect(allowOf(res)).toEqual([...allowed].sort());
    expect(res.body.error.code).toBe('method_not_allowed');
    expect(res.body.error.message).toContain(`${method} is not an operation of /api/v1${path}`);
    expect(t.configText()).toBe(before);
  });

  it('a path that two routes share (/routes/bulk and /routes/{id}) lists the methods of both', async () => {
    const res = await t.api('PATCH', '/routes/bulk', {});
    expect(res.status).toBe(405);
    expect(allowOf(res)).toEqual(['DELETE', 'GET', 'HEAD', 'POST', 'PUT']);
  });

  it('a path the API does not have is still a 404, and no token is still a 401 first', async () => {
    expect((await t.api('GET', '/no-such-thing')).status).toBe(404);
    expect((await t.api('PATCH', '/no-such-thing/x', {})).status).toBe(404);
    expect((await t.api('PATCH', '/workspaces/global', {}, { authorization: null })).status).toBe(401);
  });

  it('/mcp answers PUT and PATCH with 405 and Allow GET, POST, DELETE, with a session id as without one', async () => {
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', t.url), { requestInit: { headers: { authorization: `Bearer ${t.token}` } } });
    const client = new Client({ name: 'method-it', version: '1.0.0' });
    await client.connect(transport);
    for (const method of ['PUT', 'PATCH']) {
      for (const session of [{}, { 'mcp-session-id': transport.sessionId! }] as Array<Record<string, string>>) {
        const res = await fetch(`${t.url}/mcp`, {
          method,
          headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...session },
          body: '{}',
        });
        expect(res.status, `${method} ${JSON.stringify(session)}`).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, POST, DELETE');
        expect(JSON.stringify(await res.json())).toContain(`${method} is not an operation of /mcp`);
      }
    }
    // The session is still served.
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });
});
