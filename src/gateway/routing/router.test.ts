import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../errors.js';
import { compileRouter } from './index.js';
import { caseConfig, routingCases } from '../../../test/fixtures/routing/cases.js';
import { globalWorkspace, route, server, workspace } from '../../../test/fixtures/routing/records.js';

const gh = server('gh', 'github');
const workspaces = [globalWorkspace(), workspace('team', '/t'), workspace('proj', '/t/p', 'deny')];
const routes = [route('proj-gh', 'proj', { tool_pattern: 'github__*', approval_mode: 'write' })];
const config = { workspaces, routes, downstreams: [gh], globalDefaultPolicy: 'allow' as const };

describe('router', () => {
  it('replays the routing table by directory', () => {
    for (const routingCase of routingCases) {
      const config = caseConfig(routingCase);
      const router = compileRouter(config);
      const owner = config.downstreams.find((s) => s.id === routingCase.owner);
      const decision = router.decide(routingCase.dir, routingCase.tool, { owner, readOnly: routingCase.readOnly });
      expect([routingCase.name, decision.policy, decision.rule?.id, decision.workspace.id]).toEqual([
        routingCase.name,
        routingCase.expected.policy,
        routingCase.expected.rule,
        routingCase.expected.workspace,
      ]);
    }
  });

  it('an exact pattern written with a listed (shortened) name matches the full name it stands for', () => {
    const full = 'github__get_repository_repository_repository_repository_repository_repository_x';
    const listed = 'github__get_repository_repository_repository_repository_1234abcd';
    const rules = [
      route('deny-listed', 'team', { tool_pattern: listed, policy: 'deny' }),
      route('deny-glob', 'team', { tool_pattern: 'github__zz*', policy: 'deny' }),
    ];
    const router = compileRouter({ ...config, routes: rules, toolAliases: new Map([[listed, full]]) });
    expect(router.decide('/t/x', full, { owner: gh })).toMatchObject({ policy: 'deny', rule: { id: 'deny-listed' } });
    expect(router.decide('/t/x', 'github__other', { owner: gh }).policy).toBe('allow');
    expect(compileRouter({ ...config, routes: rules }).decide('/t/x', full, { owner: gh }).policy).toBe('allow');
  });

  it('caches decisions per (chain, tool, owner, read-only) and counts hits and misses', () => {
    const router = compileRouter(config);
    const chain = router.chainFor('/t/p/src');
    const first = router.decide(chain, 'github__x');
    expect(router.decide(chain, 'github__x')).toBe(first);
    expect(router.decide('/t/p/src/', 'github__x')).toBe(first); // same directory, same chain key
    expect(router.decide(chain, 'github__x', { readOnly: true })).not.toBe(first);
    expect(first.approval_required).toBe(true);
    expect(router.decide(chain, 'github__x', { readOnly: true }).approval_required).toBe(false);
    expect(router.decide(chain, 'github__x', { owner: gh })).not.toBe(first);
    expect(router.cacheStats()).toMatchObject({ hits: 3, misses: 3, evictions: 0, entries: 3 });
    router.flush();
    expect(router.cacheStats()).toMatchObject({ entries: 0 });
    expect(router.decide(chain, 'github__x')).not.toBe(first);
    expect(router.decide(chain, 'github__x')).toEqual(first);
  });

  it('bounds the decision cache', () => {
    const router = compileRouter({ ...config, decisionCacheSize: 3 });
    for (let i = 0; i < 5; i += 1) router.decide('/t', `github__tool${i}`);
    expect(router.cacheStats()).toMatchObject({ entries: 3, evictions: 2, misses: 5 });
  });

  it('re-resolves a chain that an older router made, so a new config never sees stale workspaces', () => {
    const before = compileRouter({ ...config, workspaces: [globalWorkspace(), workspace('team', '/t')] });
    const chain = before.chainFor('/t/p');
    expect(before.decide(chain, 'github__x').workspace.id).toBe('team');
    const after = compileRouter(config);
    const decision = after.decide(chain, 'github__x');
    expect(decision.workspace.id).toBe('proj');
    expect(after.explain(chain, 'github__x').chain.map((link) => link.workspace_id)).toEqual(['proj', 'team', 'global']);
  });

  it('builds a dry-run chain from a workspace and a subpath, as a real call from there would', () => {
    const router = compileRouter(config);
    expect(router.chainForWorkspace('team', 'p/src').links.map((l) => [l.workspace.id, l.subpath])).toEqual([
      ['proj', 'src'],
      ['team', 'p/src'],
      ['global', 't/p/src'],
    ]);
    expect(router.chainForWorkspace('global').links.map((l) => l.workspace.id)).toEqual(['global']);
    const explanation = router.explain(router.chainForWorkspace('proj', 'src'), 'linear__x');
    expect(explanation).toMatchObject({ policy: 'deny', matched: false, error_code: 'no_route' });
    expect(explanation.candidate_rules).toHaveLength(1);
    expect(explanation.candidate_rules[0]).toMatchObject({ matched: false, mismatch: 'tool' });
  });

  it('answers an unknown workspace with not_found', () => {
    const router = compileRouter(config);
    let error: unknown;
    try {
      router.chainForWorkspace('nope');
    } catch (caught) {
      error = caught;
    }
    expect(isGatewayError(error) && error.code).toBe('not_found');
  });

  it('routes a call with no directory through global only', () => {
    const router = compileRouter({ ...config, globalDefaultPolicy: 'deny' });
    expect(router.decide(undefined, 'github__x')).toMatchObject({ policy: 'deny', error_code: 'no_route' });
    expect(router.chainFor(undefined).links).toHaveLength(1);
  });
});

