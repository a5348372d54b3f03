import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../../src/shared/approval-record.js';
import type { AuditRecord } from '../../../src/shared/schemas/audit.js';
import type { RuleAnswer } from '../../../src/shared/webviews/answers.js';
import { entityName, ruleName, type EntityNames } from '../../../src/shared/webviews/entity-names.js';
import type { RoutesSnapshot } from '../../../src/shared/webviews/routes-protocol.js';
import { pendingCard } from '../../../src/webview/approvals/model.js';
import { recordFacts } from '../../../src/webview/audit/record-model.js';
import { emptyRouteForm, ROUTE_FIELD_LABELS, routeFormToBody, routeToForm, setRouteFormValue } from '../../../src/webview/routes/form-model.js';
import { buildDryRunModel, buildRoutesModel, dryRunRequest, dryRunStale, type DryRunBox } from '../../../src/webview/routes/model.js';
import { emptyServerForm, serverFormToBody } from '../../../src/webview/servers/form-model.js';
import { errorSummary } from '../../../src/webview/shared/form-errors.js';
import { refsToLookUp } from '../../../src/webview/shared/names.js';
import { cascadeWords, deleteConflictText } from '../../../src/webview/servers/delete-conflict.js';

/**
 * Faults of a new user's trial of the sidebar views: an edit form that sent back every stored value
 * (a derived approval mode fought the new policy), an error out of sight above Save in API words,
 * a stale dry-run answer under a new question, and entities named by their UUIDs.
 */
const SERVER = 'e324c920-4e32-47d6-a7cd-de4ab119ec60';
const RULE = 'ea3e2030-1111-4222-8333-944445555666';

const rule = (extra: Partial<RuleAnswer>): RuleAnswer => ({
  id: RULE,
  workspace_id: 'global',
  tool_pattern: 'everything__echo',
  path_glob: '**',
  policy: 'deny',
  priority: 100,
  approval_mode: 'none',
  ...extra,
});

/** The edit form opened on `stored`, with the user's edits applied as the view applies them. */
function edit(stored: RuleAnswer, edits: Record<string, string>) {
  const form = { values: routeToForm(stored), initial: routeToForm(stored) };
  for (const [field, value] of Object.entries(edits)) setRouteFormValue(form, field as never, value as never);
  return routeFormToBody(form.values, 'update', form.initial);
}

describe('the rule edit form sends only what the user changed', () => {
  it.each([
    ['deny → approve (the trial)', { policy: 'deny', approval_mode: 'none' }, { policy: 'approve' }, { policy: 'approve' }],
    ['approve → deny', { policy: 'approve', approval_mode: 'all' }, { policy: 'deny' }, { policy: 'deny' }],
    ['allow → approve', { policy: 'allow', approval_mode: 'none' }, { policy: 'approve' }, { policy: 'approve' }],
    // A visible non-default mode follows a new policy in the form, and the form sends what it shows.
    ['allow with write → deny', { policy: 'allow', approval_mode: 'write' }, { policy: 'deny' }, { policy: 'deny', approval_mode: 'none' }],
    ['a priority alone', { policy: 'allow', approval_mode: 'write' }, { priority: '7' }, { priority: 7 }],
    ['nothing', { policy: 'approve', approval_mode: 'write' }, {}, {}],
  ] as const)('%s', (_, stored, edits, body) => {
    expect(edit(rule(stored), edits)).toEqual({ ok: true, body });
  });

  it('the form shows a mode the policy implies as "follows the policy", a chosen one as it is', () => {
    expect(routeToForm(rule({ policy: 'deny', approval_mode: 'none' })).approval_mode).toBe('');
    expect(routeToForm(rule({ policy: 'approve', approval_mode: 'all' })).approval_mode).toBe('');
    expect(routeToForm(rule({ policy: 'approve', approval_mode: 'write' })).approval_mode).toBe('write');
  });

  it('a mode chosen back to "follows the policy" is sent as what the policy means', () => {
    expect(edit(rule({ policy: 'allow', approval_mode: 'write' }), { approval_mode: '' })).toEqual({ ok: true, body: { approval_mode: 'none' } });
  });

  it.each([
    ['approve with none', { policy: 'approve', approval_mode: 'none' }, 'choose “all”, “write” or “(follows the policy)”'],
    ['deny with all', { policy: 'deny', approval_mode: 'all' }, 'choose “(follows the policy)”'],
  ])('a contradiction the user chose (%s) is said in the form’s words, on Approval mode and beside Save', (_, choice, says) => {
    const result = edit(rule({ policy: 'allow', approval_mode: 'write' }), choice);
    expect(result.ok).toBe(false);
    const errors = (result as { errors: any }).errors;
    expect(errors.fields.approval_mode).toContain(says);
    expect(errors.fields.approval_mode).not.toMatch(/\bsend\b/);
    expect(errorSummary(errors, ROUTE_FIELD_LABELS)).toEqual([`Approval mode: ${errors.fields.approval_mode}`]);
    // A create with the same choice is refused the same way.
    const created = routeFormToBody({ ...emptyRouteForm('global'), tool_pattern: 'a__b', ...choice } as never, 'create');
    expect(created.ok).toBe(false);
  });

  it('the summary beside Save names each field by its label, in the form’s order, then what belongs to none', () => {
    const summary = errorSummary({ fields: { priority: 'must be a whole number', policy: 'bad' }, other: ['rule is managed by YAML'] }, ROUTE_FIELD_LABELS);
    expect(summary).toEqual(['Policy: bad', 'Priority: must be a whole number', 'rule is managed by YAML']);
  });
});

