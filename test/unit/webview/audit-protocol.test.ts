import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditRecord } from '../../../src/shared/schemas/audit.js';
import { auditProtocol, type AuditProtocol } from '../../../src/shared/webviews/audit-protocol.js';
import { auditHandlers, RELAY_WINDOW_MS, type AuditStreamLike } from '../../../src/shared/webviews/host/audit-handlers.js';
import type { ClientSource, ViewsClient } from '../../../src/shared/webviews/host/client-source.js';
import { HostChannel } from '../../../src/shared/webviews/host/host-channel.js';
import { parseToHost, parseToView } from '../../../src/shared/webviews/protocol.js';
import { ViewChannel } from '../../../src/webview/shared/channel.js';

/**
 * The Audit view's protocol checked at both ends, and its host handlers over a stream double: the
 * records relayed in order and in batches, tagged with the view's subscription; a new subscription
 * closes the old stream and none of its records reach the view after that; the view's going
 * closes the stream.
 */
function record(id: string, over: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id,
    method: 'tools/call',
    timestamp: '2026-03-01T12:00:00.000Z',
    session_id: 's1',
    client_type: 'e2e',
    model: null,
    workspace_id: 'global',
    workspace_name: 'global',
    subpath: null,
    tool_name: 'ev__echo',
    params_redacted: { message: 'hi', api_key: '[REDACTED]' },
    route_rule_id: null,
    downstream_server_id: 'ev',
    downstream_instance_id: null,
    auth_scope_id: null,
    status: 'success',
    error_code: null,
    error_message: null,
    latency_ms: 0.8,
    response_size: 120,
    cache_hit: false,
    created_at: '2026-03-01T12:00:00.001Z',
    approval_id: null,
    route_rule_summary: null,
    downstream_server_name: 'Everything',
    ...over,
  };
}

class FakeStream implements AuditStreamLike {
  status: 'open' | 'reconnecting' | 'closed' = 'reconnecting';
  private readonly events = new Set<(r: AuditRecord) => void>();
  private readonly statuses = new Set<(s: 'open' | 'reconnecting' | 'closed') => void>();
  private readonly errors = new Set<(e: Error) => void>();
  constructor(readonly options: unknown) {}
  onEvent(l: (r: AuditRecord) => void) {
    this.events.add(l);
    return () => void this.events.delete(l);
  }
  onStatus(l: (s: 'open' | 'reconnecting' | 'closed') => void) {
    this.statuses.add(l);
    return () => void this.statuses.delete(l);
  }
  onError(l: (e: Error) => void) {
    this.errors.add(l);
    return () => void this.errors.delete(l);
  }
  emit(r: AuditRecord) {
    for (const l of this.events) l(r);
  }
  setStatus(s: 'open' | 'reconnecting' | 'closed') {
    this.status = s;
    for (const l of this.statuses) l(s);
  }
  fail(message: string) {
    for (const l of this.errors) l(new Error(message));
  }
  close() {
    if (this.status !== 'closed') this.setStatus('closed');
  }
}

function setup(notify?: (method: string, params: unknown) => void) {
  const streams: FakeStream[] = [];
  const listed: unknown[] = [];
  const client = {
    auditStream: (options: unknown) => {
      const s = new FakeStream(options);
      streams.push(s);
      return s;
    },
    listAudit: async (query: unknown) => (listed.push(query), { data: [record('5')], total: 1, limit: 50, offset: 0 }),
    listWorkspaces: async () => [{ id: 'global', name: 'global', root_path: '/', default_policy: 'allow' }],
  } as unknown as ViewsClient;
  const source: ClientSource = { client: () => client, folders: () => [] };
  const notes: Array<{ method: string; params: any }> = [];
  const disposers: Array<() => void> = [];
  const handlers = auditHandlers(source, {
    notify: (method, params) => void (notify ? notify(method, params) : notes.push({ method, params })),
    onDispose: (d) => void disposers.push(d),
  });
  return { handlers, streams, listed, notes, dispose: () => disposers.forEach((d) => d()) };
}

describe('audit protocol, both ends', () => {
  it('the host takes a well-formed subscribe and refuses a bad id or filter, naming the field', () => {
    const ok = parseToHost(auditProtocol, {
      kind: 'request',
      id: 1,
      method: 'audit/subscribe',
      params: { subscription: 1, filter: { error_code: 'denied' }, lastEventId: '0' },
    });
    expect(ok.ok).toBe(true);
    const badId = parseToHost(auditProtocol, {
      kind: 'request',
      id: 2,
      method: 'audit/subscribe',
      params: { subscription: 1, filter: {}, lastEventId: 'abc' },
    });
    expect(badId).toMatchObject({ ok: false, reason: expect.stringContaining('params.lastEventId') });
    const badStatus = parseToHost(auditProtocol, {
      kind: 'request',
      id: 3,
      method: 'audit/list',
      params: { filter: { status: 'weird' }, limit: 50, offset: 0 },
    });
    expect(badStatus).toMatchObject({ ok: false, reason: expect.stringContaining('params.filter.status') });
    const badTime = parseToHost(auditProtocol, {
      kind: 'request',
      id: 4,
      method: 'audit/list',
      params: { filter: { after: 'yesterday' }, limit: 50, offset: 0 },
    });
    expect(badTime).toMatchObject({ ok: false, reason: expect.stringContaining('params.filter.after') });
    const badLimit = parseToHost(auditProtocol, { kind: 'request', id: 5, method: 'audit/list', params: { filter: {}, limit: 501, offset: 0 } });
    expect(badLimit).toMatchObject({ ok: false, reason: expect.stringContaining('params.limit') });
  });

  it('the view takes records that fit the wire schema and drops one that does not, naming the field', () => {
    expect(parseToView(auditProtocol, { kind: 'notify', method: 'audit/records', params: { subscription: 1, records: [record('1')] } }).ok).toBe(true);
    const broken = { ...record('2'), status: 'weird' };
    expect(parseToView(auditProtocol, { kind: 'notify', method: 'audit/records', params: { subscription: 1, records: [broken] } })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('params.records.0.status'),
    });
    expect(parseToView(auditProtocol, { kind: 'notify', method: 'audit/applyFilter', params: { filter: { session_id: 's1' } } }).ok).toBe(true);
  });
});

