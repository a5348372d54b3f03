// GET /api/v1/events: the daemon's Server-Sent Events against a real gateway — each type from a
// real cause (a window, a REST edit, a server starting and its discovery), ids and `Last-Event-ID`
// replay, `resync` once the ring of 1000 moved past it, pings, and the token and Origin checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/index.js';
import { createLogger } from '../../src/gateway/log.js';
import { EVERYTHING } from '../helpers/mcp.js';
import { openSse, type SseReader } from '../helpers/sse.js';

let gw: RunningGateway;
let home: string;
const readers: SseReader[] = [];

const api = (method: string, apiPath: string, body?: unknown) =>
  fetch(`${gw.url}/api/v1${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${gw.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function events(headers: Record<string, string> = {}): Promise<SseReader> {
  const reader = await openSse(`${gw.url}/api/v1/events`, { authorization: `Bearer ${gw.token}`, ...headers });
  readers.push(reader);
  return reader;
}

const window = (window_id: string) => ({ window_id, folders: ['/home/me/a'], client: 'vscode', version: '1.103.2' });

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'mcplexer-events-'));
  gw = await startGateway({ dataDir: home, port: 0, lock: false, env: {}, logger: createLogger('error'), eventPingMs: 300 });
});
afterEach(() => {
  for (const reader of readers.splice(0)) reader.close();
});
afterAll(async () => {
  await gw?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('GET /events', () => {
  it('streams each event type with ids, from real causes', async () => {
    const stream = await events();
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);

    await api('POST', '/windows', window('w1'));
    const windows = await stream.next((f) => f.event === 'windows.changed');
    expect(windows.data).toEqual({});

    await api('POST', '/workspaces', { name: 'proj', root_path: '/home/me/proj' });
    expect((await stream.next((f) => f.event === 'config.changed')).data).toEqual({ kinds: ['workspaces'] });

    const created: any = await (
      await api('POST', '/downstreams', { name: 'Everything', command: process.execPath, args: [EVERYTHING, 'stdio'], namespace: 'ev' })
    ).json();
    expect((await api('POST', `/downstreams/${created.id}/discover`)).status).toBe(200);
    const ready = await stream.next((f) => f.event === 'downstream.state' && f.data.state === 'ready', 15_000);
    expect(ready.data).toMatchObject({ server_id: created.id, scope_id: null });
    expect((await stream.next((f) => f.event === 'tools.changed')).data).toEqual({ server_id: created.id });
    const changed = stream.frames.filter((f) => f.event === 'config.changed').map((f) => f.data.kinds);
    expect(changed).toContainEqual(['downstreams']);

    const ids = stream.frames.filter((f) => f.id !== undefined).map((f) => Number(f.id));
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  }, 30_000);

  it('replays what a client missed after Last-Event-ID, and nothing it saw', async () => {
    const first = await events();
    await api('POST', '/windows', window('r1'));
    const seen = await first.next((f) => f.event === 'windows.changed');
    first.close();
    await api('POST', '/windows', window('r2'));
    await api('DELETE', '/windows/r1');
    await api('PUT', '/settings', { log_level: 'warn' });
    const resumed = await events({ 'last-event-id': seen.id! });
    const settings = await resumed.next((f) => f.event === 'config.changed');
    expect(settings.data).toEqual({ kinds: ['settings'] });
    const replayed = resumed.frames.filter((f) => f.id !== undefined);
    expect(replayed.map((f) => f.event)).toEqual(['windows.changed', 'windows.changed', 'config.changed']);
    expect(replayed.map((f) => Number(f.id))).toEqual([1, 2, 3].map((n) => Number(seen.id) + n));
  });

  it('sends resync when the ring of 1000 events moved past Last-Event-ID, or the id is from an earlier daemon', async () => {
    const start = await events();
    await api('POST', '/windows', window('old'));
    const old = await start.next((f) => f.event === 'windows.changed');
    start.close();
    for (let i = 0; i < 1001; i += 1) await api('PUT', '/windows/old/lease').then(() => api('POST', '/windows', window(`n${i % 2}`)));
    const late = await events({ 'last-event-id': old.id! });
    const resync = await late.next((f) => f.event === 'resync');
    expect(resync.data).toEqual({});
    expect(Number(resync.id)).toBeGreaterThan(Number(old.id) + 1000);
    expect(late.frames.filter((f) => f.event === 'windows.changed')).toEqual([]);
    const future = await events({ 'last-event-id': '99999999' });
    expect((await future.next((f) => f.event !== undefined)).event).toBe('resync');
  }, 60_000);

  it('pings every interval with a comment', async () => {
    const stream = await events();
    await stream.next((f) => f.comment === 'ping', 3_000);
  });

  it('refuses a bad Last-Event-ID naming it, a missing token, and a foreign Origin', async () => {
    const bad = await fetch(`${gw.url}/api/v1/events`, { headers: { authorization: `Bearer ${gw.token}`, 'last-event-id': 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.details).toEqual([{ path: 'Last-Event-ID', message: 'must be the id of an event (a non-negative integer)' }]);
    expect((await fetch(`${gw.url}/api/v1/events`)).status).toBe(401);
    expect((await fetch(`${gw.url}/api/v1/events`, { headers: { authorization: `Bearer ${gw.token}`, origin: 'http://evil.example' } })).status).toBe(403);
  });
});
