// POST /api/v1/drain with a call in flight: new MCP sessions are refused at once (503 naming the
// drain, on both eras), health says `draining` with the pid, the call in flight finishes with its
// result, and then the daemon stops and releases its lock. A real gateway and server-everything.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/index.js';
import { createLogger } from '../../src/gateway/log.js';
import { waitFor } from '../helpers/gateway.js';
import { connectHttp, EVERYTHING, text } from '../helpers/mcp.js';

let gw: RunningGateway;
let home: string;
let stopRequests = 0;

const api = (method: string, apiPath: string, body?: unknown) =>
  fetch(`${gw.url}/api/v1${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${gw.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const initialize = (protocolVersion: string) =>
  fetch(`${gw.url}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${gw.token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': protocolVersion,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'initialize',
      params: { protocolVersion, capabilities: {}, clientInfo: { name: 'late', version: '1' } },
    }),
  });

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'mcplexer-drain-'));
  gw = await startGateway({
    dataDir: home,
    port: 0,
    lock: true,
    env: {},
    logger: createLogger('error'),
    onStopRequest: () => {
      stopRequests += 1;
      void gw.stop();
    },
  });
  const created = await api('POST', '/downstreams', { name: 'Everything', command: process.execPath, args: [EVERYTHING, 'stdio'], namespace: 'ev' });
  expect(created.status).toBe(201);
}, 30_000);
afterAll(async () => {
  await gw?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('drain', () => {
  it('refuses new sessions, lets the call in flight finish, then stops and releases the lock', async () => {
    const client = await connectHttp(gw);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('ev__trigger-long-running-operation');
    const before: any = await (await api('GET', '/health')).json();
    expect(before).toMatchObject({ draining: false, pid: process.pid });

    const inFlight = client.callTool({ name: 'ev__trigger-long-running-operation', arguments: { duration: 2, steps: 2 } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const drained = await api('POST', '/drain');
    expect(drained.status).toBe(202);
    expect(await drained.json()).toEqual({ draining: true, in_flight: 1 });

    const health: any = await (await api('GET', '/health')).json();
    expect(health).toMatchObject({ draining: true, pid: process.pid });
    const publicHealth: any = await (await fetch(`${gw.url}/api/v1/health`)).json();
    expect(publicHealth).not.toHaveProperty('pid');

    for (const version of ['2025-11-25', '2025-03-26']) {
      const late = await initialize(version);
      expect(late.status, version).toBe(503);
      const body: any = await late.json();
      expect(body.error.message).toMatch(/the gateway is draining \(POST \/api\/v1\/drain\)/);
      expect(body.error.data.code).toBe('draining');
      expect(body.id).toBe(7);
    }
    // A 2026-era request opens a per-request session: refused too.
    const modern = await fetch(`${gw.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${gw.token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'server/discover', params: {} }),
    });
    expect(modern.status).toBe(503);
    expect(((await modern.json()) as any).error.message).toMatch(/draining/);

    // A second drain answers the same and starts nothing.
    expect(await (await api('POST', '/drain')).json()).toEqual({ draining: true, in_flight: 1 });
    expect(stopRequests).toBe(0);

    const result = await inFlight;
    expect(text(result)).toMatch(/Long running operation completed/);
    expect(await waitFor(() => stopRequests === 1, 5_000)).toBe(true);
    expect(await waitFor(() => !existsSync(path.join(home, 'gateway.lock')), 5_000)).toBe(true);
    await client.close().catch(() => undefined);
  }, 30_000);
});
