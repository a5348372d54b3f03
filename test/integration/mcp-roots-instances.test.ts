// A client's roots key the downstream instances its calls use (a trial of the protocol against
// direct connections): sessions with different roots never share a process, so server-filesystem,
// which bounds what it may touch by the client's roots, never lets one session read inside
// another's folders; and the instance answers the server's roots/list with its sessions' roots
// itself, so a server that asks after a quick first call (server-everything) hears the client's
// roots rather than an empty list made up on its behalf. A header choosing the workspace does not
// spare the roots: they are asked all the same. The tool-call cache keeps such sessions apart too.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, everythingStdioBody, text } from '../helpers/mcp.js';

const FILESYSTEM = fileURLToPath(new URL('../../node_modules/@modelcontextprotocol/server-filesystem/dist/index.js', import.meta.url));
const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'mcplexer-roots-')));
const [dirA, dirB, dirC, shared] = ['a', 'b', 'c', 'shared'].map((name) => path.join(base, name)) as [string, string, string, string];
let t: TestGateway;
const clients: Client[] = [];

/** An SDK client declaring roots, answering roots/list with `dir`; `headers` as it sends them. */
async function session(dir: string, headers: Record<string, string> = {}): Promise<{ client: Client; asked: () => number }> {
  let asked = 0;
  const client = new Client({ name: 'roots-it', version: '1.0.0' }, { capabilities: { roots: {} } });
  client.setRequestHandler('roots/list', async () => {
    asked += 1;
    return { roots: [{ uri: pathToFileURL(dir).href, name: path.basename(dir) }] };
  });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', t.url), { requestInit: { headers: { authorization: `Bearer ${t.token}`, ...headers } } }),
  );
  clients.push(client);
  return { client, asked: () => asked };
}

const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => {
  const result = (await client.callTool({ name, arguments: args })) as { isError?: boolean };
  return { error: result.isError === true, text: text(result) };
};

beforeAll(async () => {
  for (const dir of [dirA, dirB, dirC, shared]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dirA, 'private.txt'), 'private to A');
  writeFileSync(path.join(dirB, 'b.txt'), 'in B');
  t = await startTestGateway();
  await addServer(t, { name: 'Files', namespace: 'fs', command: process.execPath, args: [FILESYSTEM, shared] });
  await addServer(t, everythingStdioBody('ev'));
}, 60_000);
afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await t?.close();
});

describe('roots key the downstream instances', () => {
  it('a session never reads inside another session’s roots through a shared server-filesystem', async () => {
    const a = await session(dirA);
    // server-filesystem takes the roots it asks for after initialize, a moment after the first call.
    const allowedTo = (client: Client, dir: string) =>
      waitFor(async () => {
        const listed = (await call(client, 'fs__list_allowed_directories', { _cache_bust: true })).text;
        return listed.includes(dir) ? listed : undefined;
      });
    await allowedTo(a.client, dirA);
    expect((await call(a.client, 'fs__read_text_file', { path: path.join(dirA, 'private.txt') })).text).toBe('private to A');

    const b = await session(dirB);
    const stolen = await call(b.client, 'fs__read_text_file', { path: path.join(dirA, 'private.txt') });
    expect(stolen.error).toBe(true);
    expect(stolen.text).not.toContain('private to A');
    expect(await allowedTo(b.client, dirB)).not.toContain(dirA);
    expect((await call(b.client, 'fs__read_text_file', { path: path.join(dirA, 'private.txt') })).error).toBe(true);
    expect((await call(b.client, 'fs__read_text_file', { path: path.join(dirB, 'b.txt') })).text).toBe('in B');
  });

  it('with a header choosing the workspace, the roots are still asked and still keep sessions apart', async () => {
    const c = await session(dirC, { 'x-mcplexer-workspace': base });
    expect((await call(c.client, 'fs__read_text_file', { path: path.join(dirA, 'private.txt') })).error).toBe(true);
    expect(c.asked()).toBeGreaterThan(0);
    const allowed = await waitFor(async () => {
      const listed = (await call(c.client, 'fs__list_allowed_directories', { _cache_bust: true })).text;
      return listed.includes(dirC) ? listed : undefined;
    });
    expect(allowed).not.toContain(dirA);
    expect((await call(c.client, 'fs__read_text_file', { path: path.join(dirA, 'private.txt') })).error).toBe(true);
  });

  it('a server asking for roots between calls hears the client’s roots, and the cache keeps each session’s answer', async () => {
    const a = await session(dirA);
    expect((await call(a.client, 'ev__echo', { message: 'quick' })).text).toBe('Echo: quick');
    // server-everything asks roots/list ~350 ms after initialized, when no call is in flight.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const rootsA = await call(a.client, 'ev__get-roots-list');
    expect(rootsA.text).toContain(pathToFileURL(dirA).href);
    const b = await session(dirB);
    expect((await call(b.client, 'ev__echo', { message: 'quick' })).text).toBe('Echo: quick');
    await new Promise((resolve) => setTimeout(resolve, 700));
    const rootsB = await call(b.client, 'ev__get-roots-list');
    expect(rootsB.text).toContain(pathToFileURL(dirB).href);
    expect(rootsB.text).not.toContain(pathToFileURL(dirA).href);
  });
});
