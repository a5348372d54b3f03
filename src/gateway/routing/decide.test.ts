import { describe, expect, it } from 'vitest';
import { compileConfig } from './compile.js';
import { approvalRequired, decide } from './decide.js';
import { resolveChain } from './resolve-chain.js';
import { caseConfig, routingCases, type RoutingCase } from '../../../test/fixtures/routing/cases.js';
import { route, server, workspace } from '../../../test/fixtures/routing/records.js';
import type { Decision } from './types.js';

function run(routingCase: RoutingCase): { decision: Decision; chain: string[] } {
  const config = caseConfig(routingCase);
  const compiled = compileConfig(config);
  const chain = resolveChain(config.workspaces, routingCase.dir);
  const owner = routingCase.owner === undefined ? undefined : config.downstreams.find((s) => s.id === routingCase.owner);
  const decision = decide(compiled, chain, routingCase.tool, { owner, readOnly: routingCase.readOnly });
  return { decision, chain: chain.links.map((link) => link.workspace.id) };
}

describe('decide: the routing table', () => {
  it.each(routingCases.map((c) => [c.name, c] as const))('%s', (_name, routingCase) => {
    const { decision, chain } = run(routingCase);
    const expected = routingCase.expected;
    expect({
      policy: decision.policy,
      matched: decision.matched,
      rule: decision.rule?.id,
      workspace: decision.workspace.id,
      server: decision.server?.id,
      approval_required: decision.approval_required,
      error_code: decision.error_code,
    }).toEqual({
      policy: expected.policy,
      matched: expected.matched,
      rule: expected.rule,
      workspace: expected.workspace,
      server: expected.server,
      approval_required: expected.approval_required ?? false,
      error_code: expected.error_code,
    });
    if (expected.chain) expect(chain).toEqual(expected.chain);
  });
});

