// An approval covers the call as it was decided, not whatever the config becomes while it waits
// (a new user's trial: approving a waiting call ran it after a deny rule was added, after its
// server was disabled, and even after its server was deleted, which started the deleted server
// again; a cascade delete of its workspace left the request pending). Real gateway, real SDK
// client, the spec fixture as downstream (its answer says which server a call reached).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForPending } from '../helpers/approvals.js';
import { RecordingSink } from '../helpers/call-records.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { rejection } from '../helpers/mcp.js';
import { addSpecServer, connectClient, reached, scratchDir, type McpClient } from '../helpers/original-harness.js';

let t: TestGateway;
const sink = new RecordingSink();
const dir = scratchDir();
const clients: McpClient[] = [];
const CHANGED = 'the configuration changed while the call waited for approval';

const recordOf = (approvalId: string) => sink.records.find((r) => r.approvalId === approvalId);

async function client(folder?: string): Promise<McpClient> {
  const c = await connectClient(t, folder ? { dir: folder } : {});
  clients.push(c);
  return c;
}

async function approve(id: string): Promise<void> {
  expect((await t.api('POST', `/approvals/${id}/resolve`, { approved: true, resolution: 'ok' })).status).toBe(200);
}

beforeAll(async () => {
  t = await startTestGateway({ callRecords: sink });
  for (const label of ['sa', 'sb', 'sc', 'sd']) await addSpecServer(t, dir, label, ['do_it'], { id: label });
  expect((await t.api('POST', '/routes', { id: 'gate-all', workspace_id: 'global', tool_pattern: 's*__do_it', policy: 'approve' })).status).toBe(201);
}, 60_000);
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a call approved after the config changed is judged by the config of now', () => {
  it('a deny rule added during the wait refuses it after approval: denied, blocked, the server never reached', async () => {
    const { client: c } = await client();
    const call = c.callTool({ name: 'sa__do_it', arguments: { n: 1 } });
    const pending = await waitForPending(t, 'sa__do_it');
    expect((await t.api('POST', '/routes', { id: 'deny-sa', workspace_id: 'global', tool_pattern: 'sa__do_it', policy: 'deny', priority: 1000 })).status).toBe(
      201,
    );
    await approve(pending.id);
    const refused = await rejection(call);
    expect(refused.data).toMatchObject({ code: 'denied' });
    expect(refused.message).toContain('deny-sa');
    expect(refused.message).toContain(CHANGED);
    expect(recordOf(pending.id)).toMatchObject({ status: 'blocked', errorCode: 'denied', invoked: false });
  });

  it('a server disabled during the wait is not called after approval', async () => {
    const { client: c } = await client();
    const call = c.callTool({ name: 'sb__do_it', arguments: { n: 2 } });
    const pending = await waitForPending(t, 'sb__do_it');
    expect((await t.api('PUT', '/downstreams/sb', { enabled: false })).status).toBe(200);
    await approve(pending.id);
    const refused = await rejection(call);
    expect(refused.data).toMatchObject({ code: 'server_disabled' });
    expect(refused.message).toContain(CHANGED);
    expect(recordOf(pending.id)).toMatchObject({ invoked: false });
  });

  it('a server deleted with ?cascade=true cancels its waiting request at once, and nothing starts it again', async () => {
    const { client: c } = await client();
    const call = c.callTool({ name: 'sc__do_it', arguments: { n: 3 } });
    const pending = await waitForPending(t, 'sc__do_it');
    expect((await t.api('DELETE', '/downstreams/sc?cascade=true')).status).toBe(204);
    const refused = await rejection(call);
    expect(refused.data).toMatchObject({ code: 'cancelled' });
    expect(refused.message).toContain('server sc was deleted');
    expect((await t.api('GET', `/approvals/${pending.id}`)).body).toMatchObject({
      status: 'cancelled',
      approver_type: 'system',
      resolution: 'server sc was deleted',
    });
    expect(recordOf(pending.id)).toMatchObject({ status: 'blocked', errorCode: 'cancelled', invoked: false });
    const health = (await t.api('GET', '/health')).body as { downstreams: Array<{ server_id: string }> };
    expect(health.downstreams.map((d) => d.server_id)).not.toContain('sc');
  });

  it('a workspace deleted with ?cascade=true cancels the requests made in it, naming it', async () => {
    const root = path.join(dir, 'shop');
    expect((await t.api('POST', '/workspaces', { id: 'ws-shop', name: 'Shop', root_path: root })).status).toBe(201);
    const { client: c } = await client(root);
    const call = c.callTool({ name: 'sd__do_it', arguments: { n: 4 } });
    const pending = await waitForPending(t, 'sd__do_it');
    expect(pending.workspace_id).toBe('ws-shop');
    expect((await t.api('DELETE', '/workspaces/ws-shop?cascade=true')).status).toBe(204);
    const refused = await rejection(call);
    expect(refused.message).toContain('workspace "Shop" was deleted');
    expect((await t.api('GET', `/approvals/${pending.id}`)).body).toMatchObject({ status: 'cancelled' });
  });

  it('a change that leaves its route alone does not stand in the way: the approved call runs', async () => {
    const { client: c } = await client();
    const call = c.callTool({ name: 'sd__do_it', arguments: { n: 5 } });
    const pending = await waitForPending(t, 'sd__do_it');
    expect((await t.api('POST', '/workspaces', { id: 'ws-other', name: 'Other', root_path: path.join(dir, 'other') })).status).toBe(201);
    expect((await t.api('POST', '/routes', { id: 'unrelated', workspace_id: 'global', tool_pattern: 'zz__*', policy: 'deny' })).status).toBe(201);
    await approve(pending.id);
    expect(reached(await call)).toMatchObject({ server: 'sd', tool: 'do_it', args: { n: 5 } });
    expect(recordOf(pending.id)).toMatchObject({ status: 'success' });
  });

  it('prompts/get (the other path) is judged again too', async () => {
    expect(
      (await t.api('POST', '/routes', { id: 'gate-prompt', workspace_id: 'global', tool_pattern: 'sd__greet', policy: 'approve', priority: 500 })).status,
    ).toBe(201);
    const { client: c } = await client();
    const call = c.getPrompt({ name: 'sd__greet' });
    const pending = await waitForPending(t, 'sd__greet');
    expect(
      (await t.api('POST', '/routes', { id: 'deny-prompt', workspace_id: 'global', tool_pattern: 'sd__greet', policy: 'deny', priority: 1000 })).status,
    ).toBe(201);
    await approve(pending.id);
    const refused = await rejection(call);
    expect(refused.data).toMatchObject({ code: 'denied' });
    expect(refused.message).toContain(CHANGED);
  });
});
