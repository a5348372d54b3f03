/**
 * `POST /mcp-install/{client}/import` end to end, on a real gateway and a real server: a Claude
 * Desktop entry running server-memory is imported, discovered, and its tool called through the
 * gateway's /mcp. Its env values never appear in an API answer and are sealed in config.json; a
 * second import adds nothing (the entry is `exists` now). A VS Code entry's `${env:…}` is stored as
 * MCPlexer's `${…}` and a disabled one is imported disabled; a name not in the file is skipped.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importableServersSchema, importResultSchema } from '../../src/shared/schemas/mcp-import.js';
import { fakeUser, type FakeUser } from '../helpers/client-dirs.js';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { connectHttp, MEMORY, text } from '../helpers/mcp.js';

let user: FakeUser;
let t: TestGateway;
let graphDir: string;
let client: Client | undefined;
const SECRET = 'sk-e2e-import-secret-9931';

beforeAll(async () => {
  user = fakeUser();
  graphDir = mkdtempSync(path.join(tmpdir(), 'mcplexer-import-memory-'));
  t = await startTestGateway({ env: { ...user.env, PATH: process.env.PATH } });
}, 30_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
  user?.remove();
  rmSync(graphDir, { recursive: true, force: true });
});

function writeConfig(id: string, value: unknown): string {
  const file = user.detect(id);
  writeFileSync(file, JSON.stringify(value, null, 2));
  const hourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(file, hourAgo, hourAgo);
  return file;
}

describe('import a client entry and use it through the gateway', () => {
  it('imports server-memory from Claude Desktop; its tool answers through /mcp; values sealed; a second import adds nothing', async () => {
    const memoryFile = path.join(graphDir, 'memory.jsonl');
    writeConfig('claude_desktop', {
      mcpServers: { memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: memoryFile, API_TOKEN: SECRET } } },
    });
    expect(importableServersSchema.parse(await t.client.importableServers('claude_desktop')).servers).toMatchObject([
      { name: 'memory', status: 'new', namespace: 'memory', env_names: ['MEMORY_FILE_PATH', 'API_TOKEN'] },
    ]);
    const res = await t.api('POST', '/mcp-install/claude_desktop/import', {});
    expect(res.status, res.text).toBe(200);
    expect(importResultSchema.parse(res.body)).toEqual({ imported: [{ name: 'memory', server_id: expect.any(String), namespace: 'memory' }], skipped: [] });
    const id = res.body.imported[0].server_id;

    client = await connectHttp(t);
    const tools = await waitFor(async () => {
      const names = (await client!.listTools()).tools.map((tool) => tool.name);
      return names.includes('memory__create_entities') ? names : undefined;
    }, 20_000);
    expect(tools).toContain('memory__read_graph');
    const created = await client.callTool({
      name: 'memory__create_entities',
      arguments: { entities: [{ name: 'Imported', entityType: 'test', observations: ['through the gateway'] }] },
    });
    expect(created.isError).toBeFalsy();
    expect(text(await client.callTool({ name: 'memory__read_graph', arguments: {} }))).toContain('through the gateway');

    // Values: in no answer, sealed at rest.
    for (const answer of [
      await t.api('GET', '/downstreams'),
      await t.api('GET', `/downstreams/${id}`),
      await t.api('GET', '/mcp-install/claude_desktop/servers'),
    ]) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(SECRET);
    }
    expect(t.configText()).not.toContain(SECRET);
    expect(t.configText()).not.toContain(memoryFile);

    // Again: the entry is in MCPlexer now, nothing is added twice.
    const count = t.readConfig().downstreams.length;
    const servers = (await t.client.importableServers('claude_desktop')).servers;
    expect(servers).toMatchObject([{ name: 'memory', status: 'exists', existing_server_id: id, namespace: 'memory' }]);
    expect(importResultSchema.parse(await t.client.importServers('claude_desktop'))).toEqual({ imported: [], skipped: [] });
    expect(await t.client.importServers('claude_desktop', ['memory', 'gone'])).toEqual({
      imported: [],
      skipped: [
        { name: 'gone', reason: expect.stringContaining('there is no entry "gone"') },
        { name: 'memory', reason: expect.stringContaining('already in MCPlexer') },
      ],
    });
    expect(t.readConfig().downstreams).toHaveLength(count);
  }, 60_000);

  it('VS Code: only the named entry; ${env:X} stored as ${X}; a disabled entry imported disabled', async () => {
    writeConfig('vscode', {
      servers: {
        one: { type: 'stdio', command: 'node', args: ['one.js'], env: { WHERE: '${env:HOME}/x' } },
        two: { type: 'stdio', command: 'node', args: ['two.js'], disabled: true },
      },
    });
    const first = await t.client.importServers('vscode', ['one']);
    expect(first.imported.map((i) => i.name)).toEqual(['one']);
    const one = (await t.api('GET', `/downstreams/${first.imported[0]!.server_id}`)).body;
    expect(one).toMatchObject({ name: 'one', namespace: 'one', command: 'node', args: ['one.js'], env: { WHERE: '${HOME}/x' }, enabled: true });
    const rest = await t.client.importServers('vscode');
    expect(rest.imported.map((i) => [i.name, i.namespace])).toEqual([['two', 'two']]);
    expect((await t.api('GET', `/downstreams/${rest.imported[0]!.server_id}`)).body).toMatchObject({ enabled: false });
  });
});
