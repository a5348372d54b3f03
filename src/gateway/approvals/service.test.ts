import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApprovalService, type ApprovalRequest } from './service.js';
import { MemoryApprovalStore } from './store.js';
import type { ApprovalEvent } from './events.js';
import { approvalElicitation, readElicitationAnswer } from './client-prompt.js';

const request = (fields: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  session_id: 's1',
  client_type: 'claude-code',
  model: null,
  workspace_id: 'w',
  workspace_name: 'W',
  tool_name: 'gh__create_issue',
  arguments: { title: 'x', token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
  justification: null,
  route_rule_id: 'r',
  downstream_server_id: 'gh',
  auth_scope_id: null,
  timeout_sec: 300,
  ...fields,
});

afterEach(() => void vi.useRealTimers());

describe('ApprovalService', () => {
  it("masks secrets in what the client declared (name, model), the name it called and the approver's words", async () => {
    const literal = 'gateway-api-token-0001';
    const service = new ApprovalService(new MemoryApprovalStore(), undefined, () => ({ values: [literal] }));
    const pending = await service.request(
      request({ client_type: `agent ${literal}`, model: 'model sk-abcdefghijklmnop1234', tool_name: `gh__${literal.replaceAll('-', '_')}_${literal}` }),
    );
    expect(pending.record).toMatchObject({
      request_client_type: 'agent [REDACTED]',
      request_model: 'model [REDACTED]',
      tool_name: 'gh__gateway_api_token_0001_[REDACTED]',
    });
    const resolved = await service.resolve(pending.record.id, {
      approved: false,
      resolution: `no: ${literal}`,
      approver_type: 'dashboard',
      approver_session_id: null,
    });
    expect(resolved.resolution).toBe('no: [REDACTED]');
    expect(JSON.stringify(await service.list({ status: 'denied' }))).not.toContain(literal);
  });

  it('stores a redacted pending request, fires pending, and wakes the call with the one resolution', async () => {
    const service = new ApprovalService(new MemoryApprovalStore());
    const events: ApprovalEvent[] = [];
    service.subscribe((event) => events.push(event));
    const pending = await service.request(request());
    expect(pending.record).toMatchObject({ status: 'pending', arguments: { title: 'x', token: '[REDACTED]' } });
    const resolved = await service.resolve(pending.record.id, { approved: true, resolution: 'ok', approver_type: 'dashboard', approver_session_id: null });
    expect(await pending.outcome).toEqual(resolved);
    expect(resolved).toMatchObject({ status: 'approved', approver_type: 'dashboard', resolution: 'ok' });
    expect(events.map((e) => [e.type, e.approval.status])).toEqual([
      ['pending', 'pending'],
      ['resolved', 'approved'],
    ]);
  });

  it('of racing answers exactly one wins, whatever their kinds; the others are conflict "approval already resolved"', async () => {
    const service = new ApprovalService(new MemoryApprovalStore());
    const events: ApprovalEvent[] = [];
    service.subscribe((event) => events.push(event));
    const { record } = await service.request(request());
    const outcomes = await Promise.allSettled([
      service.resolve(record.id, { approved: true, resolution: null, approver_type: 'dashboard', approver_session_id: null }),
      service.resolve(record.id, { approved: false, resolution: 'no', approver_type: 'client_user', approver_session_id: 's1' }),
      service.resolve(record.id, { approved: false, resolution: 'no', approver_type: 'mcp_agent', approver_session_id: 's2' }),
      service.cancel(record.id, 'client disconnected'),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled' && o.value !== false);
    expect(won).toHaveLength(1);
    for (const lost of outcomes.filter((o) => o.status === 'rejected'))
      expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', message: 'approval already resolved' });
    expect(events.filter((e) => e.type === 'resolved')).toHaveLength(1);
  });

  it('unknown id → not_found; an agent resolving its own session’s request → forbidden; another agent may', async () => {
    const service = new ApprovalService(new MemoryApprovalStore());
    await expect(service.resolve('nope', { approved: true, resolution: null, approver_type: 'dashboard', approver_session_id: null })).rejects.toMatchObject({
      code: 'not_found',
    });
    const { record } = await service.request(request({ session_id: 'agent-a' }));
    await expect(
      service.resolve(record.id, { approved: true, resolution: null, approver_type: 'mcp_agent', approver_session_id: 'agent-a' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect((await service.get(record.id)).status).toBe('pending');
    expect(await service.resolve(record.id, { approved: false, resolution: 'no', approver_type: 'mcp_agent', approver_session_id: 'agent-b' })).toMatchObject({
      status: 'denied',
    });
  });

  it('a rule’s channels shut out the client and agents, never the dashboard', async () => {
    const service = new ApprovalService(new MemoryApprovalStore());
    const { record } = await service.request(request({ channels: ['dashboard'] }));
    for (const approver_type of ['client_user', 'mcp_agent'] as const) {
      await expect(service.resolve(record.id, { approved: true, resolution: null, approver_type, approver_session_id: 'other' })).rejects.toMatchObject({
        code: 'forbidden',
      });
    }
    expect(await service.resolve(record.id, { approved: true, resolution: null, approver_type: 'dashboard', approver_session_id: null })).toMatchObject({
      status: 'approved',
    });
  });

  it('times out after timeout_sec as system "timed out", and a later answer is a conflict', async () => {
    vi.useFakeTimers();
    const service = new ApprovalService(new MemoryApprovalStore());
    const pending = await service.request(request({ timeout_sec: 7 }));
    await vi.advanceTimersByTimeAsync(6_999);
    expect((await service.get(pending.record.id)).status).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending.outcome).toMatchObject({ status: 'timeout', approver_type: 'system', resolution: 'timed out' });
    await expect(
      service.resolve(pending.record.id, { approved: true, resolution: null, approver_type: 'dashboard', approver_session_id: null }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('start cancels what an earlier run left pending ("server restart"); shutdown cancels what waits here ("server shutdown")', async () => {
    const store = new MemoryApprovalStore();
    const earlier = new ApprovalService(store);
    const left = await earlier.request(request());
    const next = new ApprovalService(store);
    expect(await next.start()).toBe(1);
    expect(await store.get(left.record.id)).toMatchObject({ status: 'cancelled', resolution: 'server restart', approver_type: 'system' });
    const waiting = await next.request(request());
    await next.shutdown();
    expect(await waiting.outcome).toMatchObject({ status: 'cancelled', resolution: 'server shutdown' });
    expect(await next.metrics()).toMatchObject({ pending_count: 0, approved_count: 0, denied_count: 0, timed_out_count: 0 });
  });

  it('lists pending oldest first and the history newest first, by workspace', async () => {
    const service = new ApprovalService(new MemoryApprovalStore());
    const a = await service.request(request({ workspace_id: 'w1' }));
    const b = await service.request(request({ workspace_id: 'w2' }));
    const c = await service.request(request({ workspace_id: 'w1' }));
    expect((await service.list({ status: 'pending' })).map((r) => r.id)).toEqual([a.record.id, b.record.id, c.record.id]);
    expect((await service.list({ status: 'pending', workspace_id: 'w1' })).map((r) => r.id)).toEqual([a.record.id, c.record.id]);
    for (const p of [a, b, c]) await service.resolve(p.record.id, { approved: true, resolution: null, approver_type: 'dashboard', approver_session_id: null });
    expect((await service.list({ status: 'approved' })).map((r) => r.id)).toEqual([c.record.id, b.record.id, a.record.id]);
    expect((await service.list({ status: 'approved', limit: 1, offset: 1 })).map((r) => r.id)).toEqual([b.record.id]);
  });
});

describe('the elicitation form', () => {
  it('names tool, server, workspace, arguments and justification; asks approve or deny and an optional reason', async () => {
    const service = new ApprovalService(new MemoryApprovalStore());
    const { record } = await service.request(request({ justification: 'the user asked' }));
    const params = approvalElicitation(record, 'GitHub') as { message: string; requestedSchema: any };
    for (const part of ['Tool: gh__create_issue', 'Server: GitHub', 'Workspace: W', '"token": "[REDACTED]"', 'Justification: the user asked'])
      expect(params.message).toContain(part);
    expect(params.message).not.toContain('ghp_');
    expect(params.requestedSchema.required).toEqual(['decision']);
  });

  it.each([
    [
      { action: 'accept', content: { decision: 'approve' } },
      { approved: true, resolution: 'approved in the client' },
    ],
    [
      { action: 'accept', content: { decision: 'deny', reason: ' nope ' } },
      { approved: false, resolution: 'nope' },
    ],
    [{ action: 'decline' }, { approved: false, resolution: 'declined in the client' }],
    [{ action: 'cancel' }, undefined],
    [{ action: 'accept', content: { decision: 'maybe' } }, undefined],
    [{ action: 'accept' }, undefined],
  ])('%j → %j', (answer, expected) => {
    expect(readElicitationAnswer(answer)).toEqual(expected);
  });
});
