// The routing table (src/gateway/routing/routing-cases.ts) replayed through the real gateway:
// each row's workspaces, routes and default policy are created over REST with the table's own
// ids, then POST /api/v1/dry-run must give the row's decision, and a real tools/call through /mcp
// from the row's directory must give the same one (allowed → reaches the expected downstream
// process with the expected auth scope; denied or default-denied → JSON-RPC -32003).
//
// How rows that cannot be created exactly as written are set up (each is still replayed both ways):
// - The table's servers are stand-ins without processes; here each is a real spec-fixture process
//   with the row's id, namespace and expose_unprefixed, which answers any tool name it is called
//   with, so a call that the policy lets through visibly reaches it.
// - `owner` and `readOnly` are what the caller's tool index knows. The gateway learns both only
//   from discovery, so for such rows the owning server lists the tool (with readOnlyHint as the row
//   says) and is re-discovered. A row whose owner is a prefixed server but whose tool carries no
//   namespace ("a known owner of another server") can only be owned that way by an unprefixed
//   server, so that owner is switched to expose_unprefixed for the row.
// - The gateway treats the ONLY unprefixed server as the owner of any bare name it does not know
//   (Catalog.ownerOf). The rows about a bare name with no known owner need that to be false, so a
//   second unprefixed server (`raw-twin`, no tools) is configured throughout.
// - The fixture's `approval_mode: "none"` on an `approve` rule means "not given": the API refuses
//   the explicit contradiction (ORIGINAL.md, Approvals), so it is left out of the request.
// - A row whose decision is `unknown_tool` (no server offers the name) cannot reach any process:
//   its real call must fail as an unknown tool (-32602), never as a policy refusal.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routingCases, type RoutingCase } from '../fixtures/routing/cases.js';
import type { DownstreamServer, RouteRule, Workspace } from '../../src/gateway/config/index.js';
import { waitForPending } from '../helpers/approvals.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import {
  connectClient,
  reached,
  resultText,
  rpcError,
  scratchDir,
  specServerBody,
  writeSpec,
  type McpClient,
  type SpecTool,
} from '../helpers/original-harness.js';

const TWIN = 'raw-twin';
const specDir = scratchDir();
let t: TestGateway;
const clients = new Map<string, McpClient>();
/** Per server: the spec and exposure last discovered, so only changes are re-discovered. */
const current = new Map<string, { spec: string; unprefixed: boolean }>();
const tableServers = new Map<string, DownstreamServer>();

for (const routingCase of routingCases) {
  for (const server of routingCase.servers ?? []) {
    const seen = tableServers.get(server.id);
    if (seen && (seen.namespace !== server.namespace || seen.expose_unprefixed !== server.expose_unprefixed)) {
      throw new Error(`the table uses server "${server.id}" with two definitions; the replay creates each server once`);
    }
    tableServers.set(server.id, server);
  }
}
const scopeIds = new Set(routingCases.flatMap((c) => (c.routes ?? []).map((r) => r.auth_scope_id).filter((id): id is string => !!id)));

beforeAll(async () => {
  t = await startTestGateway();
  const servers = [...tableServers.values(), { id: TWIN, namespace: TWIN, expose_unprefixed: true } as DownstreamServer];
  for (const server of servers) {
    const body = specServerBody(specDir, server.id, [], { id: server.id, namespace: server.namespace, expose_unprefixed: server.expose_unprefixed });
    expect((await t.api('POST', '/downstreams', body)).status).toBe(201);
    expect((await t.api('POST', `/downstreams/${server.id}/discover`)).status).toBe(200);
    current.set(server.id, { spec: '[]', unprefixed: server.expose_unprefixed });
  }
  // Each auth scope marks its process: the fixture reports TEST_SCOPE in every answer.
  for (const id of scopeIds) expect((await t.api('POST', '/auth-scopes', { id, name: id, env_vars: { TEST_SCOPE: id } })).status).toBe(201);
});

afterAll(async () => {
  for (const client of clients.values()) await client.close().catch(() => undefined);
  await t?.close();
});

/** What each server must list (and whether unprefixed) so the gateway knows the row's owner and read-only hint. */
function serverSetup(c: RoutingCase): Map<string, { tools: SpecTool[]; unprefixed: boolean }> {
  const setup = new Map([...current.keys()].map((id) => [id, { tools: [] as SpecTool[], unprefixed: id === TWIN || tableServers.get(id)!.expose_unprefixed }]));
  const byNamespace = [...tableServers.values()].find((s) => c.tool.startsWith(`${s.namespace}__`));
  const ownerId = c.owner ?? (c.readOnly !== undefined ? byNamespace?.id : undefined);
  if (ownerId) {
    const owner = tableServers.get(ownerId)!;
    const entry = setup.get(ownerId)!;
    if (!owner.expose_unprefixed && !c.tool.startsWith(`${owner.namespace}__`)) entry.unprefixed = true;
    const name = entry.unprefixed ? c.tool : c.tool.slice(owner.namespace.length + 2);
    entry.tools = [{ name, ...(c.readOnly !== undefined ? { annotations: { readOnlyHint: c.readOnly } } : {}) }];
  }
  return setup;
}

