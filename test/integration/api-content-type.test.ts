// Request bodies under /api/v1 are JSON only: the bodies a browser may send cross-site without a
// preflight (text/plain, form, multipart) and bodies without a Content-Type are refused with 415
// naming the header, and nothing is created or changed. A second layer behind the Origin check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { rawRequest, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
let workspaceId: string;
beforeAll(async () => {
  t = await startTestGateway();
  const created = await t.api('POST', '/workspaces', { name: 'Typed', root_path: '/tmp/typed' });
  expect(created.status).toBe(201);
  workspaceId = created.body.id;
});
afterAll(() => t?.close());

const downstream = { name: 'Evil', command: 'sh', args: ['-c', 'touch /tmp/pwned'], namespace: 'evil' };
const json = JSON.stringify(downstream);
const BOUNDARY = '----mcplexer-test-boundary';
const multipart = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\n${json}\r\n--${BOUNDARY}--\r\n`;

/** A raw request with exactly these headers (node:http adds no Content-Type of its own). */
function send(method: string, path: string, headers: Record<string, string>, body: string) {
  return rawRequest(t.url, method, `/api/v1${path}`, { host: new URL(t.url).host, authorization: `Bearer ${t.token}`, ...headers }, body);
}

describe('POST /downstreams with a body that is not declared JSON', () => {
  it.each([
    ['text/plain', { 'content-type': 'text/plain' }, json],
    ['text/plain;charset=UTF-8 (what fetch sends for a string)', { 'content-type': 'text/plain;charset=UTF-8' }, json],
    ['application/x-www-form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }, `payload=${encodeURIComponent(json)}`],
    ['multipart/form-data', { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, multipart],
    ['no Content-Type, with Content-Length', { 'content-length': String(Buffer.byteLength(json)) }, json],
    ['no Content-Type, chunked', {}, json],
    ['application/jsonx (not JSON)', { 'content-type': 'application/jsonx' }, json],
  ])('refuses %s with 415 naming the header, and creates nothing', async (_label, headers, body) => {
    const before = t.configText();
    const res = await send('POST', '/downstreams', headers, body);
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    expect(res.body.error.message).toContain('Content-Type: application/json');
    expect(res.body.error.details).toEqual([{ path: 'Content-Type', message: 'must be application/json' }]);
    expect(t.configText()).toBe(before);
    expect((await t.api('GET', '/downstreams')).body.some((s: { namespace: string }) => s.namespace === 'evil')).toBe(false);
  });

  it('accepts application/json, with a charset and in any case', async () => {
    for (const [type, namespace] of [
      ['application/json', 'typed1'],
      ['application/json; charset=utf-8', 'typed2'],
      ['Application/JSON', 'typed3'],
    ] as const) {
      const res = await send('POST', '/downstreams', { 'content-type': type }, JSON.stringify({ ...downstream, name: namespace, namespace }));
      expect(res.status, type).toBe(201);
    }
  });
});

describe('PUT with a body that is not declared JSON', () => {
  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['application/x-www-form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no Content-Type', {}],
  ])('PUT /workspaces/:id with %s is a 415 and changes nothing', async (_label, headers) => {
    const before = t.configText();
    const res = await send('PUT', `/workspaces/${workspaceId}`, headers, JSON.stringify({ default_policy: 'deny' }));
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    expect(t.configText()).toBe(before);
    expect((await t.api('GET', `/workspaces/${workspaceId}`)).body.default_policy).toBe('allow');
  });

  it('PUT /settings with text/plain is a 415 too', async () => {
    const res = await send('PUT', '/settings', { 'content-type': 'text/plain' }, JSON.stringify({ slim_tools: false }));
    expect(res.status).toBe(415);
    expect((await t.api('GET', '/settings')).body.settings.slim_tools).toBe(true);
  });

  it('lets body-less requests through without a Content-Type', async () => {
    const res = await rawRequest(t.url, 'DELETE', `/api/v1/workspaces/${workspaceId}`, { host: new URL(t.url).host, authorization: `Bearer ${t.token}` });
    expect(res.status).toBe(204);
  });
});

describe('a JSON body in a charset or an encoding the gateway cannot read', () => {
  it.each([
    ['charset=latin1', { 'content-type': 'application/json; charset=latin1' }, 'Content-Type', /charset "latin1" is not supported: send charset=utf-8/],
    [
      'Content-Encoding: x-unknown',
      { 'content-type': 'application/json', 'content-encoding': 'x-unknown' },
      'Content-Encoding',
      /"x-unknown" is not supported/,
    ],
  ])('%s is a 415 naming the header and what to send, and creates nothing', async (_label, headers, path, words) => {
    const before = t.configText();
    const res = await send('POST', '/workspaces', headers, JSON.stringify({ name: 'Latin', root_path: '/tmp/latin' }));
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    expect(res.body.error.details).toEqual([{ path, message: expect.stringMatching(words) }]);
    expect(t.configText()).toBe(before);
  });
});

describe('POST /mcp with a body that is not declared JSON', () => {
  it('is a 415 naming the header, on an established session as without one (not a message error)', async () => {
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', t.url), { requestInit: { headers: { authorization: `Bearer ${t.token}` } } });
    const client = new Client({ name: 'content-type-it', version: '1.0.0' });
    await client.connect(transport);
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const mcp = (headers: Record<string, string>) =>
      rawRequest(
        t.url,
        'POST',
        '/mcp',
        { host: new URL(t.url).host, authorization: `Bearer ${t.token}`, accept: 'application/json, text/event-stream', ...headers },
        list,
      );
    for (const withSession of [true, false]) {
      const res = await mcp({ 'content-type': 'application/xml', ...(withSession ? { 'mcp-session-id': transport.sessionId! } : {}) });
      expect(res.status).toBe(415);
      expect(res.body.error.message).toBe('Unsupported Media Type: send Content-Type: application/json');
    }
    // The session is untouched: the same request as JSON is served on it.
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });
});
