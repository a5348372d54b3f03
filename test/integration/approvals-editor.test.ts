// Issue 18 "Approval notifications", the extension's side against a real gateway: two editor
// windows (two ApprovalsControllers over the fake `vscode`, each with its own RestClient, folders and
// registered lease) follow the real approvals stream while an external SDK client makes calls that
// need approval. The window owning the call's workspace raises the notification, the other only
// counts it; an unowned (`global`) request is raised in both; a resolution from any channel closes it
// everywhere; a second answer gets "already … by …" from the 409. The Approvals view's host handlers
// answer and relay the same stream.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import type * as vscode from 'vscode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerApprovals } from '../../src/extension/approvals/index.js';
import { APPROVE_COMMAND, DENY_COMMAND } from '../../src/extension/approvals/wording.js';
import type { GatewayState } from '../../src/extension/gateway-connection.js';
import type { ApprovalRecord } from '../../src/shared/approval-record.js';
import type { GatewayEvent } from '../../src/shared/schemas/daemon.js';
import { RestClient } from '../../src/shared/rest-client.js';
import { approvalsHandlers } from '../../src/shared/webviews/host/approvals-handlers.js';
import { fake, EventEmitter, resetFake, window } from '../fakes/vscode.js';
import { waitForPending } from '../helpers/approvals.js';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, text } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;
type Window = Awaited<ReturnType<typeof openWindow>>;
let owner: Window;
let other: Window;
const root = mkdtempSync(path.join(tmpdir(), 'mcplexer-approvals-'));
const [projectDir, otherDir] = ['project', 'other'].map((name) => path.join(root, name)) as [string, string];
const log = window.createOutputChannel('t') as unknown as vscode.LogOutputChannel;
const disposables: Array<{ dispose(): unknown }> = [];

/** One editor window: its lease, folders, and the approvals controller over its own REST client. */
async function openWindow(windowId: string, folder: string) {
  const rest = new RestClient(t.url, t.token);
  const own: Array<{ dispose(): unknown }> = [];
  await rest.registerWindow({ window_id: windowId, folders: [folder], client: 'vscode', version: '0.0.0-test' });
  const states = new EventEmitter<GatewayState>();
  // The daemon's event stream, as the window's connection relays it (windows.changed among them).
  const events = new EventEmitter<GatewayEvent>();
  const stream = rest.events();
  stream.onEvent((event) => events.fire(event));
  own.push({ dispose: () => stream.close() });
  const gateway = {
    state: 'ready' as const,
    client: rest,
    folders: [folder],
    onDidChangeState: states.event as vscode.Event<GatewayState>,
    onEvent: events.event as vscode.Event<GatewayEvent>,
  };
  const registered = registerApprovals({ gateway, windowId, log });
  own.push(...registered);
  disposables.push(...own);
  const controller = registered[0] as unknown as { inbox: { count: number }; notifications: { isOpen(id: string): boolean } };
  /** The window closes: its lease ends, its stream and its controller and commands go. */
  const close = async () => {
    await rest.unregisterWindow(windowId);
    for (const d of own.reverse()) d.dispose();
  };
  return Object.assign(controller, { rest, close });
}

const progressOf = (id: string) => fake.progress.filter((p) => p.messages[0]?.includes(encodeURIComponent(JSON.stringify([id]))));