async function ok(method: string, apiPath: string, body?: unknown, status = 200) {
  const res = await t.api(method, apiPath, body);
  expect(res.status, `${method} ${apiPath}: ${res.text}`).toBe(status);
  return res.body;
}

/** Resets to the seeds, then creates the row's config over REST in the table's order. */
async function setUp(c: RoutingCase): Promise<void> {
  for (const rule of (await ok('GET', '/routes')) as RouteRule[]) if (rule.id !== 'builtin-allow') await ok('DELETE', `/routes/${rule.id}`, undefined, 204);
  for (const ws of (await ok('GET', '/workspaces')) as Workspace[])
    if (ws.id !== 'global') await ok('DELETE', `/workspaces/${ws.id}?cascade=true`, undefined, 204);
  await ok('PUT', '/settings', { default_policy: c.globalDefaultPolicy ?? 'allow' });

  // Servers losing tools are re-discovered first, so an unprefixed name never clashes on the way.
  const changes = [...serverSetup(c)].filter(([id, s]) => current.get(id)!.spec !== JSON.stringify(s.tools) || current.get(id)!.unprefixed !== s.unprefixed);
  changes.sort(([, a], [, b]) => a.tools.length - b.tools.length);
  for (const [id, s] of changes) {
    if (current.get(id)!.unprefixed !== s.unprefixed) await ok('PUT', `/downstreams/${id}`, { expose_unprefixed: s.unprefixed });
    writeSpec(path.join(specDir, `${id}.json`), s.tools);
    await ok('POST', `/downstreams/${id}/discover`);
    current.set(id, { spec: JSON.stringify(s.tools), unprefixed: s.unprefixed });
  }

  for (const ws of c.workspaces ?? [])
    await ok('POST', '/workspaces', { id: ws.id, name: ws.name, root_path: ws.root_path, default_policy: ws.default_policy }, 201);
  for (const rule of c.routes ?? []) {
    const { source: _s, created_at: _c, updated_at: _u, approval_mode, ...fields } = rule;
    await ok('POST', '/routes', approval_mode === 'none' ? fields : { ...fields, approval_mode }, 201);
  }
  const order = ((await ok('GET', '/routes')) as RouteRule[]).map((r) => r.id);
  expect(order).toEqual(['builtin-allow', ...(c.routes ?? []).map((r) => r.id)]);
}

/** The dry-run body for the row's directory: its most specific workspace and the subpath inside it. */
function dryRunBody(c: RoutingCase): Record<string, string> {
  if (c.dir === undefined) return { workspace_id: 'global', tool_name: c.tool };
  const contains = (root: string) => root === c.dir || c.dir!.startsWith(`${root}/`);
  const ws = (c.workspaces ?? []).filter((w) => contains(w.root_path)).sort((a, b) => b.root_path.length - a.root_path.length)[0];
  const root = ws?.root_path ?? '/';
  const subpath = c.dir === root ? '' : c.dir.slice(root === '/' ? 1 : root.length + 1);
  return { workspace_id: ws?.id ?? 'global', tool_name: c.tool, ...(subpath ? { subpath } : {}) };
}

async function clientFor(dir: string | undefined): Promise<McpClient> {
  const key = dir ?? '';
  if (!clients.has(key)) clients.set(key, await connectClient(t, { dir }));
  return clients.get(key)!;
}

describe('the routing table through POST /dry-run and real calls on /mcp', () => {
  it.each(routingCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await setUp(c);
    const expected = c.expected;
    const dry = await ok('POST', '/dry-run', dryRunBody(c));
    expect({
      policy: dry.policy,
      matched: dry.matched,
      rule: dry.matched_rule?.id,
      workspace: dry.workspace.id,
      server: dry.downstream_server?.id,
      approval_required: dry.approval_required,
      error_code: dry.error_code,
    }).toEqual({
      policy: expected.policy,
      matched: expected.matched,
      rule: expected.rule,
      workspace: expected.workspace,
      server: expected.server,
      approval_required: expected.approval_required ?? false,
      error_code: expected.error_code,
    });
    if (expected.chain) expect(dry.chain.map((link: { workspace_id: string }) => link.workspace_id)).toEqual(expected.chain);
    const scope = c.routes?.find((r) => r.id === expected.rule)?.auth_scope_id;
    expect(dry.auth_scope_id).toBe(scope);
    const decided = dry.candidate_rules.filter((candidate: { decided: boolean }) => candidate.decided).map((candidate: { id: string }) => candidate.id);
    expect(decided).toEqual(expected.rule ? [expected.rule] : []);

    const client = await clientFor(c.dir);
    const call = client.client.callTool({ name: c.tool, arguments: { query: 'replay' } });
    if (dry.error_code === 'denied') {
      const error = await rpcError(call);
      expect(error.code).toBe(-32003);
      expect(error.message).toContain(`route denied by policy: rule ${expected.rule}`);
    } else if (dry.error_code === 'no_route') {
      const error = await rpcError(call);
      expect(error.code).toBe(-32003);
      expect(error.message).toContain(`no route for "${c.tool}"`);
    } else if (dry.error_code === 'unknown_tool') {
      const error = await rpcError(call);
      expect(error.code).toBe(-32602);
      expect(error.message).toContain(`unknown tool "${c.tool}"`);
    } else if (dry.approval_required) {
      // The call waits for a person; denied over REST, it answers a tool result with isError.
      const pending = await waitForPending(t);
      expect(pending).toMatchObject({ route_rule_id: expected.rule ?? null, workspace_id: expected.workspace });
      await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: false, resolution: 'replayed' });
      const result = await call;
      expect(result.isError).toBe(true);
      expect(resultText(result)).toBe('Tool call denied by the dashboard. Reason: replayed');
    } else if (expected.server === 'mcpx-builtin') {
      expect(resultText(await call)).toBe('No dynamic servers configured.');
    } else {
      const answer = reached(await call);
      expect(answer).toEqual({ server: expected.server, tool: expect.any(String), args: { query: 'replay' }, scope: scope ?? null });
      expect(c.tool.endsWith(answer.tool)).toBe(true);
    }
  });
});