describe('decide: details', () => {
  const gh = server('gh', 'github');
  const proj = workspace('proj', '/p', 'deny');
  const base = { workspaces: [workspace('global', '/'), proj], downstreams: [gh], globalDefaultPolicy: 'allow' as const };

  it('says in words which rule decided (by name, id and workspace with its root), and why a default did', () => {
    const compiled = compileConfig({
      ...base,
      routes: [
        route('r1', 'proj', { tool_pattern: 'github__*', priority: 100 }),
        route('r2', 'proj', { tool_pattern: ['a', 'b'], policy: 'deny', name: 'block-ab' }),
        route('r3', 'proj', { tool_pattern: 'c', policy: 'deny' }),
      ],
    });
    const chain = resolveChain(base.workspaces, '/p');
    expect(decide(compiled, chain, 'github__x').reason).toBe(
      'allowed by rule r1 (unnamed) in workspace "proj" (/p): it matches path "**", tool "github__*", priority 100',
    );
    expect(decide(compiled, chain, 'a').reason).toBe(
      'denied by rule "block-ab" (id r2) in workspace "proj" (/p): it matches path "**", tools "a", "b", priority 100',
    );
    expect(decide(compiled, chain, 'c').reason).toBe('denied by rule r3 (unnamed) in workspace "proj" (/p): it matches path "**", tool "c", priority 100');
    expect(decide(compiled, chain, 'linear__x').reason).toBe(
      'no rule in workspace "proj" (/p) → workspace "global" (/) matches "linear__x"; the default policy of workspace "proj" (/p) is deny; ' +
        'to allow it, add a rule: POST /api/v1/routes {"workspace_id":"proj","tool_pattern":"linear__x","policy":"allow"}, ' +
        'or PUT /api/v1/workspaces/proj {"default_policy":"allow"}',
    );
    const global = resolveChain(base.workspaces, '/elsewhere');
    expect(decide(compiled, global, 'nope__x').reason).toBe(
      'no rule in workspace "global" (/) matches "nope__x"; the default policy of workspace "global" (/) is allow (the default_policy setting), but no downstream server has the namespace "nope" (unknown tool)',
    );
    const denyAll = compileConfig({ ...base, routes: [], globalDefaultPolicy: 'deny' });
    expect(decide(denyAll, global, 'nope__x').reason).toMatch(
      /is deny \(the default_policy setting\); to allow it, add a rule: .*, or set the default_policy setting to allow$/,
    );
  });

  it('names a rule and workspace by what the config says now: a renamed rule or workspace gets new words after recompiling', () => {
    const named = (name: string, wsName: string) =>
      compileConfig({ ...base, workspaces: [base.workspaces[0]!, { ...proj, name: wsName }], routes: [route('r9', 'proj', { policy: 'deny', name })] });
    const chain = resolveChain(base.workspaces, '/p');
    expect(decide(named('block-writes', 'proj'), chain, 'x').reason).toContain('denied by rule "block-writes" (id r9) in workspace "proj" (/p)');
    expect(decide(named('no-fs', 'Project P'), chain, 'x').reason).toContain('denied by rule "no-fs" (id r9) in workspace "Project P" (/p)');
  });

  it('takes the global default from the setting, not the stored field', () => {
    const compiled = compileConfig({ ...base, workspaces: [workspace('global', '/', 'allow')], routes: [], globalDefaultPolicy: 'deny' });
    expect(decide(compiled, resolveChain(base.workspaces, undefined), 'github__x').policy).toBe('deny');
  });

  it('passes the auth scope and the approval timeout of the deciding rule', () => {
    const compiled = compileConfig({
      ...base,
      routes: [route('r', 'proj', { server_id: 'gh', auth_scope_id: 'scope', policy: 'approve', approval_timeout_sec: 30 })],
    });
    const decision = decide(compiled, resolveChain(base.workspaces, '/p'), 'github__x');
    expect(decision).toMatchObject({ policy: 'approve', auth_scope_id: 'scope', approval_required: true, approval_timeout_sec: 30 });
    expect(decision.reason).toContain('allowed after approval (policy approve) by rule r');
    expect(Object.isFrozen(decision)).toBe(true);
  });

  it('leaves the timeout to the setting when the rule has none or 0, or no approval is needed', () => {
    const compiled = compileConfig({
      ...base,
      routes: [route('r', 'proj', { approval_mode: 'write', approval_timeout_sec: 0 }), route('s', 'global', { approval_timeout_sec: 30 })],
    });
    expect(decide(compiled, resolveChain(base.workspaces, '/p'), 'github__x').approval_timeout_sec).toBeUndefined();
    expect(decide(compiled, resolveChain(base.workspaces, '/q'), 'github__x').approval_timeout_sec).toBeUndefined();
  });

  it('explains a write-mode approval decision', () => {
    const compiled = compileConfig({ ...base, routes: [route('r', 'proj', { approval_mode: 'write' })] });
    const chain = resolveChain(base.workspaces, '/p');
    expect(decide(compiled, chain, 'github__x', { readOnly: true }).reason).toContain(
      'allowed without approval (approval_mode write: the tool is read-only) by rule r',
    );
    expect(decide(compiled, chain, 'github__x').reason).toContain('allowed after approval (approval_mode write: the tool is not marked read-only) by rule r');
  });

  it('reports a rule whose server is not configured as an unknown tool', () => {
    const compiled = compileConfig({ ...base, routes: [route('r', 'proj', { server_id: 'gone' })] });
    const decision = decide(compiled, resolveChain(base.workspaces, '/p'), 'x', { owner: server('gone', 'gone') });
    expect(decision).toMatchObject({ matched: true, error_code: 'unknown_tool' });
    expect(decision.reason).toContain('its server "gone" is not configured');
  });

  it.each([
    ['approve', 'none', undefined, true],
    ['approve', 'all', true, true],
    ['approve', 'write', true, false],
    ['approve', 'write', false, true],
    ['allow', 'none', false, false],
    ['allow', 'all', true, true],
    ['allow', 'write', true, false],
    ['allow', 'write', undefined, true],
    ['deny', 'all', false, false],
  ] as const)('approval: policy %s, mode %s, readOnly %s → %s', (policy, approval_mode, readOnly, expected) => {
    expect(approvalRequired({ policy, approval_mode }, readOnly)).toBe(expected);
  });
});
