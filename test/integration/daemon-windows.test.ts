// Editor windows and their leases (POST/GET /windows, PUT /windows/{id}/lease, DELETE), the idle
// exit they and MCP sessions hold off (`serve --exit-when-idle`), and what a window may create: a
// workspace with `source: "vscode"`. A real gateway on loopback; the CLI test spawns dist/cli.js.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/index.js';
import { createLogger } from '../../src/gateway/log.js';
import { errorPaths, startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { CLI, connectHttp } from '../helpers/mcp.js';

const window = (window_id: string, folders = ['/home/me/a']) => ({ window_id, folders, client: 'vscode', version: '1.103.2' });

describe('windows and their leases', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ env: { MCPLEXER_WINDOW_LEASE_SEC: '1' } });
  });
  afterAll(() => t?.close());

  it('registers (201), renews (200), lists and unregisters (204) windows', async () => {
    const created = await t.api('POST', '/windows', window('w1', ['/home/me/a', '/home/me/b']));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ window_id: 'w1', lease_sec: 1 });
    expect(Date.parse(created.body.expires_at)).toBeGreaterThan(Date.now());
    await t.api('POST', '/windows', window('w2'));
    const renewed = await t.api('PUT', '/windows/w1/lease');
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.body.expires_at)).toBeGreaterThanOrEqual(Date.parse(created.body.expires_at));
    const listed = await t.api('GET', '/windows');
    expect(listed.body.map((w: { window_id: string }) => w.window_id)).toEqual(['w1', 'w2']);
    expect(listed.body[0]).toMatchObject({ folders: ['/home/me/a', '/home/me/b'], client: 'vscode', version: '1.103.2' });
    expect((await t.api('DELETE', '/windows/w2')).status).toBe(204);
    expect((await t.api('DELETE', '/windows/w2')).status).toBe(204);
    expect((await t.api('GET', '/windows')).body.map((w: { window_id: string }) => w.window_id)).toEqual(['w1']);
  });

  it('forgets a window that stops renewing; its renewal then answers 404 and it registers again', async () => {
    await t.api('POST', '/windows', window('crashy'));
    const gone = await waitFor(async () => !(await t.api('GET', '/windows')).body.some((w: { window_id: string }) => w.window_id === 'crashy'), 5_000);
    expect(gone).toBe(true);
    const renewal = await t.api('PUT', '/windows/crashy/lease');
    expect(renewal.status).toBe(404);
    expect(renewal.body.error.message).toMatch(/register it again with POST \/api\/v1\/windows/);
    expect((await t.api('POST', '/windows', window('crashy'))).status).toBe(201);
  });

  it('refuses a bad registration naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...window('x'), folders: ['relative/dir'] }, 'folders.0'],
      [{ ...window('x'), folders: 'not-a-list' }, 'folders'],
      [{ ...window(''), window_id: '' }, 'window_id'],
      [{ folders: [], client: 'vscode', version: '1' }, 'window_id'],
      [{ ...window('x'), extra: true }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await t.api('POST', '/windows', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorPaths(res.body)).toContain(field);
    }
  });

  it('accepts source "vscode" on a workspace a window creates, and refuses other sources', async () => {
    const made = await t.api('POST', '/workspaces', { name: 'From VS Code', root_path: '/home/me/vs', source: 'vscode' });
    expect(made.status).toBe(201);
    expect(made.body.source).toBe('vscode');
    expect(t.readConfig().workspaces.find((w) => w.id === made.body.id)?.source).toBe('vscode');
    expect((await t.api('POST', '/workspaces', { name: 'Plain', root_path: '/home/me/plain' })).body.source).toBe('api');
    const refused = await t.api('POST', '/workspaces', { name: 'Y', root_path: '/home/me/y', source: 'yaml' });
    expect(refused.status).toBe(400);
    expect(errorPaths(refused.body)).toEqual(['source']);
  });

  it('answers 403 to a vscode-webview:// Origin on /api/v1 and /mcp (webviews go through the extension)', async () => {
    const origin = { origin: 'vscode-webview://1c2d3e4f-webview-id' };
    for (const apiPath of ['/windows', '/health', '/events', '/visibility?dir=/a']) {
      const res = await t.api('GET', apiPath, undefined, origin);
      expect(res.status, apiPath).toBe(403);
      expect(res.body.error.message).toMatch(/Origin "vscode-webview:\/\/1c2d3e4f-webview-id" is not allowed/);
    }
    expect((await t.api('POST', '/windows', window('webview'), origin)).status).toBe(403);
    const mcp = await fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: { ...origin, authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'w', version: '1' } },
      }),
    });
    expect(mcp.status).toBe(403);
  });
});

