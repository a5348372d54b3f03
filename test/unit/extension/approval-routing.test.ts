import { describe, expect, it } from 'vitest';
import { ApprovalInbox, type InboxEffect } from '../../../src/extension/approvals/inbox.js';
import { deliveryFor, notifySetting, ownersOf, ownsRequest, type WindowFolders } from '../../../src/extension/approvals/routing.js';
import type { ApprovalRecord } from '../../../src/shared/approval-record.js';

const windows: WindowFolders[] = [
  { window_id: 'repo', folders: ['/home/me/repo'] },
  { window_id: 'pkg', folders: ['/home/me/repo/packages/a'] },
  { window_id: 'multi', folders: ['/home/me/notes', '/home/me/repo/packages'] },
  { window_id: 'sibling', folders: ['/home/me/repo-old'] },
];

describe('which window owns a request', () => {
  it.each([
    ['the window holding the root itself', '/home/me/repo/packages/a', ['pkg']],
    ['the deepest ancestor folder, not a shallower one', '/home/me/repo/packages/a/src', ['pkg']],
    ['a multi-root window by its deeper folder', '/home/me/repo/packages/b', ['multi']],
    ['the window of a shallower ancestor when no deeper one matches', '/home/me/repo/docs', ['repo']],
    ['not a sibling whose name only starts the same (/repo-old ≠ /repo)', '/home/me/repo-old/x', ['sibling']],
    ['trailing separators and dots are normalised', '/home/me/repo/./packages/a/', ['pkg']],
  ])('%s', (_label, root, owners) => {
    expect(ownersOf('ws', root, windows)).toEqual(owners);
  });

  it('two windows on the same folder both own it', () => {
    expect(
      ownersOf('ws', '/w/x', [
        { window_id: 'a', folders: ['/w/x'] },
        { window_id: 'b', folders: ['/w/x'] },
        { window_id: 'c', folders: ['/w'] },
      ]),
    ).toEqual(['a', 'b']);
  });

  it('a folder inside the workspace root does not own it; a workspace no window matches has no owner', () => {
    expect(ownersOf('ws', '/home/me', windows)).toEqual([]);
    expect(ownersOf('ws', '/srv/elsewhere', windows)).toEqual([]);
    expect(ownersOf('ws', undefined, windows)).toEqual([]);
  });

  it('global (root /) is never owned, even by a window opened on /', () => {
    expect(ownersOf('global', '/', [...windows, { window_id: 'root', folders: ['/'] }])).toEqual([]);
  });

  it('ownsRequest: owned → only the owner; unowned → every window; this window counts before GET /windows lists it', () => {
    const workspaces = [
      { id: 'a', root_path: '/home/me/repo/packages/a' },
      { id: 'far', root_path: '/srv/far' },
      { id: 'global', root_path: '/' },
    ];
    const mine = (self: WindowFolders, workspaceId: string, list = windows) => ownsRequest({ self, windows: list, workspaces, workspaceId });
    expect(mine(windows[1]!, 'a')).toBe(true);
    expect(mine(windows[0]!, 'a')).toBe(false);
    for (const w of windows) expect(mine(w, 'far')).toBe(true);
    for (const w of windows) expect(mine(w, 'global')).toBe(true);
    // An unknown workspace id (created after the list was read) goes to everyone.
    expect(mine(windows[0]!, 'new-one')).toBe(true);
    // Not registered yet, but its folder is the deepest: it owns, and the shallower window does not.
    const fresh = { window_id: 'fresh', folders: ['/home/me/repo/packages/a'] };
    expect(mine(fresh, 'a', [windows[0]!])).toBe(true);
    expect(mine(windows[0]!, 'a', [windows[0]!, fresh])).toBe(false);
    // Its own folders are the live ones, not the list's stale copy.
    expect(mine({ window_id: 'repo', folders: ['/srv/far'] }, 'a', [windows[0]!])).toBe(true);
  });
});

describe('the notify setting', () => {
  it.each([
    [true, 'always', true, 'notify'],
    [true, 'always', false, 'notify'],
    [true, 'whenFocused', true, 'notify'],
    [true, 'whenFocused', false, 'wait'],
    [true, 'never', true, 'count'],
    [false, 'always', true, 'count'],
    [false, 'whenFocused', false, 'count'],
  ] as const)('owned %s, %s, focused %s → %s', (owned, setting, focused, delivery) => {
    expect(deliveryFor(owned, setting, focused)).toBe(delivery);
  });

  it('an unknown value reads as the default, always', () => {
    expect(notifySetting('sometimes')).toBe('always');
    expect(notifySetting(undefined)).toBe('always');
    expect(notifySetting('never')).toBe('never');
  });
});

let seq = 0;
function approval(over: Partial<ApprovalRecord> = {}): ApprovalRecord {
  seq += 1;
  return {
    id: `ap-${seq}`,
    status: 'pending',
    request_session_id: 's1',
    request_client_type: 'claude-code',
    request_model: null,
    workspace_id: 'global',
    workspace_name: 'Global',
    tool_name: 'ev__echo',
    arguments: { message: 'hi' },
    justification: null,
    route_rule_id: 'r',
    downstream_server_id: 'ev',
    auth_scope_id: null,
    approver_session_id: null,
    approver_type: null,
    resolution: null,
    timeout_sec: 300,
    created_at: new Date(0).toISOString(),
    resolved_at: null,
    ...over,
  };
}
const resolvedAs = (a: ApprovalRecord, over: Partial<ApprovalRecord>): ApprovalRecord => ({ ...a, resolved_at: new Date(1000).toISOString(), ...over });

