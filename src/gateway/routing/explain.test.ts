import { describe, expect, it } from 'vitest';
import { compileConfig } from './compile.js';
import { decide } from './decide.js';
import { explain } from './explain.js';
import { resolveChain } from './resolve-chain.js';
import { caseConfig, routingCases } from '../../../test/fixtures/routing/cases.js';
import { globalWorkspace, route, server, workspace } from '../../../test/fixtures/routing/records.js';

describe('explain (dry-run)', () => {
  const workspaces = [globalWorkspace(), workspace('team', '/t'), workspace('proj', '/t/p')];
  const downstreams = [server('gh', 'github'), server('lin', 'linear')];
  const routes = [
    route('g-all', 'global'),
    route('team-deny', 'team', { tool_pattern: 'github__*', policy: 'deny' }),
    route('proj-src', 'proj', { path_glob: 'src/**', policy: 'deny' }),
    route('proj-lin', 'proj', { tool_pattern: 'linear__*' }),
    route('proj-gh-only', 'proj', { server_id: 'lin', tool_pattern: 'github__*' }),
  ];
  const compiled = compileConfig({ workspaces, routes, downstreams, globalDefaultPolicy: 'allow' });

  it('reports the chain and every rule of it in evaluation order, with why each did not match', () => {
    const result = explain(compiled, resolveChain(workspaces, '/t/p/lib'), 'github__x');
    expect(result.chain).toEqual([
      { workspace_id: 'proj', subpath: 'lib' },
      { workspace_id: 'team', subpath: 'p/lib' },
      { workspace_id: 'global', subpath: 't/p/lib' },
    ]);
    expect(result.candidate_rules.map((c) => [c.rule.id, c.workspace_id, c.matched, c.decided, c.mismatch])).toEqual([
      ['proj-src', 'proj', false, false, 'path'],
      ['proj-lin', 'proj', false, false, 'tool'],
      ['proj-gh-only', 'proj', false, false, 'namespace'],
      ['team-deny', 'team', true, true, undefined],
      ['g-all', 'global', true, false, undefined],
    ]);
    expect(result.candidate_rules.map((c) => c.note)).toEqual([
      'path_glob "src/**" does not match subpath "lib"',
      'tool "linear__*" does not match "github__x"',
      'namespace guard: the rule is scoped to server "lin" (namespace "linear") and "github__x" is not its tool',
      'matches; it decides (deny)',
      'matches, but an earlier rule had already decided',
    ]);
    expect(result).toMatchObject({ policy: 'deny', matched: true, error_code: 'denied' });
    expect(result.rule?.id).toBe('team-deny');
    expect(result.workspace.id).toBe('team');
  });

  it('gives the same decision as decide for every row of the table', () => {
    for (const routingCase of routingCases) {
      const config = caseConfig(routingCase);
      const compiledCase = compileConfig(config);
      const chain = resolveChain(config.workspaces, routingCase.dir);
      const owner = config.downstreams.find((s) => s.id === routingCase.owner);
      const options = { owner, readOnly: routingCase.readOnly };
      const { chain: _chain, candidate_rules, ...decision } = explain(compiledCase, chain, routingCase.tool, options);
      expect(decision).toEqual({ ...decide(compiledCase, chain, routingCase.tool, options) });
      expect(candidate_rules.filter((c) => c.decided).map((c) => c.rule.id)).toEqual(decision.rule ? [decision.rule.id] : []);
    }
  });
});
