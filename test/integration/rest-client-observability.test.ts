/**
 * The shared `RestClient`'s audit, approvals, dashboard and cache methods (issue 17's endpoints)
 * against a real gateway with server-everything and a real SDK client: every answer is checked
 * against its shared wire schema (`src/shared/schemas/{audit,approvals,dashboard}.ts`) with nothing
 * stripped and nothing missing, and the two SSE readers (`auditStream`, `approvalStream`) deliver
 * typed events; the audit stream resumes after `lastEventId` without repeating a record.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { approvalRecordSchema, approvalResolveResultSchema } from '../../src/shared/schemas/approvals.js';
import { auditPageSchema, type AuditRecord } from '../../src/shared/schemas/audit.js';
import { cacheStatsSchema, dashboardSnapshotSchema, DASHBOARD_RANGES } from '../../src/shared/schemas/dashboard.js';
import { ApiError, RestClient } from '../../src/shared/rest-client.js';
import type { SseStream } from '../../src/shared/sse.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { OBSERVABILITY_METHODS } from '../helpers/rest-methods.js';
import { addServer, connectHttp, everythingStdioBody, text } from '../helpers/mcp.js';

let t: TestGateway;
let client: RestClient;
let mcp: Client;
const called = new Set<string>();
const streams: Array<SseStream<unknown>> = [];

function pinned<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.parse(value);
  expect(parsed).toEqual(value);
  return parsed;
}

/** Collects a stream's events; `next` waits (≤ 10 s) for the first one past `from` that matches. */
function collect<T>(stream: SseStream<T>) {
  streams.push(stream as SseStream<unknown>);
  const events: T[] = [];
  const errors: Error[] = [];
  stream.onEvent((event) => events.push(event));
  stream.onError((error) => errors.push(error));
  const opened = new Promise<void>((resolve) => stream.onStatus((status) => status === 'open' && resolve()));
  async function next(match: (event: T) => boolean): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = events.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching event; errors: ${errors.map((e) => e.message).join('; ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return { events, errors, opened, next };
}

beforeAll(async () => {
  t = await startTestGateway();
  const base = new RestClient(t.url, t.token);
  client = new Proxy(base, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      called.add(String(property));
      return value.bind(target);
    },
  });
  await addServer(t, everythingStdioBody('ev'));
  expect((await t.api('POST', '/routes', { id: 'gate-sum', workspace_id: 'global', tool_pattern: 'ev__get-sum', policy: 'approve' })).status).toBe(201);
  mcp = await connectHttp(t);
}, 60_000);
afterAll(async () => {
  for (const stream of streams) stream.close();
  await mcp?.close();
  await t?.close();
});

describe('audit', () => {
  it('pages records that fit the wire schema, and the stream resumes after lastEventId without repeats', async () => {
    const live = collect(client.auditStream({ filter: { tool_name: 'ev__echo' } }));
    await live.opened;
    expect(text(await mcp.callTool({ name: 'ev__echo', arguments: { message: 'one', api_key: 'sk-live_abcdefghijklmnop' } }))).toContain('one');
    const first = await live.next((r) => (r.params_redacted as { message?: string })?.message === 'one');
    expect(first.status).toBe('success');
    expect((first.params_redacted as Record<string, unknown>).api_key).toBe('[REDACTED]');

    const page = pinned(auditPageSchema, await client.listAudit({ tool_name: 'ev__echo', limit: 5 }));
    expect(page.data.map((r) => r.id)).toContain(first.id);
    expect(page.limit).toBe(5);

    // A reader that resumes after the first record gets the second and not the first again.
    await mcp.callTool({ name: 'ev__echo', arguments: { message: 'two' } });
    const resumed = collect(client.auditStream({ filter: { tool_name: 'ev__echo' }, lastEventId: first.id }));
    const second = await resumed.next((r) => (r.params_redacted as { message?: string })?.message === 'two');
    expect(resumed.events.map((r: AuditRecord) => r.id)).not.toContain(first.id);
    expect(Number(second.id)).toBeGreaterThan(Number(first.id));
  });

  it('a bad query comes back as ApiError naming the field', async () => {
    const error = (await client.listAudit({ after: 'yesterday' }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.details?.[0]?.path).toBe('after');
  });
});

describe('approvals', () => {
  it('streams, lists, gets and resolves a pending request; a second resolve is a 409', async () => {
    const live = collect(client.approvalStream());
    await live.opened;
    const call = mcp.callTool({ name: 'ev__get-sum', arguments: { a: 2, b: 3 } });
    const requested = await live.next((e) => e.type === 'pending');
    expect(requested.approval.tool_name).toBe('ev__get-sum');
    const pending = await client.listApprovals();
    for (const record of pending) pinned(approvalRecordSchema, record);
    expect(pending.map((r) => r.id)).toContain(requested.approval.id);
    pinned(approvalRecordSchema, await client.getApproval(requested.approval.id));
    const answer = pinned(approvalResolveResultSchema, await client.resolveApproval(requested.approval.id, { approved: true, resolution: 'ok' }));
    expect(answer.approval.approver_type).toBe('dashboard');
    expect(text(await call)).toContain('5');
    const resolved = await live.next((e) => e.type === 'resolved' && e.approval.id === requested.approval.id);
    expect(resolved.approval.status).toBe('approved');
    const again = (await client.resolveApproval(requested.approval.id, { approved: false }).catch((e: unknown) => e)) as ApiError;
    expect(again.status).toBe(409);
    expect((await client.listApprovals({ status: 'approved' })).map((r) => r.id)).toContain(requested.approval.id);
  });
});

describe('dashboard and caches', () => {
  it('every range answers a snapshot that fits the wire schema', async () => {
    for (const range of DASHBOARD_RANGES) {
      const snapshot = pinned(dashboardSnapshotSchema, await client.dashboard(range));
      expect(snapshot.range).toBe(range);
      expect(snapshot.stats.total_requests).toBeGreaterThan(0);
    }
  });

  it('cache stats fit the wire schema; a flush answers flushed, a bad layer is a 400', async () => {
    pinned(cacheStatsSchema, await client.cacheStats());
    expect(await client.flushCache({ layer: 'tool_call' })).toEqual({ status: 'flushed' });
    expect(await client.flushCache()).toEqual({ status: 'flushed' });
    const bad = (await client.flushCache({ layer: 'disk' as never }).catch((e: unknown) => e)) as ApiError;
    expect(bad.status).toBe(400);
    expect(bad.message).toContain('invalid layer');
  });

  it('called every method this file owns', () => {
    expect(OBSERVABILITY_METHODS.filter((name) => !called.has(name))).toEqual([]);
  });
});
