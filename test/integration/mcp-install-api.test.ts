/**
 * mcp-install through the REST API and the shared RestClient, against a real gateway whose HOME,
 * APPDATA, XDG_CONFIG_HOME and CODEX_HOME are a temp dir: every answer fits its wire schema
 * (src/shared/schemas/mcp-install.ts) with nothing stripped; refusals are 404/409/422 with the
 * position; `stale` follows a real port change and a real token change (gateway restarts); and the
 * written entries work: a real SDK client started exactly from the entry read back from the file
 * (claude_desktop's stdio entry, cursor's URL and headers, codex's TOML table) lists and calls
 * server-everything's tools through the gateway.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CLIENTS } from '../../src/gateway/clients/index.js';
import { copyCliToDataDir, stableCliPath } from '../../src/shared/node/index.js';
import { ApiError } from '../../src/shared/rest-client.js';
import { clientStateSchema, installPreviewSchema, installStatusSchema } from '../../src/shared/schemas/mcp-install.js';
import { fakeUser, type FakeUser } from '../helpers/client-dirs.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, CLI, everythingStdioBody, killStrayGateway, text } from '../helpers/mcp.js';

let user: FakeUser;
let t: TestGateway;
const clients: Client[] = [];

function pinned<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.parse(value);
  expect(parsed).toEqual(value);
  return parsed;
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

async function start(home?: string): Promise<TestGateway> {
  return startTestGateway({ env: user.env, lock: true, ...(home ? { home } : {}) });
}

/** Lists the tools and calls `ev__echo` through a client started from a written entry. */
async function roundTrip(transport: StdioClientTransport | StreamableHTTPClientTransport, message: string): Promise<void> {
  const client = new Client({ name: 'installed-entry', version: '1.0.0' });
  clients.push(client);
  await client.connect(transport);
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name)).toContain('ev__echo');
  expect(text(await client.callTool({ name: 'ev__echo', arguments: { message } }))).toContain(message);
  await client.close();
}

beforeAll(async () => {
  user = fakeUser();
  t = await start();
  // What the extension does at activation (and `mcplexer install` before it asks): the stable bridge copy.
  await copyCliToDataDir(CLI, t.home);
  await addServer(t, everythingStdioBody('ev'));
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await t?.close();
  killStrayGateway(t.home);
  user?.remove();
});

describe('GET /mcp-install/status', () => {
  it('lists every client of the registry in order, with the bridge path and the stdio entry, fitting the wire schema', async () => {
    user.detect('cursor');
    const status = pinned(installStatusSchema, await t.client.installStatus());
    expect(status.clients.map((c) => c.id)).toEqual(CLIENTS.map((c) => c.id));
    expect(status.binary_path).toBe(stableCliPath(t.home));
    expect(status.server_entry).toEqual({ command: process.execPath, args: [stableCliPath(t.home), 'connect'], env: { MCPLEXER_HOME: t.home } });
    expect(status.clients.find((c) => c.id === 'cursor')).toEqual({
      id: 'cursor',
      name: 'Cursor',
      config_path: path.join(user.env.HOME!, '.cursor', 'mcp.json'),
      detected: true,
      configured: false,
      stale: false,
    });
    expect(status.clients.find((c) => c.id === 'windsurf')).toMatchObject({ detected: false, configured: false });
  });
});

describe('refusals', () => {
  it('unknown client → 404; not detected → 409; uninstall when not configured → 409; malformed → 422 with line and column, file untouched', async () => {
    expect(await refusal(t.client.installClient('notepad'))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await refusal(t.client.installPreview('no_such_client'))).toMatchObject({ status: 404 });
    expect(await refusal(t.client.installClient('windsurf'))).toMatchObject({ status: 409, code: 'conflict' });
    user.detect('lm_studio');
    expect(await refusal(t.client.uninstallClient('lm_studio'))).toMatchObject({ status: 409, code: 'conflict' });
    for (const id of ['gemini_cli', 'codex', 'continue']) {
      const original = user.fixture(id, 'malformed');
      const error = await refusal(t.client.installClient(id));
      expect(error).toMatchObject({ status: 422, code: 'unprocessable' });
      expect(error.message).toMatch(/at line \d+, column \d+/);
      expect(error.details[0]!.path).toBe(
        `${user.configPath(id)}:${error.message
          .match(/line (\d+), column (\d+)/)!
          .slice(1)
          .join(':')}`,
      );
      expect(readFileSync(user.configPath(id))).toEqual(original);
      expect(existsSync(`${user.configPath(id)}.bak`)).toBe(false);
      expect((await t.client.installStatus()).clients.find((c) => c.id === id)!.error).toMatch(/cannot be parsed/);
    }
  });
});

