// Issue 17 "Approval where the person already is" and the other channels: a client that declared
// elicitation is asked through the one client relay (accept, decline; a REST answer withdraws the
// question with notifications/cancelled), `approval_channels: [dashboard]` and
// `approval_via_client: false` keep the question away, the `mcpx` tools let another agent answer
// but never the requesting session (self-approval refused), and requests left pending by a gateway
// that stopped are `cancelled` at the next start ("server restart"), or at shutdown ("server
// shutdown"). Real SDK clients (v2, and v1 as a 2025-era peer), a real gateway, server-everything.
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryApprovalStore, type ApprovalRecord } from '../../src/gateway/approvals/index.js';
import { waitForPending } from '../helpers/approvals.js';
import { RecordingSink } from '../helpers/call-records.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, rejection, text } from '../helpers/mcp.js';

type Answer = Record<string, unknown> | 'wait';

let t: TestGateway;
const sink = new RecordingSink();
const clients: Array<{ close(): Promise<void> }> = [];
/** What each elicitation asked, and whether it was withdrawn before it was answered. */
const asked: Array<{ message: string; schema: any; withdrawn: boolean }> = [];
let answer: Answer = 'wait';

async function elicitingClient(name = 'eliciting-it'): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler('elicitation/create', (request, ctx) => {
    const entry = { message: String(request.params.message), schema: (request.params as any).requestedSchema, withdrawn: false };
    asked.push(entry);
    if (answer !== 'wait') return Promise.resolve(answer as never);
    return new Promise((resolve) =>
      ctx.mcpReq.signal.addEventListener('abort', () => {
        entry.withdrawn = true;
        resolve({ action: 'cancel' } as never);
      }),
    );
  });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', t.url), { requestInit: { headers: { authorization: `Bearer ${t.token}` } } }));
  clients.push(client);
  return client;
}

const approvalOf = async (id: string) => (await t.api<ApprovalRecord>('GET', `/approvals/${id}`)).body;

beforeAll(async () => {
  t = await startTestGateway({ callRecords: sink });
  await addServer(t, everythingStdioBody('ev'));
  for (const rule of [
    { id: 'gate-echo', workspace_id: 'global', tool_pattern: 'ev__echo', policy: 'approve' },
    { id: 'gate-sum', workspace_id: 'global', tool_pattern: 'ev__get-sum', policy: 'approve', approval_channels: ['dashboard'] },
    { id: 'gate-env', workspace_id: 'global', tool_pattern: 'ev__get-env', policy: 'approve', approval_channels: ['dashboard', 'client'] },
  ])
    expect((await t.api('POST', '/routes', rule)).status).toBe(201);
}, 60_000);
afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await t?.close();
});

