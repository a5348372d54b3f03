// Issue 17 "Approvals", over the wire with a real SDK v2 client, a real gateway, server-everything
// and the spec fixture (which echoes the arguments it receives): a gated call blocks, the request
// is announced on the SSE stream and listed, and a REST resolve lets it through or denies it as a
// tool result; timeouts, cancellation, racing resolves, `write` mode, `_justification` and the
// require-justification mode; each call leaves one record with `approvalId` and the right status.
import { rmSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../src/gateway/approvals/index.js';
import { openApprovalStream, waitForPending, type ApprovalStream } from '../helpers/approvals.js';
import { RecordingSink } from '../helpers/call-records.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, rejection, text } from '../helpers/mcp.js';
import { addSpecServer, reached, scratchDir } from '../helpers/original-harness.js';

let t: TestGateway;
let client: Client;
let stream: ApprovalStream;
const sink = new RecordingSink();
const dir = scratchDir();

const recordOf = (approvalId: string) => sink.records.find((r) => r.approvalId === approvalId);

beforeAll(async () => {
  t = await startTestGateway({ callRecords: sink });
  await addServer(t, everythingStdioBody('ev'));
  await addSpecServer(t, dir, 'sp', [{ name: 'read_doc', annotations: { readOnlyHint: true } }, { name: 'write_doc' }, { name: 'get_doc' }]);
  const rules = [
    { id: 'gate-echo', workspace_id: 'global', tool_pattern: 'ev__echo', policy: 'approve' },
    { id: 'gate-sum', workspace_id: 'global', tool_pattern: 'ev__get-sum', policy: 'approve', approval_timeout: 1 },
    { id: 'gate-writes', workspace_id: 'global', tool_pattern: 'sp__*', policy: 'allow', approval_mode: 'write' },
    { id: 'gate-docs', workspace_id: 'global', tool_pattern: 'ev__demo://resource/static/document/*', policy: 'approve' },
    // A tool the cache keeps (`get_*`) behind an approval: the approval comes first.
    { id: 'gate-get', workspace_id: 'global', tool_pattern: 'sp__get_doc', policy: 'approve', priority: 200 },
  ];
  for (const rule of rules) expect((await t.api('POST', '/routes', rule)).status).toBe(201);
  client = await connectHttp(t);
  stream = await openApprovalStream(t);
}, 60_000);
afterAll(async () => {
  stream?.close();
  await client?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a gated call', () => {
  it('blocks, is announced and listed (arguments redacted), and runs once approved over REST', async () => {
    const progress: string[] = [];
    const call = client.callTool(
      { name: 'ev__echo', arguments: { message: 'hello', api_key: 'sk-live-0123456789abcdef0123' } },
      { onprogress: (p) => void progress.push(String(p.message)) },
    );
    const requested = await stream.next((e) => e.event === 'approval.requested' && e.data.approval.tool_name === 'ev__echo');
    expect(requested.data).toMatchObject({
      type: 'pending',
      approval: { status: 'pending', workspace_id: 'global', route_rule_id: 'gate-echo', timeout_sec: 300 },
    });
    expect(requested.data.approval.arguments).toEqual({ message: 'hello', api_key: '[REDACTED]' });
    const listed = await waitForPending(t, 'ev__echo');
    expect(listed.id).toBe(requested.data.approval.id);
    expect((await t.api('GET', `/approvals/${listed.id}`)).body).toMatchObject({ id: listed.id, status: 'pending' });

    const resolved = await t.api('POST', `/approvals/${listed.id}/resolve`, { approved: true, resolution: 'fine' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      status: 'approved',
      approval: { id: listed.id, status: 'approved', approver_type: 'dashboard', resolution: 'fine' },
    });
    expect(text(await call)).toBe('Echo: hello');
    expect(progress[0]).toBe(`waiting for approval ${listed.id}`);
    const done = await stream.next((e) => e.event === 'approval.resolved' && e.data.approval.id === listed.id);
    expect(done.data).toMatchObject({ type: 'resolved', approval: { status: 'approved' } });
    expect(recordOf(listed.id)).toMatchObject({ status: 'success', name: 'ev__echo', approvalId: listed.id });
  });

  it('denied: a tool result with isError naming who denied and why (reason is an alias of resolution)', async () => {
    const call = client.callTool({ name: 'ev__echo', arguments: { message: 'no' } });
    const pending = await waitForPending(t, 'ev__echo');
    const res = await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: false, reason: 'too risky' });
    expect(res.body).toMatchObject({ status: 'denied', approval: { status: 'denied', resolution: 'too risky', approver_type: 'dashboard' } });
    const result = await call;
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('Tool call denied by the dashboard. Reason: too risky');
    expect(recordOf(pending.id)).toMatchObject({ status: 'blocked', errorCode: 'approval_denied', invoked: false });
  });

  it('times out after the rule’s approval_timeout (alias of approval_timeout_sec): a tool result, approver system', async () => {
    const result = await client.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 2 } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/timed out after 1 s/);
    const record = recordOf(sink.records.at(-1)!.approvalId!);
    expect(record).toMatchObject({ status: 'blocked', errorCode: 'approval_timeout' });
    const stored = (await t.api<ApprovalRecord>('GET', `/approvals/${record!.approvalId}`)).body;
    expect(stored).toMatchObject({ status: 'timeout', approver_type: 'system', resolution: 'timed out', timeout_sec: 1 });
  });

  it('a client that cancels its call cancels the request ("client disconnected")', async () => {
    const abort = new AbortController();
    const call = client.callTool({ name: 'ev__echo', arguments: { message: 'x' } }, { signal: abort.signal });
    const pending = await waitForPending(t, 'ev__echo');
    abort.abort('changed my mind');
    await expect(call).rejects.toThrow();
    const cancelled = await stream.next((e) => e.event === 'approval.resolved' && e.data.approval.id === pending.id);
    expect(cancelled.data.approval).toMatchObject({ status: 'cancelled', approver_type: 'system', resolution: 'client disconnected' });
    await expect.poll(() => recordOf(pending.id)?.errorCode).toBe('cancelled');
    expect(recordOf(pending.id)?.status).toBe('blocked');
    expect((await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: true })).status).toBe(409);
  });

  it('of two racing resolves exactly one wins; the other is 409 "approval already resolved"; unknown is 404', async () => {
    const call = client.callTool({ name: 'ev__echo', arguments: { message: 'race' } });
    const pending = await waitForPending(t, 'ev__echo');
    const answers = await Promise.all([
      t.api('POST', `/approvals/${pending.id}/resolve`, { approved: true }),
      t.api('POST', `/approvals/${pending.id}/resolve`, { approved: false, resolution: 'second' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const loser = answers.find((a) => a.status === 409)!;
    expect(loser.body.error).toMatchObject({ code: 'conflict', message: 'approval already resolved' });
    const winner = answers.find((a) => a.status === 200)!;
    const result = await call;
    expect(result.isError === true).toBe(winner.body.status === 'denied');
    expect((await t.api('GET', `/approvals/${pending.id}`)).body.status).toBe(winner.body.status);
    expect(stream.events.filter((e) => e.event === 'approval.resolved' && e.data.approval.id === pending.id)).toHaveLength(1);
    expect((await t.api('POST', '/approvals/no-such-id/resolve', { approved: true })).status).toBe(404);
    expect((await t.api('GET', '/approvals/no-such-id')).status).toBe(404);
  });
});

describe('approval_mode write and _justification', () => {
  it('write: a tool marked readOnlyHint passes at once; one that is not waits', async () => {
    expect(reached(await client.callTool({ name: 'sp__read_doc', arguments: { id: 1 } })).tool).toBe('read_doc');
    expect(sink.records.at(-1)).toMatchObject({ name: 'sp__read_doc', status: 'success', approvalId: undefined });
    const call = client.callTool({ name: 'sp__write_doc', arguments: { id: 2 } });
    const pending = await waitForPending(t, 'sp__write_doc');
    await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: true });
    expect(reached(await call).tool).toBe('write_doc');
  });

  it('_justification is shown to the approver and never forwarded', async () => {
    const call = client.callTool({ name: 'sp__write_doc', arguments: { id: 3, _justification: 'the user asked for it', _cache_bust: true } });
    const pending = await waitForPending(t, 'sp__write_doc');
    expect(pending.justification).toBe('the user asked for it');
    expect(pending.arguments).toEqual({ id: 3 });
    await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: true });
    expect(reached(await call).args).toEqual({ id: 3 });
  });

  it('approval_require_justification: without one, an immediate isError result; with one, the call waits', async () => {
    expect((await t.api('PUT', '/settings', { approval_require_justification: true })).status).toBe(200);
    try {
      for (const args of [{ id: 4 }, { id: 5, _justification: '   ' }]) {
        const before = sink.records.length;
        const result = await client.callTool({ name: 'sp__write_doc', arguments: args });
        expect(result.isError).toBe(true);
        expect(text(result)).toBe(
          'This tool requires approval before execution. Retry your call with an additional `_justification` field explaining why you need to use this tool.',
        );
        expect(sink.records.slice(before)).toMatchObject([{ status: 'blocked', errorCode: 'justification_required', approvalId: undefined }]);
      }
      const call = client.callTool({ name: 'sp__write_doc', arguments: { id: 6, _justification: 'needed' } });
      const pending = await waitForPending(t, 'sp__write_doc');
      await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: true });
      expect(reached(await call).args).toEqual({ id: 6 });
    } finally {
      await t.api('PUT', '/settings', { approval_require_justification: false });
    }
  });
});