describe('a directory behind a symbolic link (the realPath port)', () => {
  // /t/p/alias → /t/p/secret (a link inside a workspace); /a/into-b → /b (a link from one workspace into another).
  const links: Record<string, string> = { '/t/p/alias': '/t/p/secret', '/a/into-b': '/b' };
  const realPath = (dir: string) => links[dir] ?? dir;
  const spaces = [globalWorkspace(), workspace('p', '/t/p'), workspace('a-longer-root', '/a'), workspace('b', '/b')];
  const rules = [
    route('no-secret', 'p', { tool_pattern: 'github__*', path_glob: 'secret/**', policy: 'deny' }),
    route('a-allows', 'a-longer-root', { tool_pattern: 'github__*' }),
    route('b-denies', 'b', { tool_pattern: 'github__x', policy: 'deny' }),
  ];
  const router = compileRouter({ workspaces: spaces, routes: rules, downstreams: [gh], globalDefaultPolicy: 'allow', realPath });

  it('is decided by both of its spellings, strictest wins: no link lifts a deny rule (a trial: a link to secret/ was allowed)', () => {
    expect(router.decide('/t/p/secret', 'github__x')).toMatchObject({ policy: 'deny', rule: { id: 'no-secret' } });
    expect(router.decide('/t/p/alias', 'github__x')).toMatchObject({ policy: 'deny', rule: { id: 'no-secret' } });
    expect(router.decide('/a/into-b', 'github__x')).toMatchObject({ policy: 'deny', rule: { id: 'b-denies' } });
    expect(router.explain('/t/p/alias', 'github__x')).toMatchObject({ policy: 'deny', rule: { id: 'no-secret' } });
    expect(router.decide({ dirs: ['/x', '/t/p/alias'], key: '\u0001/x\u0000/t/p/alias' }, 'github__x')).toMatchObject({ policy: 'deny' });
  });

  it('a directory without a link is decided as written, and its spellings are itself', () => {
    expect(router.decide('/t/p/other', 'github__x')).toMatchObject({ policy: 'allow' });
    expect(router.spellings('/t/p/other/')).toEqual(['/t/p/other']);
    expect(router.spellings('/t/p/alias')).toEqual(['/t/p/alias', '/t/p/secret']);
  });
});
