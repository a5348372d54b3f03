import { describe, expect, it } from 'vitest';
import type { DryRunAnswer } from '../../../src/shared/webviews/answers.js';
import type { RoutesSnapshot } from '../../../src/shared/webviews/routes-protocol.js';
import { buildDryRunModel, buildRoutesModel, outcomeOf } from '../../../src/webview/routes/model.js';

/**
 * The Routes view model keeps the gateway's order (dry-run's candidate_rules) and never re-sorts;
 * a multi-root dry-run names the strictest folder (deny beats approve beats allow).
 */
const workspace = { id: 'proj', name: 'proj', root_path: '/p', default_policy: 'allow' };
const candidate = (id: string, evaluated_in: string, extra: Record<string, unknown> = {}) => ({
  id,
  workspace_id: evaluated_in,
  tool_pattern: `${id}__*`,
  path_glob: '**',
  policy: 'allow' as const,
  priority: 100,
  approval_mode: 'none' as const,
  source: 'api',
  evaluated_in,
  subpath: '',
  matched: false,
  decided: false,
  note: 'tool does not match',
  ...extra,
});

const probe = (rules: ReturnType<typeof candidate>[], overrides: Partial<DryRunAnswer> = {}): DryRunAnswer => ({
  matched: false,
  policy: 'allow',
  reason: 'no rule matches',
  approval_required: false,
  error_code: 'unknown_tool',
  workspace,
  chain: [
    { workspace_id: 'proj', subpath: '' },
    { workspace_id: 'global', subpath: 'p' },
  ],
  candidate_rules: rules,
  ...overrides,
});

describe('buildRoutesModel', () => {
  it('keeps the gateway’s evaluation order, grouped by chain link, numbered across the chain', () => {
    // Deliberately not sorted by priority or name: the view must not re-order what the gateway said.
    const rules = [
      candidate('zeta', 'proj', { priority: 1, path_glob: 'src/**' }),
      candidate('alpha', 'proj', { priority: 500, policy: 'deny' }),
      candidate('builtin', 'global', { source: 'default', server_id: 'mcpx-builtin' }),
      candidate('mid', 'global', { tool_pattern: ['a__x', 'b__y'], approval_mode: 'write', policy: 'approve' }),
    ];
    const snapshot: RoutesSnapshot = {
      folders: [{ folder: '/p', answer: { ok: true, value: probe(rules) } }],
      workspaces: [workspace, { id: 'global', name: 'Global', root_path: '/', default_policy: 'allow' }],
      servers: [{ id: 'mcpx-builtin', name: 'Built-in', namespace: 'mcpx' }],
    };
    const model = buildRoutesModel(snapshot);
    expect(model.multiRoot).toBe(false);
    const [folder] = model.folders;
    expect(folder!.label).toBe('p');
    expect(folder!.links.map((l) => [l.workspaceName, l.rules.map((r) => [r.order, r.id])])).toEqual([
      [
        'proj',
        [
          [1, 'zeta'],
          [2, 'alpha'],
        ],
      ],
      [
        'Global',
        [
          [3, 'builtin'],
          [4, 'mid'],
        ],
      ],
    ]);
    expect(folder!.links[1]!.rules[0]).toMatchObject({ readOnly: true, server: 'Built-in' });
    expect(folder!.links[1]!.rules[1]).toMatchObject({ pattern: 'a__x, b__y', readOnly: false });
    expect(folder!.fallback).toContain('default policy of workspace “proj”: allow');
  });

  it('a folder without a workspace shows the gateway’s error; no folder means the global rules', () => {
    const model = buildRoutesModel({
      folders: [
        { folder: '/new', answer: { ok: false, error: { code: 'not_found', message: 'workspace "/new" not found', status: 404, details: [] } } },
        { folder: '', answer: { ok: true, value: probe([], { chain: [{ workspace_id: 'global', subpath: '' }] }) } },
      ],
      workspaces: [],
      servers: [],
    });
    expect(model.multiRoot).toBe(true);
    expect(model.folders[0]).toMatchObject({ label: 'new', error: 'workspace "/new" not found', links: [] });
    expect(model.folders[1]).toMatchObject({ label: 'No folder open (global rules)', links: [{ workspaceId: 'global', workspaceName: 'global', rules: [] }] });
  });
});