describe('a gated resources/read (no tool result to carry a refusal)', () => {
  it('waits; denied, it is JSON-RPC -32003 with data.code approval_denied; it never needs a _justification', async () => {
    await t.api('PUT', '/settings', { approval_require_justification: true });
    try {
      const uri = 'mcplexer://ev/demo://resource/static/document/architecture.md';
      const read = client.readResource({ uri });
      const pending = await waitForPending(t, 'ev__demo://resource/static/document/architecture.md');
      expect(pending).toMatchObject({ route_rule_id: 'gate-docs', arguments: { uri } });
      await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: false, resolution: 'private' });
      expect(await rejection(read)).toMatchObject({
        code: -32003,
        message: 'Tool call denied by the dashboard. Reason: private',
        data: { code: 'approval_denied' },
      });
      expect(sink.records.at(-1)).toMatchObject({ method: 'resources/read', status: 'blocked', errorCode: 'approval_denied', approvalId: pending.id });
      const again = client.readResource({ uri });
      const next = await waitForPending(t, 'ev__demo://resource/static/document/architecture.md');
      await t.api('POST', `/approvals/${next.id}/resolve`, { approved: true });
      expect((await again).contents[0]!.uri).toBe(uri);
    } finally {
      await t.api('PUT', '/settings', { approval_require_justification: false });
    }
  });
});