describe('audit handlers', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('audit/list asks GET /audit with the filter, limit and offset', async () => {
    const { handlers, listed } = setup();
    await handlers['audit/list']({ filter: { error_code: 'timeout', session_id: 's1' }, limit: 20, offset: 40 });
    expect(listed).toEqual([{ error_code: 'timeout', session_id: 's1', limit: 20, offset: 40 }]);
  });

  it('opens the stream after lastEventId with the filter, and relays records in order, batched, with the subscription', async () => {
    const { handlers, streams, notes } = setup();
    await handlers['audit/subscribe']({ subscription: 7, filter: { status: 'error' }, lastEventId: '41' });
    expect(streams[0]!.options).toEqual({ filter: { status: 'error' }, lastEventId: '41' });
    streams[0]!.setStatus('open');
    for (const id of ['42', '43', '44']) streams[0]!.emit(record(id));
    expect(notes.filter((n) => n.method === 'audit/records')).toEqual([]);
    vi.advanceTimersByTime(RELAY_WINDOW_MS);
    streams[0]!.emit(record('45'));
    vi.advanceTimersByTime(RELAY_WINDOW_MS);
    const batches = notes.filter((n) => n.method === 'audit/records');
    expect(batches.map((n) => [n.params.subscription, n.params.records.map((r: AuditRecord) => r.id)])).toEqual([
      [7, ['42', '43', '44']],
      [7, ['45']],
    ]);
    expect(notes[0]).toEqual({ method: 'audit/stream', params: { subscription: 7, status: 'open' } });
  });

  it('a drop sends the records already received before the status; a failed attempt says why', async () => {
    const { handlers, streams, notes } = setup();
    await handlers['audit/subscribe']({ subscription: 1, filter: {}, lastEventId: '0' });
    const s = streams[0]!;
    s.setStatus('open');
    s.emit(record('10'));
    s.setStatus('reconnecting');
    s.fail('GET /audit/stream answered 503');
    expect(notes.map((n) => n.method)).toEqual(['audit/stream', 'audit/records', 'audit/stream', 'audit/stream']);
    expect(notes[3]!.params).toEqual({ subscription: 1, status: 'reconnecting', error: 'GET /audit/stream answered 503' });
  });

  it('a new subscription closes the old stream; nothing of the old one reaches the view after that', async () => {
    const { handlers, streams, notes } = setup();
    await handlers['audit/subscribe']({ subscription: 1, filter: {}, lastEventId: '0' });
    streams[0]!.emit(record('1'));
    await handlers['audit/subscribe']({ subscription: 2, filter: { tool_name: 'ev__*' }, lastEventId: '0' });
    expect(streams[0]!.status).toBe('closed');
    streams[0]!.emit(record('2'));
    streams[1]!.emit(record('3'));
    vi.advanceTimersByTime(RELAY_WINDOW_MS);
    expect(notes.filter((n) => n.method === 'audit/records').map((n) => [n.params.subscription, n.params.records.map((r: AuditRecord) => r.id)])).toEqual([
      [2, ['3']],
    ]);
  });

  it('unsubscribe and the view going close the stream', async () => {
    const { handlers, streams, dispose } = setup();
    await handlers['audit/subscribe']({ subscription: 1, filter: {}, lastEventId: '0' });
    await handlers['audit/unsubscribe']({});
    expect(streams[0]!.status).toBe('closed');
    await handlers['audit/subscribe']({ subscription: 2, filter: {}, lastEventId: '0' });
    dispose();
    expect(streams[1]!.status).toBe('closed');
  });
});

describe('view ↔ host through the real channels', () => {
  it('a subscribe from the view brings the stream’s records back as audit/records, checked at both ends', async () => {
    let host: HostChannel<AuditProtocol> | undefined;
    const { handlers, streams } = setup((method, params) => void host!.notify(method as 'audit/records', params as never));
    const received: string[][] = [];
    const view: ViewChannel<AuditProtocol> = new ViewChannel(auditProtocol, { postMessage: (m) => void host!.receive(m) });
    host = new HostChannel(auditProtocol, handlers, (m) => view.receive(m), { warn: () => undefined, error: () => undefined });
    view.on('audit/records', ({ records }) => void received.push(records.map((r) => r.id)));
    await view.request('audit/subscribe', { subscription: 1, filter: {}, lastEventId: '0' });
    const page = await view.request('audit/list', { filter: {}, limit: 50, offset: 0 });
    expect(page.data.map((r) => r.id)).toEqual(['5']);
    vi.useFakeTimers();
    try {
      streams[0]!.emit(record('6'));
      streams[0]!.emit(record('7'));
      vi.advanceTimersByTime(RELAY_WINDOW_MS);
    } finally {
      vi.useRealTimers();
    }
    expect(received).toEqual([['6', '7']]);
  });
});