describe('dry-run across folders', () => {
  const answer = (policy: DryRunAnswer['policy'], extra: Partial<DryRunAnswer> = {}) => ({
    ok: true as const,
    value: probe([], { policy, error_code: undefined, ...extra }),
  });

  it.each([
    [{ error_code: 'denied' }, 'blocked'],
    [{ error_code: 'no_route' }, 'blocked'],
    [{ error_code: 'unknown_tool' }, 'blocked'],
    [{ approval_required: true }, 'approve'],
    [{ approval_required: false }, 'allow'],
  ] as const)('%j is %s', (fields, outcome) => {
    expect(outcomeOf({ approval_required: false, ...fields })).toBe(outcome);
  });

  it('names the strictest folder: deny beats approve beats allow, the first of equals wins', () => {
    const model = buildDryRunModel([
      { folder: '/a', answer: answer('allow') },
      { folder: '/b', answer: answer('approve', { approval_required: true }) },
      { folder: '/c', answer: answer('deny', { error_code: 'denied' }) },
      { folder: '/d', answer: answer('deny', { error_code: 'denied' }) },
    ]);
    expect(model.strictest).toEqual({ folder: '/c', label: 'c', outcome: 'blocked' });
    expect(model.rows.map((r) => r.outcome)).toEqual(['allow', 'approve', 'blocked', 'blocked']);
    const approve = buildDryRunModel([
      { folder: '/a', answer: answer('allow') },
      { folder: '/b', answer: answer('approve', { approval_required: true }) },
    ]);
    expect(approve.strictest).toEqual({ folder: '/b', label: 'b', outcome: 'approve' });
  });

  it('a single folder needs no verdict across folders; a folder that failed is shown and left out of it', () => {
    expect(buildDryRunModel([{ folder: '/a', answer: answer('allow') }]).strictest).toBeUndefined();
    const model = buildDryRunModel([
      { folder: '/a', answer: answer('allow') },
      { folder: '/b', answer: { ok: false, error: { code: 'not_found', message: 'no workspace', details: [] } } },
    ]);
    expect(model.rows[1]).toMatchObject({ error: 'no workspace' });
    expect(model.strictest).toEqual({ folder: '/a', label: 'a', outcome: 'allow' });
  });

  it('in the browser (scope gateway) each workspace stands alone: named by its label, no strictest verdict, no multi-root note', () => {
    const folders = [
      { folder: '/a', label: 'App', answer: answer('allow') },
      { folder: '/b', label: 'Docs', answer: answer('deny', { error_code: 'denied' }) },
    ];
    const model = buildDryRunModel(folders, 'gateway');
    expect(model.strictest).toBeUndefined();
    expect(model.rows.map((r) => [r.label, r.outcome])).toEqual([
      ['App', 'allow'],
      ['Docs', 'blocked'],
    ]);
    // The same answers from a window's two folders: the strictest decides, as before.
    expect(buildDryRunModel(folders).strictest).toEqual({ folder: '/b', label: 'Docs', outcome: 'blocked' });
    const snapshot: RoutesSnapshot = {
      folders: folders.map(({ folder, label }) => ({ folder, label, answer: { ok: true, value: probe([]) } })),
      scope: 'gateway',
      workspaces: [workspace],
      servers: [],
    };
    const routes = buildRoutesModel(snapshot);
    expect(routes.multiRoot).toBe(false);
    expect(routes.folders.map((f) => f.label)).toEqual(['App', 'Docs']);
    expect(buildRoutesModel({ ...snapshot, scope: 'window' }).multiRoot).toBe(true);
  });
});
