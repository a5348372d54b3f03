import type * as vscode from 'vscode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalsController, type ApprovalsClient } from '../../../src/extension/approvals/controller.js';
import type { GatewayState } from '../../../src/extension/gateway-connection.js';
import type { ApprovalRecord } from '../../../src/shared/approval-record.js';
import { EventEmitter, fake, resetFake, window, windowStateChanged } from '../../fakes/vscode.js';

/** A client double: the approvals stream is driven by the test; lists answer from fixed data. */
function fakeClient(pending: ApprovalRecord[] = []) {
  const listeners = { event: new Set<(e: unknown) => void>(), status: new Set<(s: string) => void>() };
  const stream = {
    closed: false,
    onEvent: (l: (e: unknown) => void) => (listeners.event.add(l), () => listeners.event.delete(l)),
    onStatus: (l: (s: string) => void) => (listeners.status.add(l), () => listeners.status.delete(l)),
    onError: () => () => undefined,
    close: () => void (stream.closed = true),
  };
  const client = {
    approvalStream: () => stream,
    listApprovals: async () => pending,
    listWindows: async () => [
      { window_id: 'me', folders: ['/w/project'] },
      { window_id: 'them', folders: ['/w/other'] },
    ],
    listWorkspaces: async () => [
      { id: 'p', root_path: '/w/project' },
      { id: 'o', root_path: '/w/other' },
      { id: 'global', root_path: '/' },
    ],
    listDownstreams: async () => [{ id: 'ev', name: 'Everything' }],
  } as unknown as ApprovalsClient;
  const emit = (type: 'pending' | 'resolved', approval: ApprovalRecord) => listeners.event.forEach((l) => l({ type, approval }));
  const open = () => listeners.status.forEach((l) => l('open'));
  return { client, stream, emit, open };
}

const approval = (id: string, workspace_id: string, over: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
  id,
  status: 'pending',
  request_session_id: 's',
  request_client_type: 'cursor',
  request_model: null,
  workspace_id,
  workspace_name: workspace_id,
  tool_name: 'ev__echo',
  arguments: {},
  justification: null,
  route_rule_id: null,
  downstream_server_id: 'ev',
  auth_scope_id: null,
  approver_session_id: null,
  approver_type: null,
  resolution: null,
  timeout_sec: 60,
  created_at: '2026-01-01T00:00:00Z',
  resolved_at: null,
  ...over,
});

const log = window.createOutputChannel('t') as unknown as vscode.LogOutputChannel;
let controller: ApprovalsController | undefined;
const start = (client: ApprovalsClient, state: GatewayState = 'ready') => {
  const states = new EventEmitter<GatewayState>();
  const gateway = {
    state,
    client,
    folders: ['/w/project'],
    onDidChangeState: states.event as vscode.Event<GatewayState>,
    onEvent: new EventEmitter<never>().event,
  };
  controller = new ApprovalsController({ gateway, windowId: 'me', log });
  return { controller, states };
};
const shown = () => fake.progress.map((p) => ({ title: p.title, done: p.done }));
const statusText = () => fake.statusBarItems.filter((i) => i.visible).map((i) => String(i.text));

beforeEach(() => resetFake());
afterEach(() => controller?.dispose());

describe('the approvals controller over the stream', () => {
  it('raises what this window owns and what nobody owns, counts the rest, and closes on resolved', async () => {
    const { client, emit } = fakeClient();
    const { controller } = start(client);
    emit('pending', approval('a', 'p'));
    emit('pending', approval('b', 'o'));
    emit('pending', approval('c', 'global'));
    await controller.settled();
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.progress.map((p) => p.messages[0]?.includes('%22a%22') ?? false)).toEqual([true, false]);
    expect(fake.progress).toHaveLength(2);
    expect(statusText()).toEqual(['$(bell-dot) 3 approvals']);
    emit('resolved', approval('a', 'p', { status: 'approved', approver_type: 'dashboard' }));
    emit('resolved', approval('b', 'o', { status: 'denied', approver_type: 'dashboard' }));
    await controller.settled();
    expect(fake.progress[0]!.messages.at(-1)).toBe('approved by the dashboard (an editor window or the browser)');
    expect(statusText()).toEqual(['$(bell-dot) 1 approval']);
  });

  it('whenFocused: an owned request waits in the count while unfocused and is raised on focus; never only counts', async () => {
    fake.settings['mcplexer.approvals.notify'] = 'whenFocused';
    fake.focused = false;
    const { client, emit } = fakeClient();
    const { controller } = start(client);
    emit('pending', approval('a', 'p'));
    await controller.settled();
    expect(shown()).toEqual([]);
    expect(fake.statusBarItems.find((i) => i.visible)?.backgroundColor).toMatchObject({ id: 'statusBarItem.warningBackground' });
    fake.focused = true;
    windowStateChanged.fire({ focused: true });
    await controller.settled();
    await new Promise((r) => setTimeout(r, 0));
    expect(shown()).toEqual([{ title: 'MCPlexer: ev__echo needs your approval', done: false }]);

    fake.settings['mcplexer.approvals.notify'] = 'never';
    emit('pending', approval('b', 'p'));
    await controller.settled();
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.progress).toHaveLength(1);
    expect(statusText()).toEqual(['$(bell-dot) 2 approvals']);
  });

  it('each (re)connection reads the pending list: what was missed is raised, what ended is closed; a lost gateway closes all', async () => {
    const { client, open, stream } = fakeClient([approval('x', 'p')]);
    const { controller, states } = start(client);
    open();
    await controller.settled();
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.progress).toHaveLength(1);
    states.fire('error');
    await controller.settled();
    await new Promise((r) => setTimeout(r, 0));
    expect(stream.closed).toBe(true);
    expect(fake.progress[0]!.done).toBe(true);
    expect(statusText()).toEqual([]);
  });
});
