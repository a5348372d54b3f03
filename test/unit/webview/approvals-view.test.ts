import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../../src/shared/approval-record.js';
import { approvalsProtocol } from '../../../src/shared/webviews/approvals-protocol.js';
import { approvalsHandlers } from '../../../src/shared/webviews/host/approvals-handlers.js';
import { parseToHost, parseToView } from '../../../src/shared/webviews/protocol.js';
import { ApiError } from '../../../src/shared/rest-client.js';
import { applyEvent, duration, historyRow, pendingCard } from '../../../src/webview/approvals/model.js';

const record = (id: string, over: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
  id,
  status: 'pending',
  request_session_id: 'sess',
  request_client_type: null,
  request_model: null,
  workspace_id: 'global',
  workspace_name: 'Global',
  tool_name: 'ev__echo',
  arguments: { message: 'hi' },
  justification: null,
  route_rule_id: null,
  downstream_server_id: 'ev',
  auth_scope_id: null,
  approver_session_id: null,
  approver_type: null,
  resolution: null,
  timeout_sec: 300,
  created_at: '2026-01-01T00:00:00.000Z',
  resolved_at: null,
  ...over,
});

describe('the Approvals view model', () => {
  it('keeps the pending list live: added once, oldest first; a resolution removes it', () => {
    const a = record('a', { created_at: '2026-01-01T00:00:02.000Z' });
    const b = record('b', { created_at: '2026-01-01T00:00:01.000Z' });
    let list = applyEvent([], { type: 'pending', approval: a });
    list = applyEvent(list, { type: 'pending', approval: b });
    list = applyEvent(list, { type: 'pending', approval: a });
    expect(list.map((x) => x.id)).toEqual(['b', 'a']);
    list = applyEvent(list, { type: 'resolved', approval: { ...a, status: 'approved' } });
    expect(list.map((x) => x.id)).toEqual(['b']);
    expect(applyEvent(list, { type: 'pending', approval: { ...a, status: 'timeout' } }).map((x) => x.id)).toEqual(['b']);
  });

  it('cards and history rows say who, what and how it ended', () => {
    const now = Date.parse('2026-01-01T00:01:30.000Z');
    expect(pendingCard(record('a', { justification: 'needed' }), now)).toMatchObject({
      client: 'session sess',
      server: 'ev',
      justification: 'needed',
      args: '{\n  "message": "hi"\n}',
      timing: 'waiting 1 min · times out in 3 min',
    });
    const done = record('a', {
      status: 'denied',
      approver_type: 'dashboard',
      resolution: 'no',
      resolved_at: '2026-01-01T00:00:08.000Z',
      request_client_type: 'cursor',
    });
    expect(historyRow(done)).toMatchObject({
      client: 'cursor',
      outcome: 'denied by the dashboard (an editor window or the browser) after 8 s',
      resolution: 'no',
    });
    expect(historyRow(record('t', { status: 'timeout', resolved_at: '2026-01-01T00:05:00.000Z' })).outcome).toBe('timed out after 5 min');
    expect([duration(59_000), duration(3_600_000), duration(90_000_000)]).toEqual(['59 s', '1 h', '1 d']);
  });
});

describe('the Approvals protocol and handlers', () => {
  it('both ends check their messages', () => {
    expect(parseToHost(approvalsProtocol, { kind: 'request', id: 1, method: 'approvals/resolve', params: { id: '', approved: true } }).ok).toBe(false);
    expect(parseToHost(approvalsProtocol, { kind: 'request', id: 1, method: 'approvals/history', params: { status: 'pending' } }).ok).toBe(false);
    expect(parseToView(approvalsProtocol, { kind: 'notify', method: 'approvals/event', params: { type: 'pending', approval: record('a') } }).ok).toBe(true);
    expect(parseToView(approvalsProtocol, { kind: 'notify', method: 'approvals/event', params: { type: 'pending', approval: { id: 'a' } } }).ok).toBe(false);
  });

  it('a 409 is an answer naming who resolved it; any other refusal stays an error; the stream closes with the view', async () => {
    const calls: string[] = [];
    let closed = 0;
    const disposers: Array<() => void> = [];
    const client = {
      resolveApproval: async (id: string) => {
        calls.push(`resolve ${id}`);
        if (id === 'gone') throw new ApiError(409, undefined, 'approval already resolved');
        if (id === 'nope') throw new ApiError(404, undefined, 'not found');
        return { status: 'approved', approval: record(id, { status: 'approved' }) };
      },
      getApproval: async (id: string) => record(id, { status: 'denied', approver_type: 'mcp_agent', approver_session_id: 's2' }),
      listApprovals: async (q: unknown) => (calls.push(`list ${JSON.stringify(q)}`), []),
      approvalStream: () => ({ onEvent: () => () => undefined, onStatus: () => () => undefined, close: () => void (closed += 1) }),
    };
    const handlers = approvalsHandlers(
      { client: () => client as never, folders: () => [] },
      { notify: () => undefined, onDispose: (fn) => void disposers.push(fn) },
    );
    expect(await handlers['approvals/resolve']({ id: 'a', approved: true, resolution: '  ' })).toMatchObject({ ok: true });
    expect(await handlers['approvals/resolve']({ id: 'gone', approved: true })).toEqual({
      ok: false,
      approval: expect.objectContaining({ id: 'gone' }),
      message: 'MCPlexer: the request to call ev__echo was already denied by an agent (session s2).',
    });
    await expect(handlers['approvals/resolve']({ id: 'nope', approved: false })).rejects.toThrow('not found');
    await handlers['approvals/history']({ status: 'denied', offset: 50 });
    expect(calls).toEqual(['resolve a', 'resolve gone', 'resolve nope', 'list {"status":"denied","limit":50,"offset":50}']);
    await handlers['approvals/subscribe']({});
    await handlers['approvals/subscribe']({});
    expect(closed).toBe(1);
    disposers.forEach((fn) => fn());
    expect(closed).toBe(2);
  });
});