describe('dry-run: the request and response contract (ORIGINAL.md "Dry-run")', () => {
  beforeAll(async () => {
    await setUp({ name: 'contract', tool: 'x', expected: { policy: 'allow', matched: false, workspace: 'global' } });
    await ok('POST', '/workspaces', { id: 'c-team', name: 'c-team', root_path: '/c/team', default_policy: 'allow' }, 201);
    await ok('POST', '/workspaces', { id: 'c-proj', name: 'c-proj', root_path: '/c/team/proj', default_policy: 'deny' }, 201);
    await ok('POST', '/routes', { id: 'c-allow', workspace_id: 'c-team', server_id: 'gh', tool_pattern: 'github__*', auth_scope_id: [...scopeIds][0] }, 201);
    await ok('POST', '/routes', { id: 'c-deny', workspace_id: 'c-team', tool_pattern: 'github__delete_repo', policy: 'deny' }, 201);
  });

  it('allow: matched, policy, matched_rule, downstream_server, auth_scope_id, candidate_rules, workspace, chain, reason, approval_required', async () => {
    const body = await ok('POST', '/dry-run', { workspace_id: 'c-team', tool_name: 'github__create_issue', subpath: 'proj/src' });
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining([
        'matched',
        'policy',
        'matched_rule',
        'downstream_server',
        'auth_scope_id',
        'candidate_rules',
        'workspace',
        'chain',
        'reason',
        'approval_required',
      ]),
    );
    expect(body).toMatchObject({ matched: true, policy: 'allow', approval_required: false, auth_scope_id: [...scopeIds][0] });
    expect(body.matched_rule).toMatchObject({ id: 'c-allow', tool_pattern: 'github__*' });
    expect(body.downstream_server).toMatchObject({ id: 'gh', namespace: 'github' });
    expect(body.workspace).toMatchObject({ id: 'c-team' });
    // The subpath names a nested workspace: the chain is the one a call from /c/team/proj/src gets.
    expect(body.chain).toEqual([
      { workspace_id: 'c-proj', subpath: 'src' },
      { workspace_id: 'c-team', subpath: 'proj/src' },
      { workspace_id: 'global', subpath: 'c/team/proj/src' },
    ]);
    expect(typeof body.reason).toBe('string');
    expect(body.reason.length).toBeGreaterThan(0);
    expect(body.candidate_rules.map((rule: { id: string }) => rule.id)).toEqual(['c-deny', 'c-allow', 'builtin-allow']);
  });

  it('deny: matched with the rule and no downstream_server', async () => {
    const body = await ok('POST', '/dry-run', { workspace_id: 'c-team', tool_name: 'github__delete_repo' });
    expect(body).toMatchObject({ matched: true, policy: 'deny', matched_rule: { id: 'c-deny' } });
    expect(body).not.toHaveProperty('downstream_server');
  });

  it('no match: matched false and policy is the default policy of the most specific workspace', async () => {
    const body = await ok('POST', '/dry-run', { workspace_id: 'c-proj', tool_name: 'linear__x' });
    expect(body).toMatchObject({ matched: false, policy: 'deny', workspace: { id: 'c-proj' } });
    expect(body).not.toHaveProperty('matched_rule');
  });

  it.each([[{ tool_name: 'x' }], [{ workspace_id: 'global' }], [{}]])(
    'a missing field is a 400 "workspace_id and tool_name are required" (%j)',
    async (body) => {
      const res = await t.api('POST', '/dry-run', body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('workspace_id and tool_name are required');
    },
  );

  it('an unknown workspace is a 404; an unknown field is a 400 naming it', async () => {
    expect((await t.api('POST', '/dry-run', { workspace_id: 'nope', tool_name: 'github__x' })).status).toBe(404);
    const res = await t.api('POST', '/dry-run', { workspace_id: 'global', tool_name: 'github__x', tool: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'tool', message: 'unknown field' }]);
  });
});
