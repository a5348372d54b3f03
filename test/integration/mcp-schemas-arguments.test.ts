// Schemas and arguments every client and server accepts (issue 15, faults 12 and 2), through a
// real gateway: tools whose inputSchema has no "type" (or cannot be repaired) no longer break the
// strictest clients' listTools() (the SDK v2 and v1 clients), and the unrepairable ones are named
// in health; JSON text sent to a string parameter reaches server-everything's echo and
// server-filesystem's write_file byte for byte.
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addSpecServer, reached, scratchDir } from '../helpers/original-harness.js';
import { addServer, connectHttp, everythingStdioBody, text } from '../helpers/mcp.js';
import type { Client } from '@modelcontextprotocol/client';

const FILESYSTEM = fileURLToPath(new URL('../../node_modules/@modelcontextprotocol/server-filesystem/dist/index.js', import.meta.url));

let t: TestGateway;
const dir = scratchDir();
const files = realpathSync(mkdtempSync(path.join(tmpdir(), 'mcplexer-fs-')));
let client: Client;
let schemasId = '';

beforeAll(async () => {
  t = await startTestGateway();
  const schemas = await addSpecServer(t, dir, 'schemas', [
    { name: 'no_type', inputSchema: { properties: { q: { type: 'string' } }, required: ['q'] } },
    { name: 'no_type_either', inputSchema: { anyOf: [{ required: ['a'] }, { required: ['b'] }] } },
    { name: 'string_type', inputSchema: { type: 'string' } },
    { name: 'null_schema', inputSchema: null },
    { name: 'fine', inputSchema: { type: 'object', properties: { config: { type: 'object' } } } },
  ]);
  schemasId = schemas.id;
  await addServer(t, everythingStdioBody('everything'));
  await addServer(t, { name: 'Files', namespace: 'fs', command: process.execPath, args: [FILESYSTEM, files] });
  client = await connectHttp(t);
});
afterAll(async () => {
  await client?.close().catch(() => undefined);
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

describe('fault 12: a tool schema without "type" does not break any client', () => {
  it("the SDK v2 client's listTools() gets every server's tools, the typeless ones as objects", async () => {
    const tools = (await client.listTools()).tools;
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get('schemas__no_type')?.inputSchema).toMatchObject({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] });
    expect(byName.get('schemas__no_type_either')?.inputSchema).toMatchObject({ type: 'object', anyOf: [{ required: ['a'] }, { required: ['b'] }] });
    expect(byName.has('schemas__fine')).toBe(true);
    expect(byName.has('everything__echo')).toBe(true);
    expect(byName.has('fs__write_file')).toBe(true);
    expect(byName.has('schemas__string_type')).toBe(false);
    expect(byName.has('schemas__null_schema')).toBe(false);
  });

  it("the SDK v1 client's listTools() too, and a repaired tool answers calls", async () => {
    const v1 = new V1Client({ name: 'v1-schemas', version: '1.0.0' });
    await v1.connect(new V1Transport(new URL(`${t.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${t.token}` } } }));
    try {
      const names = (await v1.listTools()).tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['schemas__no_type', 'schemas__no_type_either', 'schemas__fine', 'everything__echo']));
      expect(reached(await v1.callTool({ name: 'schemas__no_type', arguments: { q: 'x' } })).tool).toBe('no_type');
    } finally {
      await v1.close();
    }
  });

  it('health names the tools left out and says why', async () => {
    const health = (await t.api('GET', `/downstreams/${schemasId}/health`)).body;
    expect(health.warnings).toEqual([
      'tool "string_type" is not listed: its inputSchema has "type": "string"; MCP requires "type": "object" at the top',
      expect.stringContaining('tool "null_schema" is not listed: its inputSchema is null'),
    ]);
  });
});

describe('fault 2: JSON text for a string parameter reaches the server as sent', () => {
  it("server-everything's echo gets the JSON text, not an object", async () => {
    for (const message of ['{"status":"ok","items":[1,2]}', '[1, "two", {"three": 3}]', ' {"padded": true}']) {
      const result = await client.callTool({ name: 'everything__echo', arguments: { message } });
      expect(result.isError ?? false).toBe(false);
      expect(text(result)).toBe(`Echo: ${message}`);
    }
  });

  it("a package.json written through server-filesystem's write_file round-trips byte for byte", async () => {
    const json = `${JSON.stringify({ name: 'demo', version: '1.0.0', scripts: { test: 'vitest' } }, null, 2)}\n`;
    for (const [name, content] of [
      ['package.json', json],
      ['list.json', '[{"a":1},{"b":[2,3]}]'],
    ] as const) {
      const target = path.join(files, name);
      const result = await client.callTool({ name: 'fs__write_file', arguments: { path: target, content } });
      expect(result.isError ?? false, text(result)).toBe(false);
      expect(readFileSync(target, 'utf8')).toBe(content);
    }
  });

  it('a property the schema types as object still gets JSON text parsed', async () => {
    expect(reached(await client.callTool({ name: 'schemas__fine', arguments: { config: '{"depth":2}' } })).args).toEqual({ config: { depth: 2 } });
  });
});
