import { describe, expect, it } from 'vitest';
import type { RuleAnswer } from '../../../src/shared/webviews/answers.js';
import { errorSummary } from '../../../src/webview/shared/form-errors.js';
import {
  approvalPossible,
  channelOpen,
  emptyRouteForm,
  ROUTE_FIELD_LABELS,
  routeFormToBody,
  routeToForm,
  setRouteFormValue,
  withChannel,
  type RouteFormValues,
} from '../../../src/webview/routes/form-model.js';

/**
 * The rule form's approval timeout, answering channels and auth scope: a rule could carry them
 * through the REST API only, and the Routes view's form could neither set nor show them (noticed in
 * earlier trials). These drive the form's own model; the Chromium test drives the form.
 */
const stored = (extra: Partial<RuleAnswer>): RuleAnswer => ({
  id: 'r1',
  workspace_id: 'global',
  tool_pattern: 'everything__get-sum',
  path_glob: '**',
  policy: 'approve',
  priority: 100,
  approval_mode: 'all',
  ...extra,
});

function edit(rule: RuleAnswer, edits: Partial<RouteFormValues>) {
  const form = { values: routeToForm(rule), initial: routeToForm(rule) };
  for (const [field, value] of Object.entries(edits)) setRouteFormValue(form, field as keyof RouteFormValues, value as never);
  return routeFormToBody(form.values, 'update', form.initial);
}

const create = (values: Partial<RouteFormValues>) => routeFormToBody({ ...emptyRouteForm('global'), tool_pattern: 'a__b', ...values }, 'create');

describe('the rule form’s approval timeout, channels and auth scope', () => {
  it('a create sends what the user set', () => {
    const form = { values: { ...emptyRouteForm('global'), tool_pattern: 'a__b', policy: 'approve' as const } };
    setRouteFormValue(form, 'approval_timeout_sec', ' 45 ');
    setRouteFormValue(form, 'approval_channels', withChannel(form.values, 'mcp_agent', false));
    setRouteFormValue(form, 'auth_scope_id', 'github-token');
    expect(routeFormToBody(form.values, 'create')).toMatchObject({
      ok: true,
      body: { policy: 'approve', approval_timeout_sec: 45, approval_channels: ['dashboard', 'client'], auth_scope_id: 'github-token' },
    });
  });

  it('a create left as it opened sends none of them (the gateway’s setting, every channel, no scope)', () => {
    const result = create({ policy: 'approve' });
    expect(result.ok).toBe(true);
    const body = (result as { body: Record<string, unknown> }).body;
    expect(body).not.toHaveProperty('approval_timeout_sec');
    expect(body).not.toHaveProperty('approval_channels');
    expect(body).not.toHaveProperty('auth_scope_id');
  });

  it.each([
    [{ policy: 'approve', approval_mode: '' }, true],
    [{ policy: 'allow', approval_mode: 'write' }, true],
    [{ policy: 'allow', approval_mode: '' }, false],
    [{ policy: 'deny', approval_mode: '' }, false],
  ] as const)('approval fields apply to %j: %s', (values, possible) => {
    expect(approvalPossible(values)).toBe(possible);
  });

  it('a rule that can never ask sends no timeout or channels, whatever the hidden fields hold', () => {
    const result = create({ policy: 'deny', approval_timeout_sec: '30', approval_channels: 'dashboard' });
    expect(result).toMatchObject({ ok: true });
    expect((result as { body: object }).body).not.toHaveProperty('approval_timeout_sec');
    expect((result as { body: object }).body).not.toHaveProperty('approval_channels');
  });

  it('a stored rule shows its timeout, its channels and its scope; every channel named shows as all', () => {
    const shown = routeToForm(stored({ approval_timeout_sec: 45, approval_channels: ['dashboard'], auth_scope_id: 's1' }));
    expect(shown).toMatchObject({ approval_timeout_sec: '45', approval_channels: 'dashboard', auth_scope_id: 's1' });
    expect(channelOpen(shown, 'client')).toBe(false);
    expect(channelOpen(shown, 'mcp_agent')).toBe(false);
    const all = routeToForm(stored({ approval_channels: ['mcp_agent', 'dashboard', 'client'], approval_timeout_sec: 0 }));
    expect(all).toMatchObject({ approval_channels: '', approval_timeout_sec: '' });
    expect(channelOpen(all, 'client') && channelOpen(all, 'mcp_agent')).toBe(true);
  });

  it('an edit that empties them clears them on the gateway (null); one that leaves them sends nothing', () => {
    const rule = stored({ approval_timeout_sec: 45, approval_channels: ['dashboard', 'client'], auth_scope_id: 's1' });
    expect(edit(rule, {})).toEqual({ ok: true, body: {} });
    expect(edit(rule, { approval_timeout_sec: '' })).toEqual({ ok: true, body: { approval_timeout_sec: null } });
    expect(edit(rule, { approval_channels: withChannel(routeToForm(rule), 'mcp_agent', true) })).toEqual({ ok: true, body: { approval_channels: null } });
    expect(edit(rule, { auth_scope_id: '' })).toEqual({ ok: true, body: { auth_scope_id: null } });
    expect(edit(rule, { approval_timeout_sec: '120' })).toEqual({ ok: true, body: { approval_timeout_sec: 120 } });
  });

  it('shutting both optional channels leaves the dashboard, which can always answer', () => {
    const none = withChannel({ approval_channels: withChannel({ approval_channels: '' }, 'client', false) }, 'mcp_agent', false);
    expect(none).toBe('dashboard');
    expect(create({ policy: 'approve', approval_channels: none })).toMatchObject({ ok: true, body: { approval_channels: ['dashboard'] } });
  });

  it.each([
    ['soon', 'must be a whole number of seconds'],
    ['-5', 'must be a whole number of seconds'],
    // In the form's words, not the schema's ("Too big: expected number to be <=86400", a trial).
    ['90000', 'must be at most 86400 seconds (24 hours)'],
  ])('a timeout of %j is refused on its field, and beside Save by its label', (timeout, says) => {
    const result = create({ policy: 'approve', approval_timeout_sec: timeout });
    expect(result.ok).toBe(false);
    const errors = (result as { errors: { fields: Record<string, string>; other: string[] } }).errors;
    expect(errors.fields.approval_timeout_sec).toContain(says);
    expect(errorSummary(errors, ROUTE_FIELD_LABELS)[0]).toMatch(/^Approval timeout \(seconds\): /);
  });
});
