// The call pipeline's settled record, seen by a test sink on a real gateway with real downstreams
// (server-everything and the raw fixture over stdio) and real SDK clients: every tools/call (lean
// path), resources/read, prompts/get and completion/complete (SDK path) hands the sink exactly
// one record, with the status and code issue 17's audit needs — success, tool error, deny,
// default deny, approval, unknown tool, a downstream's JSON-RPC error, a crash, a cancellation.
// It also pins the policy of resources and prompts: routed like a tool of their name
// (`<namespace>__<prompt>`, `<namespace>__<the server's URI>`), so a deny rule covering them
// refuses them, before the downstream, and the refusal is recorded as `blocked`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForPending } from '../helpers/approvals.js';
import { RecordingSink } from '../helpers/call-records.js';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, rawBody, rejection } from '../helpers/mcp.js';

const DOC = 'demo://resource/static/document/architecture.md';
const DOC_URI = `mcplexer://ev/${DOC}`;

let t: TestGateway;
const sink = new RecordingSink();
const dirs: string[] = [];
const clients: Client[] = [];
let evId: string;
let rawId: string;
/** Workspace ids: `open` (allow by default, some deny rules), `closed` (deny by default), `walled` (deny `ev__*`). */
const ws: Record<string, string> = {};
const rules: Record<string, string> = {};
/** A client per workspace. */
const client: Record<string, Client> = {};

async function rule(name: string, body: Record<string, unknown>): Promise<void> {
  const res = await t.api('POST', '/routes', body);
  expect(res.status).toBe(201);
  rules[name] = res.body.id;
}

const sessionOf = (c: Client) => (c.transport as unknown as { sessionId: string }).sessionId;

/** Runs one client request and answers the records the sink got for it (waiting briefly for a settled cancel). */
async function recordsOf(request: () => Promise<unknown>, expected = 1) {
  const from = sink.records.length;
  await request().catch(() => undefined);
  await waitFor(() => sink.records.length - from >= expected, 5_000);
  return sink.since(from);
}

