// OAuth metadata from a hostile server, on a real gateway: a remote MCP server (over real HTTP on
// loopback) whose protected resource metadata (RFC 9728) and authorization server metadata (RFC
// 8414) name a file:, vscode: or command: authorization endpoint, a plain-http token endpoint on
// another host, or another resource than itself. oauth-setup and POST /oauth-providers/discover
// refuse each with 502 naming what is wrong, and store nothing (a security trial: all were stored
// as given, and the editor would have opened the authorization URL). Well-formed metadata passes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Hostile {
  resource?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  revocation_endpoint?: string;
}

let t: TestGateway;
let server: Server;
let base: string;
let hostile: Hostile = {};

beforeAll(async () => {
  t = await startTestGateway();
  server = createServer((req, res) => {
    const json = (body: unknown) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'POST' && req.url === '/mcp') {
      return void res.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"` }).end();
    }
    if (req.url?.startsWith('/.well-known/oauth-protected-resource'))
      return json({ resource: hostile.resource ?? `${base}/mcp`, authorization_servers: [base] });
    if (req.url?.startsWith('/.well-known/oauth-authorization-server') || req.url?.startsWith('/.well-known/openid-configuration')) {
      return json({
        issuer: base,
        authorization_endpoint: hostile.authorization_endpoint ?? `${base}/authorize`,
        token_endpoint: hostile.token_endpoint ?? `${base}/token`,
        registration_endpoint: `${base}/register`,
        ...(hostile.revocation_endpoint ? { revocation_endpoint: hostile.revocation_endpoint } : {}),
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (req.method === 'POST' && req.url === '/register') {
      return void res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ client_id: 'registered', redirect_uris: [`${t.url}/api/v1/oauth/callback`] }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => server.close(resolve));
});

async function setup(namespace: string) {
  const created = await t.api('POST', '/downstreams', { name: `Hostile ${namespace}`, namespace, url: `${base}/mcp` });
  expect(created.status, created.text).toBe(201);
  return t.api('POST', `/downstreams/${created.body.id}/oauth-setup`, {});
}

describe('metadata a gateway must not follow', () => {
  it.each([
    ['a file: authorization endpoint', { authorization_endpoint: 'file:///etc/passwd' }, 'authorization_endpoint'],
    ['a vscode: authorization endpoint', { authorization_endpoint: 'vscode://vscode.git/clone?url=x' }, 'authorization_endpoint'],
    ['a command: authorization endpoint', { authorization_endpoint: 'command:workbench.action.terminal.new' }, 'authorization_endpoint'],
    ['a plain-http token endpoint on another host', { token_endpoint: 'http://evil.example/token' }, 'token_endpoint'],
    ['a plain-http revocation endpoint on another host', { revocation_endpoint: 'http://10.0.0.5:81/revoke' }, 'revocation_endpoint'],
    ['another resource than the server', { resource: 'https://api.github.com/' }, 'as its resource'],
  ])('oauth-setup refuses %s with 502, storing no provider', async (_label, metadata: Hostile, named) => {
    hostile = metadata;
    const before = t.readConfig().oauth_providers.length;
    const res = await setup(`h${Math.random().toString(36).slice(2, 8)}`);
    expect(res.status, res.text).toBe(502);
    expect(res.body.error.message).toContain(named);
    expect(t.readConfig().oauth_providers.length).toBe(before);
  });

  it('POST /oauth-providers/discover refuses an issuer whose metadata names a file: authorization endpoint', async () => {
    hostile = { authorization_endpoint: 'file:///etc/passwd' };
    const res = await t.api('POST', '/oauth-providers/discover', { issuer_url: base });
    expect(res.status, res.text).toBe(502);
    expect(res.body.error.message).toContain('authorization_endpoint');
  });

  it('well-formed metadata (loopback http, the server as its own resource) goes through', async () => {
    hostile = {};
    const res = await setup('hgood');
    expect(res.status, res.text).toBe(200);
    expect(new URL(res.body.authorize_url).origin).toBe(base);
    expect((await t.api('POST', '/oauth-providers/discover', { issuer_url: base })).status).toBe(200);
  });
});
