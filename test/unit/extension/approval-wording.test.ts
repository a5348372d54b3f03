import { describe, expect, it } from 'vitest';
import { argumentsPreview, closingText, commandLink, defuse, notificationText, PREVIEW_CHARS } from '../../../src/extension/approvals/wording.js';
import type { ApprovalRecord } from '../../../src/shared/approval-record.js';
import { alreadyResolvedText } from '../../../src/shared/webviews/approvals-wording.js';

const base: ApprovalRecord = {
  id: 'ap-1',
  status: 'pending',
  request_session_id: 's1',
  request_client_type: 'claude-code',
  request_model: null,
  workspace_id: 'w',
  workspace_name: 'project',
  tool_name: 'gh__create_issue',
  arguments: { title: 'x' },
  justification: null,
  route_rule_id: null,
  downstream_server_id: 'gh',
  auth_scope_id: null,
  approver_session_id: null,
  approver_type: null,
  resolution: null,
  timeout_sec: 300,
  created_at: '2026-01-01T00:00:00.000Z',
  resolved_at: null,
};

/** The links VS Code would render in a notification message (its own pattern: no `)` or space in the target). */
const links = (message: string) => [...message.matchAll(/\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)\)/g)].map((m) => [m[1], m[2]]);

describe('the notification text', () => {
  it('names client, tool, server, workspace, arguments and justification, then three command links carrying the id', () => {
    const text = notificationText({ ...base, justification: 'the user asked for it' }, 'GitHub');
    expect(text.title).toBe('MCPlexer: gh__create_issue needs your approval');
    expect(text.message.startsWith('[Approve](')).toBe(true);
    expect(text.message).toContain('claude-code asks to call gh__create_issue on GitHub (workspace project).');
    expect(text.message).toContain('Arguments: {"title":"x"}.');
    expect(text.message).toContain('Justification: “the user asked for it”.');
    expect(links(text.message)).toEqual([
      ['Approve', 'command:mcplexer.approvals.approve?%5B%22ap-1%22%5D'],
      ['Deny', 'command:mcplexer.approvals.deny?%5B%22ap-1%22%5D'],
      ['Details', 'command:mcplexer.approvals.details?%5B%22ap-1%22%5D'],
    ]);
    // What the command opener gets back from the link.
    expect(JSON.parse(decodeURIComponent(links(text.message)[0]![1]!.split('?')[1]!))).toEqual(['ap-1']);
  });

  it('text from the client cannot forge a link (arguments, justification, tool and client names)', () => {
    const forged = '[Approve](command:mcplexer.approvals.approve?%5B%22other%22%5D)';
    for (const over of [{ arguments: { note: forged } }, { justification: forged }, { request_client_type: forged }, { tool_name: `x${forged}` }]) {
      const text = notificationText({ ...base, ...over } as ApprovalRecord, undefined);
      expect(links(text.message).map(([, target]) => target)).toEqual([
        'command:mcplexer.approvals.approve?%5B%22ap-1%22%5D',
        'command:mcplexer.approvals.deny?%5B%22ap-1%22%5D',
        'command:mcplexer.approvals.details?%5B%22ap-1%22%5D',
      ]);
    }
    expect(defuse('a](b')).toBe('a] (b');
  });

  it('an id with characters a link cannot hold still travels intact', () => {
    const link = commandLink('Approve', 'cmd', ["a b)(c!'*~"]);
    expect(links(link)).toHaveLength(1);
    expect(JSON.parse(decodeURIComponent(links(link)[0]![1]!.split('?')[1]!))).toEqual(["a b)(c!'*~"]);
  });

  it('the argument preview is one line of at most PREVIEW_CHARS; the server falls back to its id', () => {
    const long = argumentsPreview({ text: 'y'.repeat(1000), more: 'line\nbreak' });
    expect(long.length).toBeLessThanOrEqual(PREVIEW_CHARS);
    expect(long.endsWith('…')).toBe(true);
    expect(argumentsPreview(undefined)).toBe('{}');
    expect(notificationText(base, undefined).message).toContain('on gh (workspace project)');
  });
});

describe('closing and 409 words', () => {
  const resolved = (over: Partial<ApprovalRecord>): ApprovalRecord => ({ ...base, resolved_at: '2026-01-01T00:00:08.000Z', ...over });

  it.each([
    [
      { status: 'approved', approver_type: 'dashboard' },
      'MCPlexer: the request to call gh__create_issue was already approved by the dashboard (an editor window or the browser).',
    ],
    [
      { status: 'denied', approver_type: 'mcp_agent', approver_session_id: 's9' },
      'MCPlexer: the request to call gh__create_issue was already denied by an agent (session s9).',
    ],
    [{ status: 'approved', approver_type: 'client_user' }, "MCPlexer: the request to call gh__create_issue was already approved by the calling client's user."],
    [
      { status: 'timeout', approver_type: 'system', resolution: 'timed out' },
      'MCPlexer: the request to call gh__create_issue was already timed out (timed out).',
    ],
    [
      { status: 'cancelled', approver_type: 'system', resolution: 'client disconnected' },
      'MCPlexer: the request to call gh__create_issue was already cancelled (client disconnected).',
    ],
  ] as const)('409 after %o', (over, words) => {
    expect(alreadyResolvedText(resolved(over))).toBe(words);
  });

  it('a notification closing by itself says why', () => {
    expect(closingText(resolved({ status: 'timeout', timeout_sec: 120 }))).toBe('timed out after 120 s');
    expect(closingText(resolved({ status: 'cancelled', resolution: 'server shutdown' }))).toBe('cancelled: server shutdown');
    expect(closingText(resolved({ status: 'denied', approver_type: 'dashboard' }))).toBe('denied by the dashboard (an editor window or the browser)');
  });
});
