import { describe, expect, it } from 'vitest';
import type { VisibilityServer } from '../../../src/shared/webviews/answers.js';
import type { ServersSnapshot } from '../../../src/shared/webviews/servers-protocol.js';
import { explainVisibility } from '../../../src/webview/servers/explain.js';
import { buildServersModel } from '../../../src/webview/servers/model.js';

/**
 * The Servers view model: live state per server, and "no tools" explained from the gateway's
 * visibility answer — each reason with the gateway's message and its facts — or, without one, from
 * the server's own state (never a rule: that needs the gateway).
 */
function server(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    source: 'api' as const,
    created_at: 't',
    updated_at: 't',
    name: id[0]!.toUpperCase() + id.slice(1),
    transport: 'stdio' as const,
    command: 'node',
    args: ['server.js', '--flag with space'],
    env: {},
    headers: {},
    namespace: id,
    enabled: true,
    idle_timeout_sec: 300,
    discovery: 'static' as const,
    expose_unprefixed: false,
    max_instances: 1,
    tools: [] as Array<Record<string, unknown>>,
    resources: [],
    resource_templates: [],
    prompts: [],
    discovered_at: null,
    ...overrides,
  };
}

const visibility = (entry: Partial<VisibilityServer> & { server_id: string; reason: string }): VisibilityServer => ({
  name: entry.server_id,
  namespace: entry.server_id,
  state: 'ready',
  tools_total: 0,
  tools_visible: 0,
  message: `message of ${entry.server_id}`,
  ...entry,
});

const snapshot = (parts: Partial<ServersSnapshot>): ServersSnapshot => ({
  folders: ['/p'],
  downstreams: [],
  health: { ok: true, value: { status: 'ok', version: '1', downstreams: [] } },
  visibility: { ok: true, value: { workspace_ids: ['p'], servers: [] } },
  ...parts,
});