describe('the server edit form sends only what the user changed', () => {
  const stored = { ...emptyServerForm(), name: 'Everything', namespace: 'everything', command: 'npx', args: '-y\nx', env: 'TOKEN=abc' };
  it.each([
    ['a rename', { name: 'Everything 2' }, { name: 'Everything 2' }],
    ['a new transport with its url', { transport: 'http', url: 'https://x.test/mcp' }, { transport: 'http', url: 'https://x.test/mcp' }],
    ['an untouched empty working directory is not sent (no cwd: null)', { cwd: '' }, {}],
    ['a disabled server', { enabled: false }, { enabled: false }],
  ] as const)('%s', (_, edits, body) => {
    expect(serverFormToBody({ ...stored, ...edits }, 'update', stored)).toEqual({ ok: true, body });
  });
});

describe('the dry-run box never shows an answer as another question’s', () => {
  const answered: DryRunBox = { tool: 'everything__echo', subpath: '', answer: [], askedTool: 'everything__echo', askedSubpath: '' };
  it('Run with an empty tool name clears the previous answer', () => {
    for (const tool of ['', '   ']) {
      const request = dryRunRequest({ ...answered, tool });
      expect(request).toEqual({ ok: false, box: { tool, subpath: '', error: 'Enter a tool name (namespace__tool).' } });
    }
  });
  it('an answer is stale once the tool or the subpath differs from what was asked', () => {
    expect(dryRunStale(answered)).toBe(false);
    expect(dryRunStale({ ...answered, tool: ' everything__echo ' })).toBe(false);
    expect(dryRunStale({ ...answered, tool: 'memory__read_graph' })).toBe(true);
    expect(dryRunStale({ ...answered, tool: '' })).toBe(true);
    expect(dryRunStale({ ...answered, subpath: 'src' })).toBe(true);
    expect(dryRunRequest({ ...answered, subpath: ' src ' })).toEqual({ ok: true, tool_name: 'everything__echo', subpath: 'src' });
  });
});