beforeAll(async () => {
  t = await startTestGateway({ callRecords: sink });
  evId = (await addServer(t, everythingStdioBody('ev'))).id;
  rawId = (await addServer(t, rawBody('raw'))).id;
  for (const [name, policy] of [
    ['open', 'allow'],
    ['closed', 'deny'],
    ['walled', 'allow'],
  ] as const) {
    const dir = mkdtempSync(path.join(tmpdir(), `mcplexer-records-${name}-`));
    dirs.push(dir);
    const res = await t.api('POST', '/workspaces', { name: `Records ${name}`, root_path: dir, default_policy: policy });
    expect(res.status).toBe(201);
    ws[name] = res.body.id;
  }
  await rule('sum', { workspace_id: ws.open, tool_pattern: 'ev__get-sum', policy: 'deny' });
  await rule('image', { workspace_id: ws.open, tool_pattern: 'ev__get-tiny-image', policy: 'approve' });
  await rule('simplePrompt', { workspace_id: ws.open, tool_pattern: 'ev__simple-prompt', policy: 'deny' });
  await rule('dynamicResources', { workspace_id: ws.open, tool_pattern: 'ev__demo://resource/dynamic/*', policy: 'deny' });
  await rule('echo', { workspace_id: ws.closed, tool_pattern: 'ev__echo', policy: 'allow' });
  await rule('wall', { workspace_id: ws.walled, tool_pattern: 'ev__*', policy: 'deny' });
  for (const name of ['open', 'closed', 'walled']) {
    client[name] = await connectHttp(t, { headers: { 'X-MCPlexer-Workspace': ws[name]! } });
    clients.push(client[name]!);
  }
  await client.open!.listTools();
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await t?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('one settled record per tools/call', () => {
  it('success: the session, client, workspace, server, names, latency and response size', async () => {
    let result: unknown;
    const records = await recordsOf(async () => {
      result = await client.open!.callTool({ name: 'ev__echo', arguments: { message: 'hi' } });
    });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      method: 'tools/call',
      status: 'success',
      error_code: null,
      session_id: sessionOf(client.open!),
      client_type: 'mcplexer-it',
      workspace_id: ws.open,
      workspace_name: 'Records open',
      subpath: '',
      tool_name: 'ev__echo',
      route_rule_id: null,
      downstream_server_id: evId,
      auth_scope_id: null,
      cache_hit: false,
    });
    expect(records[0]!.latency_ms).toBeGreaterThan(0);
    const { content } = result as { content: unknown };
    // the result as the client gets it: the downstream's, with the cache's `_meta.cache`
    expect(records[0]!.response_size).toBe(Buffer.byteLength(JSON.stringify({ content, _meta: { cache: { cached: false } } })));
    expect(Date.parse(records[0]!.timestamp)).toBeLessThanOrEqual(Date.now());
  });

  it('the subpath is the client directory relative to the deciding workspace root', async () => {
    const inside = await connectHttp(t, { headers: { 'X-MCPlexer-Workspace': path.join(dirs[0]!, 'src', 'app') } });
    clients.push(inside);
    const records = await recordsOf(() => inside.callTool({ name: 'ev__echo', arguments: { message: 'deep' } }));
    expect(records).toMatchObject([{ status: 'success', workspace_id: ws.open, subpath: 'src/app', session_id: sessionOf(inside) }]);
  });

  it('a tool result with isError: true is an error, tool_error, with its first text', async () => {
    const records = await recordsOf(() => client.closed!.callTool({ name: 'ev__echo', arguments: { message: 42 } }));
    expect(records).toMatchObject([{ status: 'error', error_code: 'tool_error', tool_name: 'ev__echo', route_rule_id: rules.echo, workspace_id: ws.closed }]);
    expect(records[0]!.error_message).toMatch(/message/);
  });

  it.each([
    ['a deny rule', 'open', 'ev__get-sum', { status: 'blocked', error_code: 'denied', route_rule_id: 'sum', workspace: 'open' }],
    ['a deny rule covering a namespace', 'walled', 'ev__echo', { status: 'blocked', error_code: 'denied', route_rule_id: 'wall', workspace: 'walled' }],
    ['a default deny', 'closed', 'ev__get-env', { status: 'blocked', error_code: 'no_route', route_rule_id: undefined, workspace: 'closed' }],
    [
      'a default deny of a name nobody offers',
      'closed',
      'nobody__x',
      { status: 'blocked', error_code: 'no_route', route_rule_id: undefined, workspace: 'closed' },
    ],
    ['an unknown namespace', 'open', 'nobody__x', { status: 'error', error_code: 'unknown_tool', route_rule_id: undefined, workspace: 'open' }],
    ['an unknown tool of a known server', 'open', 'raw__no_such_tool', { status: 'error', error_code: '-32602', route_rule_id: undefined, workspace: 'open' }],
  ] as const)('%s', async (_label, where, name, expected) => {
    const records = await recordsOf(() => client[where]!.callTool({ name, arguments: {} }));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      method: 'tools/call',
      tool_name: name,
      status: expected.status,
      error_code: expected.error_code,
      route_rule_id: expected.route_rule_id === undefined ? null : rules[expected.route_rule_id],
      workspace_id: ws[expected.workspace],
    });
    expect(records[0]!.error_message).toBeTruthy();
  });

  it('approval denied over REST: blocked, approval_denied, with its approval id', async () => {
    const records = await recordsOf(async () => {
      const call = client.open!.callTool({ name: 'ev__get-tiny-image', arguments: {} });
      const pending = await waitForPending(t, 'ev__get-tiny-image');
      await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: false, resolution: 'no images' });
      return call;
    });
    expect(records).toMatchObject([{ status: 'blocked', error_code: 'approval_denied', route_rule_id: rules.image, workspace_id: ws.open }]);
    expect(records[0]!.error_message).toBe('Tool call denied by the dashboard. Reason: no images');
    expect(sink.records.at(-1)!.approvalId).toEqual(expect.any(String));
  });

  it('a downstream that crashes during the call: error, downstream_unavailable', async () => {
    const records = await recordsOf(() => client.open!.callTool({ name: 'raw__crash', arguments: {} }));
    expect(records).toMatchObject([{ status: 'error', error_code: 'downstream_unavailable', tool_name: 'raw__crash', downstream_server_id: rawId }]);
  });

  it('a call the client cancels: error, cancelled (it had reached the downstream)', async () => {
    const controller = new AbortController();
    const records = await recordsOf(async () => {
      const call = client.open!.callTool({ name: 'raw__hang', arguments: {} }, { signal: controller.signal });
      setTimeout(() => controller.abort('changed my mind'), 200);
      await call;
    });
    expect(records).toMatchObject([{ status: 'error', error_code: 'cancelled', tool_name: 'raw__hang' }]);
  });
});