describe('explainVisibility: each reason the gateway gives', () => {
  it.each([
    [
      'a spawn error with its message, hint and stderr tail',
      visibility({
        server_id: 'broken',
        reason: 'failed',
        state: 'failed',
        error: 'spawn nope ENOENT',
        hint: 'ensure the command is installed',
        stderr_tail: ['line 1', 'line 2'],
      }),
      {
        title: 'Failed to start',
        action: 'restart',
        facts: [
          { label: 'Error', text: 'spawn nope ENOENT' },
          { label: 'Hint', text: 'ensure the command is installed' },
        ],
        stderr: ['line 1', 'line 2'],
      },
    ],
    ['not started yet (lazy)', visibility({ server_id: 'lazy', reason: 'not_started', state: 'stopped' }), { title: 'Not started yet', action: 'discover' }],
    ['disabled', visibility({ server_id: 'off', reason: 'disabled', state: 'disabled' }), { title: 'Disabled', action: 'enable' }],
    [
      'dynamic discovery',
      visibility({ server_id: 'dyn', reason: 'dynamic', tools_total: 4 }),
      { title: 'Dynamic discovery: reached through mcpx__search_tools' },
    ],
    [
      'hidden by a rule, naming it',
      visibility({
        server_id: 'memory',
        reason: 'hidden_by_rule',
        tools_total: 2,
        rule: { id: 'deny-memory', name: 'no memory here', workspace_id: 'proj' },
        hidden_tools: ['memory__a', 'memory__b'],
      }),
      {
        title: 'Hidden by a rule',
        facts: [
          { label: 'Rule', text: '“no memory here” (deny-memory) in workspace proj' },
          { label: 'Tools', text: '0 of 2 visible' },
        ],
        hiddenTools: ['memory__a', 'memory__b'],
      },
    ],
    [
      'a rule without a name, by id',
      visibility({ server_id: 'm2', reason: 'hidden_by_rule', rule: { id: 'r9', workspace_id: 'global' } }),
      { facts: [{ label: 'Rule', text: 'r9 in workspace global' }] },
    ],
    [
      'left out by the tool budget',
      visibility({ server_id: 'big', reason: 'not_in_window_set', tools_total: 90, hidden_tools: ['big__x'] }),
      { title: 'Left out by the Copilot tool budget (this window’s tool set)', hiddenTools: ['big__x'] },
    ],
    [
      'waiting for its OAuth account: the scope named, Connect Account offered',
      visibility({
        server_id: 'notes',
        reason: 'needs_authorization',
        error: 'auth scope "notes_oauth" is not connected to its OAuth account yet',
        oauth: { auth_scope_id: 's1', auth_scope_name: 'notes_oauth', status: 'not_connected' },
      }),
      { title: 'Waiting for its account: sign in', action: 'connect', facts: [{ label: 'Account', text: 'auth scope “notes_oauth”: not connected' }] },
    ],
    ['a server that lists no tools', visibility({ server_id: 'empty', reason: 'no_tools' }), { title: 'The server lists no tools' }],
    [
      'some tools hidden while the server is visible',
      visibility({ server_id: 'ev', reason: 'visible', tools_total: 5, tools_visible: 3, hidden_tools: ['ev__a', 'ev__b'] }),
      { title: '2 of 5 tools hidden', hiddenTools: ['ev__a', 'ev__b'] },
    ],
    [
      'a reason added later, with the gateway’s own message',
      visibility({ server_id: 'new', reason: 'quota_exceeded' }),
      { title: 'quota exceeded', message: 'message of new' },
    ],
  ])('%s', (_, entry, expected) => {
    const explanation = explainVisibility(entry);
    expect(explanation).toMatchObject({ reason: entry.reason, message: entry.message, source: 'visibility', ...expected });
  });

  it('a listed server whose token expired and could not be refreshed: connect again, with the reason', () => {
    const explanation = explainVisibility(
      visibility({
        server_id: 'gh',
        reason: 'visible',
        tools_total: 3,
        tools_visible: 3,
        oauth: { auth_scope_id: 's2', auth_scope_name: 'github', status: 'expired', error: 'refresh failed: invalid_grant' },
      }),
    );
    expect(explanation).toMatchObject({
      reason: 'needs_authorization',
      title: 'The account needs connecting again',
      action: 'connect',
      facts: [{ label: 'Account', text: 'auth scope “github”: expired (refresh failed: invalid_grant)' }],
    });
  });

  it('says nothing for a server whose tools are all visible', () => {
    expect(explainVisibility(visibility({ server_id: 'ok', reason: 'visible', tools_total: 3, tools_visible: 3 }))).toBeUndefined();
  });

  it('offers no action where no button helps (hidden by a rule, partly hidden)', () => {
    expect(explainVisibility(visibility({ server_id: 'm', reason: 'hidden_by_rule' }))?.action).toBeUndefined();
    expect(explainVisibility(visibility({ server_id: 'ev', reason: 'visible', tools_total: 2, tools_visible: 1 }))?.action).toBeUndefined();
  });
});