describe('approval through the calling client (elicitation)', () => {
  it('asks the user with a form naming tool, server, redacted arguments and justification; accept approves (client_user)', async () => {
    const client = await elicitingClient();
    answer = { action: 'accept', content: { decision: 'approve', reason: 'looks right' } };
    asked.length = 0;
    const result = await client.callTool({ name: 'ev__echo', arguments: { message: 'hi', password: 'hunter2', _justification: 'user asked' } });
    expect(text(result)).toBe('Echo: hi');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.message).toContain('Tool: ev__echo');
    expect(asked[0]!.message).toContain('Server: Everything ev');
    expect(asked[0]!.message).toContain('"password": "[REDACTED]"');
    expect(asked[0]!.message).not.toContain('hunter2');
    expect(asked[0]!.message).toContain('Justification: user asked');
    expect(asked[0]!.schema.properties.decision.oneOf.map((o: { const: string }) => o.const)).toEqual(['approve', 'deny']);
    expect(await approvalOf(sink.records.at(-1)!.approvalId!)).toMatchObject({ status: 'approved', approver_type: 'client_user', resolution: 'looks right' });
  });

  it('decline denies: the caller reads who denied', async () => {
    const client = await elicitingClient();
    answer = { action: 'decline' };
    const result = await client.callTool({ name: 'ev__echo', arguments: { message: 'no' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('Tool call denied by the user in the client. Reason: declined in the client');
    expect(sink.records.at(-1)).toMatchObject({ status: 'blocked', errorCode: 'approval_denied' });
  });

  it('an accepted form without a usable decision leaves the request waiting, and says so in the log', async () => {
    const client = await elicitingClient();
    answer = { action: 'accept', content: { decision: 'ok from client' } };
    const call = client.callTool({ name: 'ev__echo', arguments: { message: 'odd answer' } });
    const pending = await waitForPending(t, 'ev__echo');
    await expect
      .poll(() => t.logs.find((l) => l.level === 'warn' && l.id === pending.id))
      .toMatchObject({ msg: expect.stringContaining('without a decision of "approve" or "deny"'), content: expect.stringContaining('ok from client') });
    expect(await approvalOf(pending.id)).toMatchObject({ status: 'pending' });
    expect((await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: true })).status).toBe(200);
    expect(text(await call)).toBe('Echo: odd answer');
  });

  it('a REST answer first: the elicitation is withdrawn (notifications/cancelled) and the dashboard wins', async () => {
    const client = await elicitingClient();
    answer = 'wait';
    asked.length = 0;
    const call = client.callTool({ name: 'ev__echo', arguments: { message: 'from the dashboard' } });
    const pending = await waitForPending(t, 'ev__echo');
    await expect.poll(() => asked.length).toBe(1);
    expect((await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: true })).status).toBe(200);
    expect(text(await call)).toBe('Echo: from the dashboard');
    await expect.poll(() => asked[0]!.withdrawn).toBe(true);
    expect(await approvalOf(pending.id)).toMatchObject({ status: 'approved', approver_type: 'dashboard' });
  });

  it('the same with a v1 SDK client (a 2025-era peer): accept with decision deny denies, with the reason', async () => {
    const v1 = new V1Client({ name: 'v1-it', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    v1.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { decision: 'deny', reason: 'not now' } }));
    await v1.connect(new V1Transport(new URL('/mcp', t.url), { requestInit: { headers: { authorization: `Bearer ${t.token}` } } }));
    clients.push(v1);
    const result = (await v1.callTool({ name: 'ev__echo', arguments: { message: 'v1' } })) as { isError?: boolean };
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('Tool call denied by the user in the client. Reason: not now');
  });

  it('a rule narrowed to approval_channels [dashboard] sends no elicitation; [dashboard, client] does', async () => {
    const client = await elicitingClient();
    answer = { action: 'accept', content: { decision: 'approve' } };
    asked.length = 0;
    const call = client.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 2 } });
    const pending = await waitForPending(t, 'ev__get-sum');
    await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: true });
    expect(text(await call)).toContain('3');
    expect(asked).toEqual([]);
    expect(text(await client.callTool({ name: 'ev__get-env', arguments: {} }))).toBeTruthy();
    expect(asked).toHaveLength(1);
  });

  it('approval_via_client false: nobody is asked in the client', async () => {
    const client = await elicitingClient();
    answer = { action: 'accept', content: { decision: 'approve' } };
    asked.length = 0;
    await t.api('PUT', '/settings', { approval_via_client: false });
    try {
      const call = client.callTool({ name: 'ev__echo', arguments: { message: 'quiet' } });
      const pending = await waitForPending(t, 'ev__echo');
      await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: true });
      expect(text(await call)).toBe('Echo: quiet');
      expect(asked).toEqual([]);
    } finally {
      await t.api('PUT', '/settings', { approval_via_client: true });
    }
  });

  it('route schema: approval_channels must be a non-empty list of known channels without repeats', async () => {
    for (const approval_channels of [[], ['email'], ['client', 'client'], 'client']) {
      const res = await t.api('POST', '/routes', { workspace_id: 'global', tool_pattern: 'ev__z', policy: 'approve', approval_channels });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toMatch(/^approval_channels/);
    }
  });
});