describe('GET /approvals', () => {
  it('filters the history by status and workspace, newest first; pending is the default', async () => {
    const approved = (await t.api<ApprovalRecord[]>('GET', '/approvals?status=approved')).body;
    expect(approved.length).toBeGreaterThanOrEqual(3);
    expect(approved.every((r) => r.status === 'approved')).toBe(true);
    expect([...approved].sort((a, b) => b.created_at.localeCompare(a.created_at))).toEqual(approved);
    expect((await t.api('GET', '/approvals?status=timeout&workspace_id=global')).body).toHaveLength(1);
    expect((await t.api('GET', '/approvals?status=approved&workspace_id=elsewhere')).body).toEqual([]);
    expect((await t.api('GET', '/approvals')).body).toEqual([]);
    expect((await t.api('GET', '/approvals?status=approved&limit=1')).body).toHaveLength(1);
  });

  it.each([
    ['status=bogus', 'status'],
    ['limit=abc', 'limit'],
    ['limit=0', 'limit'],
    ['offset=-1', 'offset'],
    ['state=pending', 'state'],
  ])('?%s → 400 naming %s', async (query, field) => {
    const res = await t.api('GET', `/approvals?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([field]);
  });

  it.each([
    [{}, 'approved'],
    [{ approved: 'yes' }, 'approved'],
    [{ approved: true, resolution: 'a', reason: 'b' }, 'reason'],
    [{ approved: true, note: 'x' }, 'note'],
  ])('resolve with %j → 400 naming %s, and the request stays pending', async (body, field) => {
    const call = client.callTool({ name: 'ev__echo', arguments: { message: 'bad body' } });
    const pending = await waitForPending(t, 'ev__echo');
    const res = await t.api('POST', `/approvals/${pending.id}/resolve`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect((await t.api('GET', `/approvals/${pending.id}`)).body.status).toBe('pending');
    await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: true });
    expect(text(await call)).toBe('Echo: bad body');
  });

  it('a rule approve with approval_mode none is a 400 naming approval_mode', async () => {
    const res = await t.api('POST', '/routes', { workspace_id: 'global', tool_pattern: 'ev__x', policy: 'approve', approval_mode: 'none' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('approval_mode');
    const created = (await t.api('POST', '/routes', { workspace_id: 'global', tool_pattern: 'ev__y', policy: 'allow' })).body;
    expect(created.approval_mode).toBe('none');
  });

  it('a denied call to a tool is not a JSON-RPC error (the client gets a result)', async () => {
    const call = client.callTool({ name: 'ev__echo', arguments: { message: 'x' } });
    const pending = await waitForPending(t, 'ev__echo');
    await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: false });
    const result = await call.catch((error) => rejection(Promise.reject(error)));
    expect(result).toMatchObject({ isError: true });
    expect(text(result)).toBe('Tool call denied by the dashboard. Reason: (none given)');
  });
});

describe('approval, then the cache (issue 17: route → approval → cache)', () => {
  const approveNext = async () => {
    const pending = await waitForPending(t, 'sp__get_doc');
    await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: true });
    return pending;
  };

  it('a cached answer never skips the approval: the identical call waits again, then is a cache hit; denied, it gets no cached answer', async () => {
    const first = client.callTool({ name: 'sp__get_doc', arguments: { id: 7 } });
    await approveNext();
    expect((await first)._meta?.cache).toEqual({ cached: false });

    const second = client.callTool({ name: 'sp__get_doc', arguments: { id: 7 } });
    const pending = await approveNext();
    const hit = await second;
    expect(hit._meta?.cache).toMatchObject({ cached: true });
    expect(reached(hit).args).toEqual({ id: 7 });
    expect(recordOf(pending.id)).toMatchObject({ status: 'success', cacheHit: true });

    const third = client.callTool({ name: 'sp__get_doc', arguments: { id: 7 } });
    const refused = await waitForPending(t, 'sp__get_doc');
    await t.api('POST', `/approvals/${refused.id}/resolve`, { approved: false, resolution: 'not now' });
    const result = await third;
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('Tool call denied by the dashboard. Reason: not now');
    expect(recordOf(refused.id)).toMatchObject({ status: 'blocked', cacheHit: false });
  });
});

describe("the dashboard's approval_metrics", () => {
  it('count the stored approvals by status, the pending one included', async () => {
    const count = async (status: string) => (await t.api<ApprovalRecord[]>('GET', `/approvals?status=${status}&limit=500`)).body.length;
    const call = client.callTool({ name: 'ev__echo', arguments: { message: 'metrics' } });
    const pending = await waitForPending(t, 'ev__echo');
    const metrics = (await t.api('GET', '/dashboard')).body.approval_metrics;
    expect(metrics).toMatchObject({
      pending_count: 1,
      approved_count: await count('approved'),
      denied_count: await count('denied'),
      timed_out_count: await count('timeout'),
    });
    expect(metrics.approved_count).toBeGreaterThan(0);
    expect(metrics.denied_count).toBeGreaterThan(0);
    expect(metrics.avg_wait_ms).toBeGreaterThan(0);
    await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: true });
    expect(text(await call)).toBe('Echo: metrics');
    expect((await t.api('GET', '/dashboard')).body.approval_metrics).toMatchObject({ pending_count: 0, approved_count: metrics.approved_count + 1 });
  });
});

// Last: the stream's `next` finds the first matching event of the whole run, so this call's events must come after the others'.
describe('redaction', () => {
  it("keeps the arguments redacted as the audit trail does: the words saved a moment ago, an auth scope's values, the gateway's token", async () => {
    const scope = (await t.api('POST', '/auth-scopes', { name: 'Approval scope', env_vars: { SOME_VAR: 'scope-literal-secret-0042' } })).body.id;
    expect((await t.api('PUT', '/settings', { redaction_words: ['zork'] })).status).toBe(200);
    try {
      const call = client.callTool({
        name: 'ev__echo',
        arguments: {
          message: 'kept',
          zork_id: 'Z-1',
          pasted: 'scope-literal-secret-0042',
          tok: `token ${t.token}`,
          _justification: `needed because ${t.token} and scope-literal-secret-0042 and ghp_${'a'.repeat(36)} expired`,
        },
      });
      const requested = await stream.next(
        (e) => e.event === 'approval.requested' && (e.data.approval.arguments as { message?: string } | undefined)?.message === 'kept',
      );
      expect(requested.data.approval.arguments).toEqual({ message: 'kept', zork_id: '[REDACTED]', pasted: '[REDACTED]', tok: '[REDACTED]' });
      // The justification keeps its words; the secrets in it are masked (a second trial: shown in clear).
      expect(requested.data.approval.justification).toBe('needed because [REDACTED] and [REDACTED] and [REDACTED] expired');
      const listed = await waitForPending(t, 'ev__echo');
      expect(JSON.stringify((await t.api('GET', `/approvals/${listed.id}`)).body)).not.toContain(t.token);
      // The approver's words reach the agent and the trail: a secret pasted in them is masked there.
      const denied = await t.api('POST', `/approvals/${listed.id}/resolve`, { approved: false, resolution: `test over ${t.token}` });
      expect(denied.status).toBe(200);
      expect(denied.body.approval.resolution).toBe('test over [REDACTED]');
      expect(JSON.stringify(await call)).toContain('Reason: test over [REDACTED]');
    } finally {
      await t.api('PUT', '/settings', { redaction_words: [] });
      await t.api('DELETE', `/auth-scopes/${scope}`);
    }
  });
});