describe('buildServersModel', () => {
  it('rows carry live state, instances, tools, stderr, the command line and the explanation; the built-in server is left out', () => {
    const model = buildServersModel(
      snapshot({
        downstreams: [
          server('mcpx', { transport: 'internal' }),
          server('memory', { tools: [{ name: 'read_graph', description: 'Reads' }, { name: 'x' }] }),
          server('broken'),
        ],
        health: {
          ok: true,
          value: {
            status: 'ok',
            version: '1',
            downstreams: [
              {
                server_id: 'memory',
                state: 'busy',
                instances: [
                  { state: 'busy', in_flight: 2 },
                  { state: 'ready', in_flight: 1 },
                ],
                stderr_tail: ['up'],
              },
              { server_id: 'broken', state: 'failed', instances: [{ state: 'failed' }], last_error: 'spawn ENOENT' },
            ],
          },
        },
        visibility: {
          ok: true,
          value: {
            workspace_ids: ['p'],
            servers: [
              visibility({ server_id: 'memory', reason: 'visible', tools_total: 2, tools_visible: 2 }),
              visibility({ server_id: 'broken', reason: 'failed', error: 'spawn ENOENT' }),
            ],
          },
        },
      }),
    );
    expect(model.rows.map((r) => r.id)).toEqual(['memory', 'broken']);
    const [memory, broken] = model.rows;
    expect(memory).toMatchObject({
      state: 'busy',
      stateIcon: { name: 'sync', spin: true },
      instances: 2,
      inFlight: 3,
      stderr: ['up'],
      toolsVisible: 2,
      target: 'node server.js "--flag with space"',
    });
    expect(memory!.tools).toEqual([
      { name: 'read_graph', description: 'Reads' },
      { name: 'x', description: '' },
    ]);
    expect(memory!.explanation).toBeUndefined();
    expect(broken).toMatchObject({
      state: 'failed',
      stateIcon: { name: 'error', tone: 'error' },
      lastError: 'spawn ENOENT',
      explanation: { reason: 'failed', source: 'visibility' },
    });
    expect(model.notes).toEqual([]);
  });

  it('a live downstream.state event wins over the snapshot until the next one; a disabled server stays disabled', () => {
    const base = snapshot({ downstreams: [server('a'), server('b', { enabled: false })] });
    const model = buildServersModel(base, { a: { state: 'failed', error: 'crashed' }, b: { state: 'ready' } });
    expect(model.rows.map((r) => [r.id, r.state, r.lastError])).toEqual([
      ['a', 'failed', 'crashed'],
      ['b', 'disabled', undefined],
    ]);
  });

  it('without a visibility answer, explains from the server’s own state and says why, never naming a rule', () => {
    const model = buildServersModel(
      snapshot({
        downstreams: [
          server('off', { enabled: false }),
          server('bad'),
          server('dyn', { discovery: 'dynamic' }),
          server('fresh'),
          server('full', { tools: [{ name: 't' }] }),
        ],
        health: {
          ok: true,
          value: {
            status: 'ok',
            version: '1',
            downstreams: [{ server_id: 'bad', state: 'failed', instances: [], last_error: 'exit 1', stderr_tail: ['boom'] }],
          },
        },
        visibility: { ok: false, error: { code: 'not_found', message: 'HTTP 404 from GET /visibility', status: 404, details: [] } },
      }),
    );
    expect(model.rows.map((r) => r.explanation?.reason)).toEqual(['disabled', 'failed', 'dynamic', 'not_started', undefined]);
    expect(model.rows[1]!.explanation).toMatchObject({ source: 'health', facts: [{ label: 'Error', text: 'exit 1' }], stderr: ['boom'] });
    expect(model.rows[0]!.explanation!.message).toContain('HTTP 404 from GET /visibility');
    expect(model.notes).toEqual(['The gateway could not say which tools this window sees: HTTP 404 from GET /visibility']);
  });

  it('without a folder to ask about, says so plainly (not as a failure of the gateway)', () => {
    const message = 'the browser dashboard belongs to no editor window, so tools are listed as each server reports them';
    const model = buildServersModel(snapshot({ downstreams: [server('a')], visibility: { ok: false, error: { code: 'no_folders', message, details: [] } } }));
    expect(model.notes).toEqual([`T${message.slice(1)}`]);
  });

  it('notes a failed health answer and shows servers as stopped', () => {
    const model = buildServersModel(
      snapshot({
        downstreams: [server('a', { tools: [{ name: 't' }] })],
        health: { ok: false, error: { code: 'gateway_unreachable', message: 'ECONNREFUSED', details: [] } },
      }),
    );
    expect(model.rows[0]!.state).toBe('stopped');
    expect(model.notes).toEqual(['Live state unavailable: ECONNREFUSED']);
  });
});