describe('the mcpx approval tools', () => {
  it('are always listed; an agent never sees nor resolves its own request; another agent approves (mcp_agent)', async () => {
    const requester = await connectHttp(t, { name: 'requester' });
    const other = await connectHttp(t, { name: 'reviewer' });
    clients.push(requester, other);
    const names = (await requester.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['mcpx__list_pending_approvals', 'mcpx__approve_tool_call', 'mcpx__deny_tool_call']));

    const call = requester.callTool({ name: 'ev__echo', arguments: { message: 'by an agent' } });
    const pending = await waitForPending(t, 'ev__echo');
    expect(text(await requester.callTool({ name: 'mcpx__list_pending_approvals', arguments: {} }))).toBe('No pending approvals.');
    const own = await requester.callTool({ name: 'mcpx__approve_tool_call', arguments: { approval_id: pending.id } });
    expect(own.isError).toBe(true);
    expect(text(own)).toMatch(/your own session/);
    expect((await approvalOf(pending.id)).status).toBe('pending');

    const listed = JSON.parse(text(await other.callTool({ name: 'mcpx__list_pending_approvals', arguments: {} })));
    expect(listed).toMatchObject([{ approval_id: pending.id, tool_name: 'ev__echo', client_type: 'requester' }]);
    expect(await rejection(other.callTool({ name: 'mcpx__deny_tool_call', arguments: { approval_id: pending.id } }))).toMatchObject({
      message: expect.stringContaining('reason'),
    });
    expect(text(await other.callTool({ name: 'mcpx__approve_tool_call', arguments: { approval_id: pending.id, reason: 'ok by me' } }))).toMatch(
      /^Approved ev__echo/,
    );
    expect(text(await call)).toBe('Echo: by an agent');
    const approved = await approvalOf(pending.id);
    expect(approved).toMatchObject({ status: 'approved', approver_type: 'mcp_agent', resolution: 'ok by me' });
    expect(approved.approver_session_id).toBeTruthy();
    expect(approved.approver_session_id).not.toBe(approved.request_session_id);
    const again = await other.callTool({ name: 'mcpx__deny_tool_call', arguments: { approval_id: pending.id, reason: 'late' } });
    expect([again.isError, text(again)]).toEqual([true, 'approval already resolved']);
  });

  it('deny by another agent; a rule without mcp_agent in its channels refuses agents (hidden from their list)', async () => {
    const requester = await connectHttp(t, { name: 'requester' });
    const other = await connectHttp(t, { name: 'reviewer' });
    clients.push(requester, other);
    const call = requester.callTool({ name: 'ev__echo', arguments: { message: 'x' } });
    const pending = await waitForPending(t, 'ev__echo');
    await other.callTool({ name: 'mcpx__deny_tool_call', arguments: { approval_id: pending.id, reason: 'not today' } });
    expect(text(await call)).toMatch(/^Tool call denied by agent session .+\. Reason: not today$/);

    const narrowed = requester.callTool({ name: 'ev__get-sum', arguments: { a: 2, b: 2 } });
    const gated = await waitForPending(t, 'ev__get-sum');
    expect(text(await other.callTool({ name: 'mcpx__list_pending_approvals', arguments: {} }))).toBe('No pending approvals.');
    const refused = await other.callTool({ name: 'mcpx__approve_tool_call', arguments: { approval_id: gated.id } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/approval_channels/);
    await t.api('POST', `/approvals/${gated.id}/resolve`, { approved: true });
    expect(text(await narrowed)).toContain('4');
  });
});

describe('restart and shutdown', () => {
  it('a request left pending by an earlier run is cancelled at start ("server restart")', async () => {
    const store = new MemoryApprovalStore();
    const left = { ...(await approvalOf(sink.records.at(-1)!.approvalId!)), id: 'left-over', status: 'pending' as const, resolved_at: null, resolution: null };
    await store.insert({ ...left, approver_type: null, approver_session_id: null });
    const next = await startTestGateway({ approvalStore: store });
    try {
      expect((await next.api('GET', '/approvals')).body).toEqual([]);
      expect((await next.api('GET', '/approvals/left-over')).body).toMatchObject({
        status: 'cancelled',
        approver_type: 'system',
        resolution: 'server restart',
      });
    } finally {
      await next.close();
    }
  });

  it('a call waiting at shutdown is answered and its request cancelled ("server shutdown")', async () => {
    const store = new MemoryApprovalStore();
    const gw = await startTestGateway({ approvalStore: store });
    try {
      await addServer(gw, everythingStdioBody('ev'));
      await gw.api('POST', '/routes', { workspace_id: 'global', tool_pattern: 'ev__echo', policy: 'approve' });
      const client = await connectHttp(gw);
      const call = client.callTool({ name: 'ev__echo', arguments: { message: 'late' } }).catch((error: unknown) => error);
      const pending = await waitForPending(gw, 'ev__echo');
      await gw.stop();
      expect(await call).toBeDefined();
      expect(await store.get(pending.id)).toMatchObject({ status: 'cancelled', resolution: 'server shutdown', approver_type: 'system' });
    } finally {
      await gw.close();
    }
  });
});