describe('resources/read, prompts/get and completion/complete go through the pipeline', () => {
  it('are recorded on success, routed by their owning server', async () => {
    const read = await recordsOf(() => client.open!.readResource({ uri: DOC_URI }));
    expect(read).toMatchObject([{ method: 'resources/read', status: 'success', tool_name: `ev__${DOC}`, downstream_server_id: evId, workspace_id: ws.open }]);
    expect(read[0]!.response_size).toBeGreaterThan(0);
    const prompt = await recordsOf(() => client.open!.getPrompt({ name: 'ev__args-prompt', arguments: { city: 'Oslo' } }));
    expect(prompt).toMatchObject([{ method: 'prompts/get', status: 'success', tool_name: 'ev__args-prompt', downstream_server_id: evId }]);
    const completion = await recordsOf(() =>
      client.open!.complete({ ref: { type: 'ref/prompt', name: 'ev__completable-prompt' }, argument: { name: 'department', value: 'Mar' } }),
    );
    expect(completion).toMatchObject([{ method: 'completion/complete', status: 'success', tool_name: 'ev__completable-prompt' }]);
  });

  it('are refused by a deny rule that covers them (a namespace rule), recorded as blocked', async () => {
    const c = client.walled!;
    const cases: Array<[string, () => Promise<unknown>, string]> = [
      ['resources/read', () => c.readResource({ uri: DOC_URI }), `ev__${DOC}`],
      ['prompts/get', () => c.getPrompt({ name: 'ev__args-prompt', arguments: { city: 'Oslo' } }), 'ev__args-prompt'],
      [
        'completion/complete',
        () => c.complete({ ref: { type: 'ref/prompt', name: 'ev__completable-prompt' }, argument: { name: 'department', value: 'Mar' } }),
        'ev__completable-prompt',
      ],
    ];
    for (const [method, request, name] of cases) {
      const refusal = await rejection(request());
      expect(refusal.code).toBe(-32003);
      expect(refusal.message).toMatch(/denied/);
      const records = sink.since(sink.records.length - 1);
      expect(records).toMatchObject([{ method, status: 'blocked', error_code: 'denied', tool_name: name, route_rule_id: rules.wall }]);
    }
    // A subscription is refused the same way (and is no call: nothing recorded).
    const before = sink.records.length;
    expect((await rejection(c.subscribeResource({ uri: DOC_URI }))).code).toBe(-32003);
    expect(sink.records.length).toBe(before);
  });

  it('are refused by a rule naming one prompt or one resource path, while the others go through', async () => {
    const c = client.open!;
    expect((await rejection(c.getPrompt({ name: 'ev__simple-prompt' }))).code).toBe(-32003);
    expect(sink.since(sink.records.length - 1)).toMatchObject([{ method: 'prompts/get', status: 'blocked', route_rule_id: rules.simplePrompt }]);
    expect((await rejection(c.readResource({ uri: 'mcplexer://ev/demo://resource/dynamic/text/1' }))).code).toBe(-32003);
    expect(sink.since(sink.records.length - 1)).toMatchObject([{ method: 'resources/read', status: 'blocked', route_rule_id: rules.dynamicResources }]);
    expect((await c.readResource({ uri: DOC_URI })).contents[0]).toMatchObject({ uri: DOC_URI });
  });

  it('an unknown prompt or resource is an error with the method’s own words, recorded once', async () => {
    const prompt = await recordsOf(() => client.open!.getPrompt({ name: 'nobody__prompt' }));
    expect(prompt).toMatchObject([{ method: 'prompts/get', status: 'error', error_code: 'invalid_params' }]);
    const resource = await recordsOf(() => client.open!.readResource({ uri: 'mcplexer://nobody/x://y' }));
    expect(resource).toMatchObject([{ method: 'resources/read', status: 'error', error_code: 'not_found' }]);
  });
});