describe('entities are named, never by UUID', () => {
  const names: EntityNames = {
    servers: { [SERVER]: 'Everything' },
    rules: { [RULE]: 'everything__echo in workspace “Global”' },
    workspaces: { global: 'Global', app: 'App' },
  };

  it('a rule: its name, else its pattern (and a narrowing path) and workspace', () => {
    expect(ruleName({ name: 'block writes', tool_pattern: 'fs__write_*', path_glob: '**', workspace_id: 'app' }, 'App')).toBe('“block writes”');
    expect(ruleName({ tool_pattern: 'everything__echo', path_glob: '**', workspace_id: 'global' }, 'Global')).toBe('everything__echo in workspace “Global”');
    expect(ruleName({ tool_pattern: ['a__x', 'b__y'], path_glob: 'src/**', workspace_id: 'app' })).toBe('a__x, b__y (path src/**)');
  });

  it('an id the table does not hold is deleted; without a table the id is shown as it is', () => {
    expect(entityName(names, 'servers', SERVER)).toBe('Everything');
    expect(entityName(names, 'servers', 'gone-1')).toBe('gone-1 (deleted)');
    expect(entityName(undefined, 'servers', SERVER)).toBe(SERVER);
    expect(entityName(names, 'rules', null)).toBe('—');
  });

  it('the Routes delete prompt and the dry-run candidates name rules by name or pattern', () => {
    const candidate = (id: string, extra: Record<string, unknown>) => ({
      ...rule({ id, workspace_id: 'app', ...extra }),
      source: 'api',
      evaluated_in: 'app',
      subpath: '',
      matched: true,
      decided: false,
      note: 'matches',
    });
    const probe = {
      matched: false,
      policy: 'deny' as const,
      reason: 'r',
      approval_required: false,
      workspace: { id: 'app', name: 'App', root_path: '/app', default_policy: 'allow' },
      chain: [{ workspace_id: 'app', subpath: '' }],
      candidate_rules: [candidate(RULE, {}), candidate('r-2', { name: 'block writes', path_glob: 'src/**' })],
    };
    const snapshot: RoutesSnapshot = {
      folders: [{ folder: '/app', answer: { ok: true, value: probe } }],
      workspaces: [probe.workspace],
      servers: [],
    };
    const rows = buildRoutesModel(snapshot).folders[0]!.links[0]!.rules;
    expect(rows.map((r) => r.title)).toEqual(['everything__echo in workspace “App”', '“block writes”']);
    expect(rows.map((r) => r.label)).toEqual(['', 'block writes']);
    const dry = buildDryRunModel(snapshot.folders, 'window', snapshot.workspaces);
    expect(dry.rows[0]!.candidates).toEqual([
      { name: 'everything__echo', workspace: 'App', note: 'matches', state: 'matched' },
      { name: '“block writes”', workspace: 'App', note: 'matches', state: 'matched' },
    ]);
    expect(JSON.stringify([rows.map((r) => [r.title, r.label]), dry.rows[0]!.candidates])).not.toContain(RULE);
  });

  it('an approval card names its server and rule; a deleted one is its id, marked', () => {
    const approval = {
      id: 'a1',
      status: 'pending',
      request_session_id: 's',
      request_client_type: 'Claude Code',
      request_model: null,
      workspace_id: 'global',
      workspace_name: 'Global',
      tool_name: 'everything__echo',
      arguments: {},
      justification: null,
      route_rule_id: RULE,
      downstream_server_id: SERVER,
      auth_scope_id: null,
      approver_session_id: null,
      approver_type: null,
      resolution: null,
      timeout_sec: 300,
      created_at: new Date(0).toISOString(),
      resolved_at: null,
    } satisfies ApprovalRecord;
    expect(pendingCard(approval, 1000, names)).toMatchObject({ server: 'Everything', rule: 'everything__echo in workspace “Global”' });
    const gone = { servers: {}, rules: {}, workspaces: {} };
    expect(pendingCard(approval, 1000, gone)).toMatchObject({ server: `${SERVER} (deleted)`, rule: `${RULE} (deleted)` });
  });

  it('an audit detail names rule, server and workspace; the record’s own names stand in until the table arrives', () => {
    const record = {
      id: '7',
      tool_name: 'everything__echo',
      status: 'success',
      error_code: null,
      error_message: null,
      timestamp: new Date(0).toISOString(),
      latency_ms: 2,
      cache_hit: false,
      route_rule_id: RULE,
      route_rule_summary: '**',
      downstream_server_id: SERVER,
      downstream_server_name: 'Everything',
      approval_id: null,
      workspace_id: 'global',
      workspace_name: 'Global',
      subpath: '',
      session_id: 's',
      client_type: null,
      model: null,
      response_size: 10,
      method: 'tools/call',
    } as unknown as AuditRecord;
    const facts = (n?: EntityNames, r: AuditRecord = record) => Object.fromEntries(recordFacts(r, n).map((f) => [f.key, f.text]));
    expect(facts(names)).toMatchObject({ rule: 'everything__echo in workspace “Global”', server: 'Everything', workspace: 'Global' });
    expect(facts()).toMatchObject({ rule: RULE, server: 'Everything', workspace: 'Global' });
    // Gone at the gateway when the record was read (its names are null), or from the table read since.
    const gone = { ...record, route_rule_summary: null, downstream_server_name: null } as AuditRecord;
    expect(facts(undefined, gone)).toMatchObject({ rule: `${RULE} (deleted)`, server: `${SERVER} (deleted)` });
    expect(facts({ servers: {}, rules: {}, workspaces: {} })).toMatchObject({ rule: `${RULE} (deleted)`, server: 'Everything' });
  });

  it('a view asks for names once per id it has not seen; a deleted one is not asked about again', () => {
    const lookedUp = new Set<string>();
    expect(
      refsToLookUp(
        undefined,
        [
          ['servers', SERVER],
          ['rules', null],
        ],
        lookedUp,
      ),
    ).toEqual([`servers:${SERVER}`]);
    expect(
      refsToLookUp(
        names,
        [
          ['servers', SERVER],
          ['servers', 'new-1'],
        ],
        lookedUp,
      ),
    ).toEqual(['servers:new-1']);
    expect(refsToLookUp(names, [['servers', 'new-1']], lookedUp)).toEqual([]);
  });
});

