/**
 * The routing table: one config and one call per row, with the decision expected. The unit
 * tests replay it through `compileRouter`; the same rows can be replayed over the REST dry-run
 * and through real calls (build the config with `caseConfig`).
 */
import { route, server, workspace, type RoutingCase } from './routing-fixtures.js';

export { caseConfig, type RoutingCase, type RoutingExpectation } from './routing-fixtures.js';

const gh = server('gh', 'github');
const lin = server('lin', 'linear');
const raw = server('raw', 'raw', { expose_unprefixed: true });
const servers = [gh, lin, raw];

const team = workspace('team', '/work/team');
const proj = workspace('proj', '/work/team/proj');
const projDeny = workspace('proj', '/work/team/proj', 'deny');
const nested = [team, proj];
const PROJ = '/work/team/proj';

export const routingCases: readonly RoutingCase[] = [
  // Chain and defaults
  { name: 'no directory: global default allows, server from the namespace', servers, tool: 'github__create_issue',
    expected: { policy: 'allow', matched: false, workspace: 'global', server: 'gh', chain: ['global'] } },
  { name: 'no directory: the default_policy setting deny', servers, globalDefaultPolicy: 'deny', tool: 'github__create_issue',
    expected: { policy: 'deny', matched: false, workspace: 'global', error_code: 'no_route' } },
  { name: 'default allow but no server has the namespace', servers, tool: 'nope__x',
    expected: { policy: 'allow', matched: false, workspace: 'global', error_code: 'unknown_tool' } },
  { name: 'default allow but the name has no namespace and no owner', servers, tool: 'read_file',
    expected: { policy: 'allow', matched: false, workspace: 'global', error_code: 'unknown_tool' } },
  { name: 'seeded builtin-allow lets mcpx tools through a global deny', servers, globalDefaultPolicy: 'deny', tool: 'mcpx__search_tools',
    expected: { policy: 'allow', matched: true, rule: 'builtin-allow', workspace: 'global', server: 'mcpx-builtin' } },
  { name: 'nested chain, no rules: the most specific default decides', servers, workspaces: [team, projDeny], dir: `${PROJ}/src`, tool: 'github__x',
    expected: { policy: 'deny', matched: false, workspace: 'proj', error_code: 'no_route', chain: ['proj', 'team', 'global'] } },
  { name: 'most specific default allow beats global deny', servers, workspaces: nested, globalDefaultPolicy: 'deny', dir: PROJ, tool: 'linear__x',
    expected: { policy: 'allow', matched: false, workspace: 'proj', server: 'lin' } },
  { name: 'an ancestor rule beats the most specific default', servers, workspaces: [team, projDeny], dir: PROJ, tool: 'github__x',
    routes: [route('g-allow', 'global', { tool_pattern: 'github__*' })],
    expected: { policy: 'allow', matched: true, rule: 'g-allow', workspace: 'global', server: 'gh' } },
  { name: '/users/m does not contain /users/example', servers, workspaces: [workspace('m', '/users/m', 'deny')], dir: '/users/example', tool: 'github__x',
    expected: { policy: 'allow', matched: false, workspace: 'global', server: 'gh', chain: ['global'] } },
  { name: '/users/m contains /users/m/x', servers, workspaces: [workspace('m', '/users/m', 'deny')], dir: '/users/m/x', tool: 'github__x',
    expected: { policy: 'deny', matched: false, workspace: 'm', error_code: 'no_route', chain: ['m', 'global'] } },

  // Specificity across the chain
  { name: 'a child allow beats a parent deny', servers, workspaces: nested, dir: PROJ, tool: 'github__x',
    routes: [route('team-deny', 'team', { tool_pattern: 'github__*', policy: 'deny' }), route('proj-allow', 'proj', { tool_pattern: 'github__*' })],
    expected: { policy: 'allow', matched: true, rule: 'proj-allow', workspace: 'proj', server: 'gh' } },
  { name: 'a child deny beats a parent allow', servers, workspaces: nested, dir: `${PROJ}/a`, tool: 'github__delete_repo',
    routes: [route('team-allow', 'team'), route('proj-deny', 'proj', { tool_pattern: 'github__delete_repo', policy: 'deny' })],
    expected: { policy: 'deny', matched: true, rule: 'proj-deny', workspace: 'proj', error_code: 'denied' } },
  { name: 'outside the child, the parent rule applies', servers, workspaces: nested, dir: '/work/team/docs', tool: 'github__delete_repo',
    routes: [route('team-allow', 'team'), route('proj-deny', 'proj', { tool_pattern: 'github__delete_repo', policy: 'deny' })],
    expected: { policy: 'allow', matched: true, rule: 'team-allow', workspace: 'team', server: 'gh', chain: ['team', 'global'] } },
  { name: 'a parent deny stops before a global allow', servers, workspaces: nested, dir: PROJ, tool: 'linear__x',
    routes: [route('g-allow', 'global', { tool_pattern: 'linear__*' }), route('team-deny', 'team', { tool_pattern: 'linear__*', policy: 'deny' })],
    expected: { policy: 'deny', matched: true, rule: 'team-deny', workspace: 'team', error_code: 'denied' } },

  // Order within a workspace
  { name: 'equal rank: the earlier-created allow wins', servers, workspaces: nested, dir: PROJ, tool: 'github__x',
    routes: [route('zz-allow', 'proj', { tool_pattern: 'github__*' }), route('aa-deny', 'proj', { tool_pattern: 'github__*', policy: 'deny' })],
    expected: { policy: 'allow', matched: true, rule: 'zz-allow', workspace: 'proj', server: 'gh' } },
  { name: 'equal rank: the earlier-created deny wins', servers, workspaces: nested, dir: PROJ, tool: 'github__x',
    routes: [route('zz-deny', 'proj', { tool_pattern: 'github__*', policy: 'deny' }), route('aa-allow', 'proj', { tool_pattern: 'github__*' })],
    expected: { policy: 'deny', matched: true, rule: 'zz-deny', workspace: 'proj', error_code: 'denied' } },
  { name: 'higher priority wins at equal specificity', servers, workspaces: nested, dir: PROJ, tool: 'github__x',
    routes: [route('low-allow', 'proj', { tool_pattern: 'github__*' }), route('high-deny', 'proj', { tool_pattern: 'github__*', policy: 'deny', priority: 200 })],
    expected: { policy: 'deny', matched: true, rule: 'high-deny', workspace: 'proj', error_code: 'denied' } },
  { name: 'tool specificity beats priority', servers, workspaces: nested, dir: PROJ, tool: 'github__create_issue',
    routes: [route('prefix-deny', 'proj', { tool_pattern: 'github__*', policy: 'deny', priority: 1000 }), route('exact-allow', 'proj', { tool_pattern: 'github__create_issue', priority: 1 })],
    expected: { policy: 'allow', matched: true, rule: 'exact-allow', workspace: 'proj', server: 'gh' } },
  { name: 'path specificity beats tool specificity', servers, workspaces: nested, dir: `${PROJ}/src/x`, tool: 'github__create_issue',
    routes: [route('exact-allow', 'proj', { tool_pattern: 'github__create_issue' }), route('src-deny', 'proj', { path_glob: 'src/**', policy: 'deny' })],
    expected: { policy: 'deny', matched: true, rule: 'src-deny', workspace: 'proj', error_code: 'denied' } },
  { name: 'infix ranks above prefix', servers, workspaces: nested, dir: PROJ, tool: 'github__delete_repo',
    routes: [route('prefix-allow', 'proj', { tool_pattern: 'github__*' }), route('infix-deny', 'proj', { tool_pattern: '*__delete_*', policy: 'deny' })],
    expected: { policy: 'deny', matched: true, rule: 'infix-deny', workspace: 'proj', error_code: 'denied' } },
  { name: 'exact ranks above infix', servers, workspaces: nested, dir: PROJ, tool: 'github__delete_repo',
    routes: [route('infix-deny', 'proj', { tool_pattern: '*__delete_*', policy: 'deny' }), route('exact-allow', 'proj', { tool_pattern: 'github__delete_repo' })],
    expected: { policy: 'allow', matched: true, rule: 'exact-allow', workspace: 'proj', server: 'gh' } },
  { name: 'infix is anchored at both ends', servers, workspaces: nested, dir: PROJ, tool: 'github__create_issue_comment',
    routes: [route('infix-deny', 'proj', { tool_pattern: 'github__*_issue', policy: 'deny' })],
    expected: { policy: 'allow', matched: false, workspace: 'proj', server: 'gh' } },
  { name: 'a rule with several patterns ranks by its most specific', servers, workspaces: nested, dir: PROJ, tool: 'linear__x',
    routes: [route('prefix-deny', 'proj', { tool_pattern: 'linear__*', policy: 'deny', priority: 500 }), route('multi-allow', 'proj', { tool_pattern: ['linear__*', 'github__create_issue'] })],
    expected: { policy: 'allow', matched: true, rule: 'multi-allow', workspace: 'proj', server: 'lin' } },
  { name: 'prefix git* also matches github__', servers, dir: '/tmp', globalDefaultPolicy: 'deny', tool: 'github__x',
    routes: [route('git', 'global', { tool_pattern: 'git*' })],
    expected: { policy: 'allow', matched: true, rule: 'git', workspace: 'global', server: 'gh' } },

  // Servers and the namespace guard
  { name: 'a * rule scoped to linear does not catch github tools', servers, globalDefaultPolicy: 'deny', dir: '/tmp', tool: 'github__x',
    routes: [route('lin-all', 'global', { server_id: 'lin' })],
    expected: { policy: 'deny', matched: false, workspace: 'global', error_code: 'no_route' } },
  { name: 'the scoped rule routes its own tools with its auth scope', servers, globalDefaultPolicy: 'deny', dir: '/tmp', tool: 'linear__x',
    routes: [route('lin-all', 'global', { server_id: 'lin', auth_scope_id: 'scope-1' })],
    expected: { policy: 'allow', matched: true, rule: 'lin-all', workspace: 'global', server: 'lin' } },
  { name: 'the guard applies to deny rules too', servers, workspaces: nested, dir: PROJ, tool: 'linear__x',
    routes: [route('gh-deny', 'proj', { server_id: 'gh', policy: 'deny' })],
    expected: { policy: 'allow', matched: false, workspace: 'proj', server: 'lin' } },
  { name: 'an unprefixed tool passes the guard through its known owner', servers, globalDefaultPolicy: 'deny', tool: 'read_file', owner: 'raw',
    routes: [route('raw-all', 'global', { server_id: 'raw' })],
    expected: { policy: 'allow', matched: true, rule: 'raw-all', workspace: 'global', server: 'raw' } },
  { name: 'an unprefixed tool without a known owner fails the guard', servers, globalDefaultPolicy: 'deny', tool: 'read_file',
    routes: [route('raw-all', 'global', { server_id: 'raw' })],
    expected: { policy: 'deny', matched: false, workspace: 'global', error_code: 'no_route' } },
  { name: 'a known owner of another server fails the guard', servers, globalDefaultPolicy: 'deny', tool: 'read_file', owner: 'gh',
    routes: [route('raw-all', 'global', { server_id: 'raw' })],
    expected: { policy: 'deny', matched: false, workspace: 'global', error_code: 'no_route' } },
  { name: 'an allow rule without a server finds it from the namespace', servers, globalDefaultPolicy: 'deny', tool: 'linear__list_issues',
    routes: [route('lin-tools', 'global', { tool_pattern: 'linear__*' })],
    expected: { policy: 'allow', matched: true, rule: 'lin-tools', workspace: 'global', server: 'lin' } },
  { name: 'an allow rule without a server and an unknown namespace', servers, tool: 'nope__x',
    routes: [route('all', 'global')],
    expected: { policy: 'allow', matched: true, rule: 'all', workspace: 'global', error_code: 'unknown_tool' } },

  // Path globs
  { name: '* matches one segment', servers, workspaces: nested, dir: `${PROJ}/src`, tool: 'github__x',
    routes: [route('one', 'proj', { path_glob: '*', policy: 'deny' })],
    expected: { policy: 'deny', matched: true, rule: 'one', workspace: 'proj', error_code: 'denied' } },
  { name: '* does not match src/pkg', servers, workspaces: nested, dir: `${PROJ}/src/pkg`, tool: 'github__x',
    routes: [route('one', 'proj', { path_glob: '*', policy: 'deny' })],
    expected: { policy: 'allow', matched: false, workspace: 'proj', server: 'gh' } },
  { name: '* matches the workspace root (the empty subpath is one empty segment)', servers, workspaces: nested, dir: PROJ, tool: 'github__x',
    routes: [route('one', 'proj', { path_glob: '*', policy: 'deny' })],
    expected: { policy: 'deny', matched: true, rule: 'one', workspace: 'proj', error_code: 'denied' } },
  { name: '**/test matches test', servers, workspaces: nested, dir: `${PROJ}/test`, tool: 'github__x',
    routes: [route('t', 'proj', { path_glob: '**/test', policy: 'deny' })],
    expected: { policy: 'deny', matched: true, rule: 't', workspace: 'proj', error_code: 'denied' } },
  { name: '**/test matches a/b/test', servers, workspaces: nested, dir: `${PROJ}/a/b/test`, tool: 'github__x',
    routes: [route('t', 'proj', { path_glob: '**/test', policy: 'deny' })],
    expected: { policy: 'deny', matched: true, rule: 't', workspace: 'proj', error_code: 'denied' } },
  { name: '**/test does not match a/test/b', servers, workspaces: nested, dir: `${PROJ}/a/test/b`, tool: 'github__x',
    routes: [route('t', 'proj', { path_glob: '**/test', policy: 'deny' })],
    expected: { policy: 'allow', matched: false, workspace: 'proj', server: 'gh' } },
  { name: 'src/** matches src itself', servers, workspaces: nested, dir: `${PROJ}/src`, tool: 'github__x',
    routes: [route('s', 'proj', { path_glob: 'src/**', policy: 'deny' })],
    expected: { policy: 'deny', matched: true, rule: 's', workspace: 'proj', error_code: 'denied' } },
  { name: 'src/** does not match lib/main.go', servers, workspaces: nested, dir: `${PROJ}/lib/main.go`, tool: 'github__x',
    routes: [route('s', 'proj', { path_glob: 'src/**', policy: 'deny' })],
    expected: { policy: 'allow', matched: false, workspace: 'proj', server: 'gh' } },
  { name: 'global globs see the path without its leading /', servers, dir: '/work/x', tool: 'github__x',
    routes: [route('w', 'global', { path_glob: 'work/*', policy: 'deny' })],
    expected: { policy: 'deny', matched: true, rule: 'w', workspace: 'global', error_code: 'denied' } },

  // Approvals
  { name: 'approve asks even for a read-only tool', servers, tool: 'github__get_issue', readOnly: true,
    routes: [route('a', 'global', { policy: 'approve' })],
    expected: { policy: 'approve', matched: true, rule: 'a', workspace: 'global', server: 'gh', approval_required: true } },
  { name: 'approve + write skips a read-only tool', servers, tool: 'github__get_issue', readOnly: true,
    routes: [route('a', 'global', { policy: 'approve', approval_mode: 'write' })],
    expected: { policy: 'approve', matched: true, rule: 'a', workspace: 'global', server: 'gh', approval_required: false } },
  { name: 'approve + write asks for a write tool', servers, tool: 'github__create_issue', readOnly: false,
    routes: [route('a', 'global', { policy: 'approve', approval_mode: 'write' })],
    expected: { policy: 'approve', matched: true, rule: 'a', workspace: 'global', server: 'gh', approval_required: true } },
  { name: 'allow + all asks', servers, tool: 'github__get_issue', readOnly: true,
    routes: [route('a', 'global', { approval_mode: 'all' })],
    expected: { policy: 'allow', matched: true, rule: 'a', workspace: 'global', server: 'gh', approval_required: true } },
  { name: 'allow + write skips a read-only tool', servers, tool: 'github__get_issue', readOnly: true,
    routes: [route('a', 'global', { approval_mode: 'write' })],
    expected: { policy: 'allow', matched: true, rule: 'a', workspace: 'global', server: 'gh', approval_required: false } },
  { name: 'allow + write asks when read-only is unknown', servers, tool: 'github__get_issue',
    routes: [route('a', 'global', { approval_mode: 'write' })],
    expected: { policy: 'allow', matched: true, rule: 'a', workspace: 'global', server: 'gh', approval_required: true } },
  { name: 'allow + none never asks', servers, tool: 'github__create_issue', readOnly: false,
    routes: [route('a', 'global')],
    expected: { policy: 'allow', matched: true, rule: 'a', workspace: 'global', server: 'gh', approval_required: false } },
];