describe('the inbox of each window: raised where owned, cleared everywhere', () => {
  it('the owner raises it, the other window only counts it; a resolution from elsewhere closes it with who answered', () => {
    const [owner, other] = [new ApprovalInbox(), new ApprovalInbox()];
    const a = approval();
    expect(owner.requested(a, 'notify')).toEqual([{ kind: 'show', approval: a }]);
    expect(other.requested(a, 'count')).toEqual([]);
    expect([owner.count, other.count]).toEqual([1, 1]);
    const done = resolvedAs(a, { status: 'approved', approver_type: 'mcp_agent', approver_session_id: 'sess-9' });
    expect(owner.resolved(done)).toEqual([{ kind: 'close', id: a.id, message: 'approved by an agent (session sess-9)' }]);
    expect(other.resolved(done)).toEqual([]);
    expect([owner.count, other.count]).toEqual([0, 0]);
  });

  it('an unowned request is raised in every window and closed in every window', () => {
    const inboxes = [new ApprovalInbox(), new ApprovalInbox(), new ApprovalInbox()];
    const a = approval();
    for (const inbox of inboxes) expect(inbox.requested(a, 'notify')).toHaveLength(1);
    const closed = inboxes.map((inbox) => inbox.resolved(resolvedAs(a, { status: 'denied', approver_type: 'dashboard' })));
    for (const effects of closed) expect(effects).toEqual([{ kind: 'close', id: a.id, message: 'denied by the dashboard (an editor window or the browser)' }]);
  });

  it('the window that answered closes at once without a message; the others with one', () => {
    const [mine, theirs] = [new ApprovalInbox(), new ApprovalInbox()];
    const a = approval();
    mine.requested(a, 'notify');
    theirs.requested(a, 'notify');
    expect(mine.answered(a.id)).toEqual([{ kind: 'close', id: a.id }]);
    const done = resolvedAs(a, { status: 'approved', approver_type: 'dashboard' });
    expect(mine.resolved(done)).toEqual([{ kind: 'close', id: a.id }]);
    expect(theirs.resolved(done)[0]).toMatchObject({ kind: 'close', message: expect.stringContaining('approved by the dashboard') });
  });

  it('timeouts and cancellations close with a short message', () => {
    const inbox = new ApprovalInbox();
    const [t, c] = [approval({ timeout_sec: 30 }), approval()];
    inbox.requested(t, 'notify');
    inbox.requested(c, 'notify');
    expect(inbox.resolved(resolvedAs(t, { status: 'timeout', approver_type: 'system', resolution: 'timed out' }))).toEqual([
      { kind: 'close', id: t.id, message: 'timed out after 30 s' },
    ]);
    expect(inbox.resolved(resolvedAs(c, { status: 'cancelled', approver_type: 'system', resolution: 'client disconnected' }))).toEqual([
      { kind: 'close', id: c.id, message: 'cancelled: client disconnected' },
    ]);
  });

  it('a request is raised once, and never after its resolution was seen (a late requested event)', () => {
    const inbox = new ApprovalInbox();
    const a = approval();
    expect(inbox.requested(a, 'notify')).toHaveLength(1);
    expect(inbox.requested(a, 'notify')).toEqual([]);
    inbox.resolved(resolvedAs(a, { status: 'approved' }));
    expect(inbox.requested(a, 'notify')).toEqual([]);
    const b = approval();
    expect(inbox.resolved(resolvedAs(b, { status: 'timeout' }))).toEqual([]);
    expect(inbox.requested(b, 'notify')).toEqual([]);
    expect(inbox.requested(resolvedAs(approval(), { status: 'denied' }), 'notify')).toEqual([]);
    expect(inbox.count).toBe(0);
  });

  it('whenFocused: a request waits in the count and is raised when the window gains focus', () => {
    const inbox = new ApprovalInbox();
    const [a, b] = [approval(), approval()];
    expect(inbox.requested(a, 'wait')).toEqual([]);
    expect(inbox.requested(b, 'count')).toEqual([]);
    expect([inbox.count, inbox.waiting]).toEqual([2, 1]);
    expect(inbox.focused()).toEqual([{ kind: 'show', approval: a }]);
    expect(inbox.focused()).toEqual([]);
    expect(inbox.waiting).toBe(0);
  });

  it('a reconnection reseeds: gone requests close, new ones are added', () => {
    const inbox = new ApprovalInbox();
    const [a, b, c] = [approval(), approval(), approval()];
    inbox.requested(a, 'notify');
    inbox.requested(b, 'notify');
    expect(inbox.reseed([b, c], () => 'notify')).toEqual([
      { kind: 'close', id: a.id },
      { kind: 'show', approval: c },
    ]);
    expect(inbox.pending().map((x) => x.id)).toEqual([b.id, c.id]);
    expect(inbox.clear()).toEqual([
      { kind: 'close', id: b.id },
      { kind: 'close', id: c.id },
    ] satisfies InboxEffect[]);
    expect(inbox.count).toBe(0);
  });
});