describe('a refused server delete names what still uses the server', () => {
  const names: EntityNames = { servers: {}, rules: { [RULE]: 'everything__echo in workspace “Global”', r2: '“no memory here”' }, workspaces: {} };
  it.each([
    [[{ path: 'id', message: `used by route ${RULE}` }], 'the rule everything__echo in workspace “Global”'],
    [
      [
        { path: 'id', message: 'used by route r2' },
        { path: 'id', message: `used by route ${RULE}` },
        { path: 'id', message: 'used by auth scope 9c1e…' },
      ],
      'the rules “no memory here”; everything__echo in workspace “Global” and 1 auth scope',
    ],
  ])('%#', (details, users) => {
    const text = deleteConflictText('Everything', details, names);
    expect(text).toBe(`The server “Everything” is still used by ${users}. Delete those first, or delete the server with them.`);
    expect(text).not.toContain(RULE);
    expect(text).not.toMatch(/cascade/);
  });
  it('without names the rules are counted, never shown by id', () => {
    expect(deleteConflictText('M', [{ path: 'id', message: `used by route ${RULE}` }], undefined)).toBe(
      'The server “M” is still used by 1 rule. Delete those first, or delete the server with them.',
    );
  });
});

describe('the cascade a refused server delete offers says what it removes', () => {
  const route = { path: 'id', message: `used by route ${RULE}` };
  const scope = { path: 'id', message: 'used by auth scope s1' };
  it.each([
    [[route], 'Delete with its rules', 'deletes the rules that name it.'],
    // The trial: a server used by an auth scope only was offered "Delete with its rules".
    [[scope], 'Delete with its auth scopes', 'deletes the auth scopes bound to it; rules that use those auth scopes stay, without their credentials.'],
    [[route, scope], 'Delete with its rules and auth scopes', 'the rules that name it and the auth scopes bound to it; other rules'],
  ])('%#', (details, button, says) => {
    const words = cascadeWords(details);
    expect(words.button).toBe(button);
    expect(words.consequence).toContain(says);
  });
});

describe('the Add server form suggests the namespace from the name', () => {
  it('follows the name while the namespace is empty or the suggestion; a namespace the user wrote stays', async () => {
    const { emptyServerForm, typeName } = await import('../../../src/webview/servers/form-model.js');
    const values = emptyServerForm();
    expect(typeName(values, 'S')).toBe(true);
    expect(values.namespace).toBe('s');
    expect(typeName(values, 'Second Memory')).toBe(true);
    expect(values).toMatchObject({ name: 'Second Memory', namespace: 'second-memory' });
    values.namespace = 'mem2';
    expect(typeName(values, 'Second Memory!')).toBe(false);
    expect(values).toMatchObject({ name: 'Second Memory!', namespace: 'mem2' });
    values.namespace = '';
    expect(typeName(values, 'GitHub (work)')).toBe(true);
    expect(values.namespace).toBe('github-work');
  });
});