beforeAll(async () => {
  for (const dir of [projectDir, otherDir]) mkdirSync(dir, { recursive: true });
  t = await startTestGateway();
  await addServer(t, everythingStdioBody('ev'));
  for (const dir of [projectDir, otherDir]) expect((await t.api('POST', '/workspaces', { name: path.basename(dir), root_path: dir })).status).toBe(201);
  expect(
    (await t.api('POST', '/routes', { id: 'gate-all', workspace_id: 'global', tool_pattern: 'ev__echo', policy: 'allow', approval_mode: 'all' })).status,
  ).toBe(201);
  resetFake();
  owner = await openWindow('win-project', projectDir);
  other = await openWindow('win-other', otherDir);
  client = await connectHttp(t, { name: 'e2e-sdk-client', headers: { 'x-mcplexer-workspace': projectDir } });
}, 60_000);
afterAll(async () => {
  for (const d of disposables) d.dispose();
  await client?.close();
  await t?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('approval notifications in two windows', () => {
  it('the owning window raises it, the other counts it; Approve lets the call through and closes it everywhere; a second answer is told who answered', async () => {
    const call = client.callTool({ name: 'ev__echo', arguments: { message: 'hi', api_key: 'sk-live-0123456789abcdef0123' } });
    const pending = await waitForPending(t, 'ev__echo');
    await waitFor(() => owner.inbox.count === 1 && other.inbox.count === 1 && progressOf(pending.id).length === 1);
    const [note] = progressOf(pending.id);
    expect(note!.title).toBe('MCPlexer: ev__echo needs your approval');
    expect(note!.messages[0]).toContain('e2e-sdk-client asks to call ev__echo on Everything ev (workspace project).');
    expect(note!.messages[0]).toContain('Arguments: {"message":"hi","api_key":"[REDACTED]"}.');
    expect(note!.messages[0]).not.toContain('sk-live');
    expect(owner.notifications.isOpen(pending.id)).toBe(true);
    expect(other.notifications.isOpen(pending.id)).toBe(false);
    expect(fake.statusBarItems.filter((i) => i.visible && String(i.text).includes('1 approval'))).toHaveLength(2);

    await fake.commands.get(APPROVE_COMMAND)!(pending.id);
    expect(text(await call)).toBe('Echo: hi');
    await waitFor(() => owner.inbox.count === 0 && other.inbox.count === 0 && note!.done);
    expect((await t.api('GET', `/approvals/${pending.id}`)).body).toMatchObject({ status: 'approved', approver_type: 'dashboard' });

    // A late click on the closed notification: the gateway's 409, said with who answered.
    await fake.commands.get(APPROVE_COMMAND)!(pending.id);
    expect(fake.messages).toContainEqual({
      level: 'info',
      text: 'MCPlexer: the request to call ev__echo was already approved by the dashboard (an editor window or the browser).',
    });
  });

  it('a request whose window closes is raised in the windows left (a trial: it was only counted there until it timed out)', async () => {
    const thirdDir = path.join(root, 'third');
    mkdirSync(thirdDir, { recursive: true });
    expect((await t.api('POST', '/workspaces', { name: 'third', root_path: thirdDir })).status).toBe(201);
    const third = await openWindow('win-third', thirdDir);
    const thirdClient = await connectHttp(t, { name: 'third-client', headers: { 'x-mcplexer-workspace': thirdDir } });
    const call = thirdClient.callTool({ name: 'ev__echo', arguments: { message: 'orphaned' } });
    const pending = await waitForPending(t, 'ev__echo');
    expect(await waitFor(() => third.notifications.isOpen(pending.id) && owner.inbox.count === 1 && other.inbox.count === 1)).toBe(true);
    expect(owner.notifications.isOpen(pending.id) || other.notifications.isOpen(pending.id)).toBe(false);
    await third.close();
    expect(await waitFor(() => owner.notifications.isOpen(pending.id) && other.notifications.isOpen(pending.id))).toBe(true);
    expect((await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: false, resolution: 'not now' })).status).toBe(200);
    await call;
    await thirdClient.close();
    await waitFor(() => owner.inbox.count === 0 && other.inbox.count === 0);
  });

  it('a request no window owns (global) is raised in both; Deny with a reason reaches the client and closes both', async () => {
    const unowned = await connectHttp(t, { name: 'global-client', headers: { 'x-mcplexer-workspace': path.join(root, 'nowhere') } });
    try {
      const call = unowned.callTool({ name: 'ev__echo', arguments: { message: 'rm -rf' } });
      const pending = await waitForPending(t, 'ev__echo');
      expect(pending.workspace_id).toBe('global');
      await waitFor(() => progressOf(pending.id).length === 2);
      fake.inputBox = 'not on this machine';
      await fake.commands.get(DENY_COMMAND)!(pending.id);
      const result = (await call) as { isError?: boolean };
      expect(result.isError).toBe(true);
      expect(text(result)).toContain('Reason: not on this machine');
      await waitFor(() => progressOf(pending.id).every((p) => p.done));
      // The other window's notification said why it closed before it went.
      expect(progressOf(pending.id).some((p) => p.messages.includes('denied by the dashboard (an editor window or the browser)'))).toBe(true);
    } finally {
      await unowned.close();
    }
  });

  it('Deny dismissed with Escape answers nothing; the request still waits, and its timeout closes it with a message', async () => {
    expect(
      (await t.api('POST', '/routes', { id: 'gate-sum', workspace_id: 'global', tool_pattern: 'ev__get-sum', policy: 'approve', approval_timeout: 1 })).status,
    ).toBe(201);
    const call = client.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 2 } });
    const pending = await waitForPending(t, 'ev__get-sum');
    await waitFor(() => progressOf(pending.id).length >= 1);
    fake.inputBox = undefined;
    await fake.commands.get(DENY_COMMAND)!(pending.id);
    expect((await t.api('GET', `/approvals/${pending.id}`)).body.status).toBe('pending');
    expect(text(await call)).toMatch(/timed out/i);
    await waitFor(() => progressOf(pending.id).some((p) => p.messages.includes('timed out after 1 s')));
  });
});

describe('the Approvals view host handlers on the real gateway', () => {
  it('list the pending, relay the stream, resolve once, and answer a second resolve with who answered', async () => {
    const notes: Array<{ method: string; params: any }> = [];
    const closers: Array<() => void> = [];
    const rest = new RestClient(t.url, t.token);
    const handlers = approvalsHandlers(
      { client: () => rest, folders: () => [] },
      { notify: (method, params) => void notes.push({ method, params }), onDispose: (fn) => void closers.push(fn) },
    );
    await handlers['approvals/subscribe']({});
    await waitFor(() => notes.some((n) => n.method === 'approvals/stream' && n.params.status === 'open'));
    const call = client.callTool({ name: 'ev__echo', arguments: { message: 'from the view' } });
    const pending = await waitForPending(t, 'ev__echo');
    await waitFor(() => notes.some((n) => n.method === 'approvals/event' && n.params.type === 'pending' && n.params.approval.id === pending.id));
    expect(((await handlers['approvals/pending']({})) as ApprovalRecord[]).map((a) => a.id)).toContain(pending.id);
    expect(await handlers['approvals/resolve']({ id: pending.id, approved: true, resolution: 'looks fine' })).toMatchObject({
      ok: true,
      result: { status: 'approved' },
    });
    expect(text(await call)).toBe('Echo: from the view');
    const again = await handlers['approvals/resolve']({ id: pending.id, approved: false });
    expect(again).toMatchObject({ ok: false, message: expect.stringContaining('already approved by the dashboard') });
    await waitFor(() => notes.some((n) => n.method === 'approvals/event' && n.params.type === 'resolved' && n.params.approval.id === pending.id));
    const history = (await handlers['approvals/history']({ status: 'approved' })) as ApprovalRecord[];
    expect(history.find((a) => a.id === pending.id)).toMatchObject({ resolution: 'looks fine', approver_type: 'dashboard' });
    for (const close of closers) close();
  });
});
