// GET /audit and GET /audit/stream on a real gateway (server-everything over stdio, SDK clients):
// the `error_code` filter (issue 18's Audit view filters by it), and the stream taking every filter
// of GET /audit — it once applied only workspace, tool and status, so a stream asked for one
// session, one error code or a time window got every record. Live and replayed events agree.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorPaths, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody } from '../helpers/mcp.js';
import { openSse } from '../helpers/sse.js';

let t: TestGateway;
let dir: string;
let a: Client;
let b: Client;
const sessionOf = (c: Client) => (c.transport as unknown as { sessionId: string }).sessionId;
const audit = async (query: string) => {
  const res = await t.api('GET', `/audit${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body as { data: Array<Record<string, any>>; total: number };
};

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, everythingStdioBody('ev'));
  dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-audit-filters-'));
  const ws = (await t.api('POST', '/workspaces', { name: 'Filters', root_path: dir, default_policy: 'allow' })).body.id;
  await t.api('POST', '/routes', { workspace_id: ws, tool_pattern: 'ev__get-sum', policy: 'deny' });
  a = await connectHttp(t, { headers: { 'X-MCPlexer-Workspace': dir } });
  b = await connectHttp(t, { headers: { 'X-MCPlexer-Workspace': dir } });
  await a.listTools();
  await b.listTools();
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([a?.close(), b?.close()]);
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('GET /audit?error_code=', () => {
  it('keeps only the records with that code (tool_error, denied), with the matching total', async () => {
    await a.callTool({ name: 'ev__echo', arguments: { message: 'fine' } });
    await a.callTool({ name: 'ev__echo', arguments: { message: 42 } });
    await a.callTool({ name: 'ev__echo', arguments: { message: 43 } });
    await a.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 2 } }).catch(() => undefined);
    const session = sessionOf(a);
    const toolErrors = await audit(`?session_id=${session}&error_code=tool_error`);
    expect(toolErrors.total).toBe(2);
    expect(toolErrors.data.map((r) => r.params_redacted.message)).toEqual([43, 42]);
    const denied = await audit(`?session_id=${session}&error_code=denied`);
    expect(denied.total).toBe(1);
    expect(denied.data[0]).toMatchObject({ status: 'blocked', error_code: 'denied', tool_name: 'ev__get-sum' });
    expect((await audit(`?session_id=${session}&error_code=timeout`)).total).toBe(0);
    expect((await audit(`?session_id=${session}`)).total).toBe(4);
  });

  it.each([
    ['/audit?error_code=no%20route'],
    ['/audit?error_code=tool_error*'],
    ['/audit?error_code=denied&error_code=timeout'],
    ['/audit/stream?error_code=%3Cx%3E'],
  ])('%s is a 400 naming error_code', async (query) => {
    const res = await t.api('GET', query);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(errorPaths(res.body)).toEqual(['error_code']);
  });
});

describe('GET /audit/stream takes every filter of GET /audit', () => {
  it('session_id: another session’s records do not arrive', async () => {
    const stream = await openSse(t, `/audit/stream?session_id=${sessionOf(a)}`);
    try {
      await b.callTool({ name: 'ev__echo', arguments: { message: 'from b' } });
      await a.callTool({ name: 'ev__echo', arguments: { message: 'from a' } });
      const event = JSON.parse((await stream.next(5_000)).data);
      expect(event).toMatchObject({ session_id: sessionOf(a), params_redacted: { message: 'from a' } });
    } finally {
      stream.close();
    }
  });

  it('error_code: only those records, live and replayed after Last-Event-ID', async () => {
    const stream = await openSse(t, `/audit/stream?session_id=${sessionOf(b)}&error_code=tool_error`);
    let lastId: string;
    try {
      await b.callTool({ name: 'ev__echo', arguments: { message: 'ok' } });
      await b.callTool({ name: 'ev__echo', arguments: { message: 7 } });
      const event = await stream.next(5_000);
      expect(JSON.parse(event.data)).toMatchObject({ error_code: 'tool_error', params_redacted: { message: 7 } });
      lastId = event.id!;
    } finally {
      stream.close();
    }
    await b.callTool({ name: 'ev__echo', arguments: { message: 'ok again' } });
    await b.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 1 } }).catch(() => undefined);
    await b.callTool({ name: 'ev__echo', arguments: { message: 8 } });
    const resumed = await openSse(t, `/audit/stream?session_id=${sessionOf(b)}&error_code=tool_error`, { 'last-event-id': lastId });
    try {
      const replayed = JSON.parse((await resumed.next(5_000)).data);
      expect(replayed).toMatchObject({ error_code: 'tool_error', params_redacted: { message: 8 } });
      await b.callTool({ name: 'ev__get-sum', arguments: { a: 2, b: 2 } }).catch(() => undefined);
      await b.callTool({ name: 'ev__echo', arguments: { message: 9 } });
      expect(JSON.parse((await resumed.next(5_000)).data)).toMatchObject({ error_code: 'tool_error', params_redacted: { message: 9 } });
    } finally {
      resumed.close();
    }
  });

  it('before: a window in the past gets no live record; after: a window from now gets them', async () => {
    const past = await openSse(t, `/audit/stream?session_id=${sessionOf(a)}&before=2000-01-01T00:00:00Z`);
    const fromNow = await openSse(t, `/audit/stream?session_id=${sessionOf(a)}&after=${new Date(Date.now() - 1000).toISOString()}`);
    try {
      await a.callTool({ name: 'ev__echo', arguments: { message: 'windowed' } });
      expect(JSON.parse((await fromNow.next(5_000)).data).params_redacted).toEqual({ message: 'windowed' });
      await expect(past.next(500)).rejects.toThrow(/no event/);
    } finally {
      past.close();
      fromNow.close();
    }
  });
});