describe('install, preview, uninstall and what the written entries do', () => {
  it('cursor (Streamable HTTP): the preview is what install writes; a client built from the entry calls tools; uninstall restores the bytes', async () => {
    const original = user.fixture('cursor', 'comments');
    const preview = pinned(installPreviewSchema, await t.client.installPreview('cursor'));
    const state = pinned(clientStateSchema, await t.client.installClient('cursor'));
    expect(state).toMatchObject({ id: 'cursor', detected: true, configured: true, stale: false });
    const written = readFileSync(user.configPath('cursor'), 'utf8');
    expect(written).toBe(preview.content);
    expect(preview.diff).toContain('+        "mcplexer": {');
    const entry = parseJsonc(written).mcpServers.mcplexer; // Cursor reads JSON with comments, as VS Code does
    expect(entry).toEqual({ url: `${t.url}/mcp`, headers: { Authorization: `Bearer ${t.token}` } });
    await roundTrip(new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: entry.headers } }), 'through cursor');
    const undo = pinned(installPreviewSchema, await t.client.installPreview('cursor', 'uninstall'));
    expect(undo.content).toBe(original.toString('utf8'));
    expect(undo.diff).toContain('-        "mcplexer": {');
    pinned(clientStateSchema, await t.client.uninstallClient('cursor'));
    expect(readFileSync(user.configPath('cursor'))).toEqual(original);
    expect(await refusal(t.client.installPreview('cursor', 'uninstall'))).toMatchObject({ status: 409 });
    expect((await t.api('GET', '/mcp-install/cursor/preview?action=remove')).body.error.details).toEqual([
      { path: 'action', message: 'must be one of install, uninstall (got "remove")' },
    ]);
  });

  it('claude_desktop (stdio): the bridge entry, started exactly as written, lists and calls tools through the gateway', async () => {
    user.detect('claude_desktop');
    await t.client.installClient('claude_desktop');
    const entry = JSON.parse(readFileSync(user.configPath('claude_desktop'), 'utf8')).mcpServers.mcplexer;
    expect(entry.command).toBe(process.execPath);
    expect(path.isAbsolute(entry.command)).toBe(true);
    expect(entry.args).toEqual([stableCliPath(t.home), 'connect']);
    await roundTrip(new StdioClientTransport({ command: entry.command, args: entry.args, env: entry.env, stderr: 'pipe' }), 'through claude desktop');
  });

  it('codex (TOML): the [mcp_servers.mcplexer] table, started exactly as written, lists and calls tools', async () => {
    user.fixture('codex', 'comments');
    await t.client.installClient('codex');
    const entry = (parseToml(readFileSync(user.configPath('codex'), 'utf8')) as any).mcp_servers.mcplexer;
    await roundTrip(new StdioClientTransport({ command: entry.command, args: entry.args, env: entry.env, stderr: 'pipe' }), 'through codex');
  });

  it('stale after a real port change and a real token change; installing again makes it fresh', async () => {
    user.fixture('claude_code', 'other');
    await t.client.installClient('claude_code');
    const home = t.home;
    const stateOf = async (id: string) => (await t.client.installStatus()).clients.find((c) => c.id === id)!;
    expect(await stateOf('claude_code')).toMatchObject({ configured: true, stale: false });
    const oldPort = t.gw.port;
    await t.stop();
    t = await start(home); // a new free port
    expect(t.gw.port).not.toBe(oldPort);
    expect(await stateOf('claude_code')).toMatchObject({ configured: true, stale: true });
    expect(await stateOf('claude_desktop')).toMatchObject({ configured: true, stale: false }); // the bridge finds the port itself
    await t.client.installClient('claude_code');
    expect(await stateOf('claude_code')).toMatchObject({ stale: false });
    await t.stop();
    rmSync(path.join(home, 'api-token'));
    t = await start(home); // a new token
    expect(await stateOf('claude_code')).toMatchObject({ stale: true });
    await t.client.installClient('claude_code');
    const entry = JSON.parse(readFileSync(user.configPath('claude_code'), 'utf8')).mcpServers.mcplexer;
    expect(entry).toEqual({ type: 'http', url: `${t.url}/mcp`, headers: { Authorization: `Bearer ${t.token}` } });
    expect(await stateOf('claude_code')).toMatchObject({ stale: false });
  });
});