describe('exit when idle', () => {
  const homes: string[] = [];
  const running: RunningGateway[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((gw) => gw.stop()));
    for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
  });

  async function idleGateway(exitWhenIdleMinutes: number | undefined) {
    const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-idle-'));
    homes.push(home);
    let stopRequests = 0;
    const gw = await startGateway({
      dataDir: home,
      port: 0,
      lock: true,
      env: {},
      logger: createLogger('error'),
      exitWhenIdleMinutes,
      onStopRequest: () => {
        stopRequests += 1;
        void gw.stop();
      },
    });
    running.push(gw);
    const api = (method: string, apiPath: string, body?: unknown) =>
      fetch(`${gw.url}/api/v1${apiPath}`, {
        method,
        headers: { authorization: `Bearer ${gw.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    return { gw, home, api, stopRequests: () => stopRequests };
  }

  it('stays while either of two windows holds a lease, and stops (releasing the lock) once both left', async () => {
    const { gw, home, api, stopRequests } = await idleGateway(1 / 60); // one second
    await api('POST', '/windows', window('one'));
    await api('POST', '/windows', window('two'));
    await api('DELETE', '/windows/one');
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    expect(stopRequests()).toBe(0);
    expect((await fetch(`${gw.url}/api/v1/health`)).status).toBe(200);
    await api('DELETE', '/windows/two');
    expect(await waitFor(() => stopRequests() === 1, 5_000)).toBe(true);
    expect(await waitFor(() => !existsSync(path.join(home, 'gateway.lock')), 5_000)).toBe(true);
  });

  it('stays while an MCP session is open', async () => {
    const { gw, stopRequests } = await idleGateway(1 / 60);
    const client = await connectHttp(gw);
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    expect(stopRequests()).toBe(0);
    // Ending the session (DELETE /mcp) is what frees the daemon; a client that just vanishes is expired by session_idle_timeout_sec.
    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    await client.close();
    expect(await waitFor(() => stopRequests() === 1, 5_000)).toBe(true);
  });

  it('never stops by itself without --exit-when-idle (headless npm start)', async () => {
    const { gw, stopRequests } = await idleGateway(undefined);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(stopRequests()).toBe(0);
    expect((await fetch(`${gw.url}/api/v1/health`)).status).toBe(200);
  });

  it('mcplexer serve --exit-when-idle exits with status 0 and removes its lock; a bad value is refused', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.mjs" (npm test builds it first)`);
    const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-idle-cli-'));
    homes.push(home);
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--home', home, ...args], {
          env: { PATH: process.env.PATH },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('exit', (code) => {
          clearTimeout(killer);
          resolve({ code, stderr });
        });
      });
    const started = Date.now();
    const idle = await run(['--exit-when-idle', '0.02']);
    expect(idle.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(existsSync(path.join(home, 'gateway.lock'))).toBe(false);
    expect(readFileSync(path.join(home, 'api-token'), 'utf8').length).toBeGreaterThan(32);
    const bad = await run(['--exit-when-idle', 'soon']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/invalid --exit-when-idle "soon": give a number of minutes/);
  }, 30_000);
});
