// ORIGINAL.md "Workspace resolution", "Workspaces" (chain, containment) and "Route rules and
// matching" (order, globs, namespace guard, default policy), written from the original's behaviour
// alone and checked through POST /dry-run AND real tools/call on /mcp against real downstreams.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addSpecServer, connectClient, reached, rpcError, scratchDir, type McpClient } from '../helpers/original-harness.js';

let t: TestGateway;
const clients: McpClient[] = [];

beforeAll(async () => {
  t = await startTestGateway();
  const dir = scratchDir();
  await addSpecServer(t, dir, 'github', [], { id: 'gh' });
  await addSpecServer(t, dir, 'linear', [], { id: 'lin' });
});
afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await t?.close();
});

async function create(apiPath: string, body: Record<string, unknown>) {
  const res = await t.api('POST', apiPath, body);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function callFrom(dir: string | undefined, tool: string) {
  const client = await connectClient(t, { dir });
  clients.push(client);
  return client.client.callTool({ name: tool, arguments: {} });
}

const dryRun = async (body: Record<string, string>) => (await t.api('POST', '/dry-run', body)).body;

describe('the workspace chain', () => {
  beforeAll(async () => {
    await create('/workspaces', { id: 'team', name: 'team', root_path: '/orig/team' });
    await create('/workspaces', { id: 'proj', name: 'proj', root_path: '/orig/team/proj', default_policy: 'deny' });
    await create('/workspaces', { id: 'm', name: 'm', root_path: '/orig/us/m', default_policy: 'deny' });
  });

  it('is every containing workspace, most specific first, global last, with each subpath', async () => {
    const body = await dryRun({ workspace_id: 'team', tool_name: 'github__x', subpath: 'proj/src' });
    expect(body.chain).toEqual([
      { workspace_id: 'proj', subpath: 'src' },
      { workspace_id: 'team', subpath: 'proj/src' },
      { workspace_id: 'global', subpath: 'orig/team/proj/src' },
    ]);
    expect((await dryRun({ workspace_id: 'team', tool_name: 'github__x' })).chain).toEqual([
      { workspace_id: 'team', subpath: '' },
      { workspace_id: 'global', subpath: 'orig/team' },
    ]);
  });

  it('uses a string test: /orig/us/m does not contain /orig/us/example, but contains /orig/us/m/x', async () => {
    expect((await dryRun({ workspace_id: 'global', tool_name: 'github__x', subpath: 'orig/us/example' })).chain).toEqual([
      { workspace_id: 'global', subpath: 'orig/us/example' },
    ]);
    expect(reached(await callFrom('/orig/us/example', 'github__x')).server).toBe('github');
    expect((await rpcError(callFrom('/orig/us/m/x', 'github__x'))).code).toBe(-32003);
    expect(
      (await dryRun({ workspace_id: 'global', tool_name: 'github__x', subpath: 'orig/us/mx' })).chain.map((l: { workspace_id: string }) => l.workspace_id),
    ).toEqual(['global']);
  });

  it("with no matching rule, the most specific workspace's default_policy decides, and a workspace write applies at once", async () => {
    expect(await dryRun({ workspace_id: 'proj', tool_name: 'github__x' })).toMatchObject({ matched: false, policy: 'deny', workspace: { id: 'proj' } });
    const denied = await rpcError(callFrom('/orig/team/proj/src', 'github__x'));
    expect(denied.code).toBe(-32003);
    expect(reached(await callFrom('/orig/team/docs', 'github__x')).server).toBe('github');
    expect((await t.api('PUT', '/workspaces/proj', { default_policy: 'allow' })).status).toBe(200);
    expect(reached(await callFrom('/orig/team/proj/src', 'github__x')).server).toBe('github');
    await t.api('PUT', '/workspaces/proj', { default_policy: 'deny' });
  });

  it("the default_policy setting is global's default policy: deny refuses a call from outside every workspace", async () => {
    expect((await t.api('PUT', '/settings', { default_policy: 'deny' })).status).toBe(200);
    expect((await t.api('GET', '/workspaces/global')).body.default_policy).toBe('deny');
    expect(await dryRun({ workspace_id: 'global', tool_name: 'linear__x', subpath: 'elsewhere' })).toMatchObject({ matched: false, policy: 'deny' });
    expect((await rpcError(callFrom('/elsewhere', 'linear__x'))).code).toBe(-32003);
    // The seeded builtin-allow still lets the built-in tools through.
    expect((await dryRun({ workspace_id: 'global', tool_name: 'mcpx__search_tools' })).matched_rule.id).toBe('builtin-allow');
    await t.api('PUT', '/settings', { default_policy: 'allow' });
    expect(reached(await callFrom('/elsewhere', 'linear__x')).server).toBe('linear');
  });

  it("a deny at any level stops: a parent's deny wins over a global allow, for a child workspace without rules", async () => {
    await create('/routes', { id: 'g-allow-lin', workspace_id: 'global', tool_pattern: 'linear__*' });
    await create('/routes', { id: 'team-deny-lin', workspace_id: 'team', tool_pattern: 'linear__*', policy: 'deny' });
    const error = await rpcError(callFrom('/orig/team/proj', 'linear__x'));
    expect(error).toMatchObject({ code: -32003 });
    expect(error.message).toContain('route denied by policy: rule team-deny-lin');
    expect(reached(await callFrom('/orig/other', 'linear__x')).server).toBe('linear');
  });
});

describe('route order within a workspace', () => {
  // Created out of order on purpose; the expected evaluation order is the original's sort.
  const rules: Array<Record<string, unknown>> = [
    { id: 'r-star', tool_pattern: '*' },
    { id: 'r-prio-low', tool_pattern: 'github__*', priority: 50 },
    { id: 'r-tie-z', tool_pattern: 'github__*' },
    { id: 'r-path10', path_glob: 'src/**' },
    { id: 'r-exact', tool_pattern: 'github__create_issue', policy: 'deny' },
    { id: 'r-tie-a', tool_pattern: 'github__*', policy: 'deny' },
    { id: 'r-path30', path_glob: 'src/pkg/main.go', policy: 'deny' },
    { id: 'r-infix', tool_pattern: '*__create_*' },
    { id: 'r-prio-high', tool_pattern: 'github__*', priority: 200, policy: 'deny' },
    { id: 'r-path21', path_glob: 'src/pkg/*' },
  ];
  const ORDER = ['r-path30', 'r-path21', 'r-path10', 'r-exact', 'r-infix', 'r-prio-high', 'r-tie-z', 'r-tie-a', 'r-prio-low', 'r-star'];

  beforeAll(async () => {
    await create('/workspaces', { id: 'order', name: 'order', root_path: '/orig/order' });
    for (const rule of rules) await create('/routes', { workspace_id: 'order', ...rule });
  });

  it('is path-glob score, then tool score (exact > infix > prefix > *), then priority DESC, then creation order', async () => {
    const body = await dryRun({ workspace_id: 'order', tool_name: 'github__create_issue', subpath: 'lib' });
    const evaluated = body.candidate_rules.filter((c: { evaluated_in: string }) => c.evaluated_in === 'order').map((c: { id: string }) => c.id);
    expect(evaluated).toEqual(ORDER);
  });

  it.each([
    ['src/pkg/main.go', 'github__list', 'r-path30'],
    ['lib', 'github__create_issue', 'r-exact'],
    ['lib', 'github__list', 'r-prio-high'],
  ])('from %s, %s is denied by %s (first match wins), in dry-run and on a real call', async (subpath, tool, rule) => {
    expect(await dryRun({ workspace_id: 'order', tool_name: tool, subpath })).toMatchObject({ matched: true, policy: 'deny', matched_rule: { id: rule } });
    const error = await rpcError(callFrom(`/orig/order/${subpath}`, tool));
    expect(error.code).toBe(-32003);
    expect(error.message).toContain(`route denied by policy: rule ${rule}`);
  });

  it.each([
    ['src/pkg/x', 'github__list', 'r-path21'],
    ['src', 'github__list', 'r-path10'],
    ['lib', 'github__create_repo', 'r-infix'],
    ['lib', 'linear__list', 'r-star'],
  ])('from %s, %s is allowed by %s and reaches its server', async (subpath, tool, rule) => {
    expect(await dryRun({ workspace_id: 'order', tool_name: tool, subpath })).toMatchObject({ matched: true, policy: 'allow', matched_rule: { id: rule } });
    expect(reached(await callFrom(`/orig/order/${subpath}`, tool))).toMatchObject({ server: tool.split('__')[0], tool: tool.split('__')[1] });
  });
});

describe('the namespace guard', () => {
  beforeAll(async () => {
    await create('/workspaces', { id: 'guard', name: 'guard', root_path: '/orig/guard', default_policy: 'deny' });
    await create('/routes', { id: 'lin-all', workspace_id: 'guard', server_id: 'lin', tool_pattern: '*' });
    await create('/routes', { id: 'gh-deny', workspace_id: 'guard', server_id: 'gh', tool_pattern: '*', policy: 'deny', priority: 500 });
  });

  it('a * rule naming linear does not catch github__x, and a deny naming github does not catch linear__x', async () => {
    const github = await dryRun({ workspace_id: 'guard', tool_name: 'github__x' });
    expect(github).toMatchObject({ matched: true, policy: 'deny', matched_rule: { id: 'gh-deny' } });
    expect(github.candidate_rules.find((c: { id: string }) => c.id === 'lin-all')).toMatchObject({ matched: false, mismatch: 'namespace' });
    expect((await rpcError(callFrom('/orig/guard', 'github__x'))).message).toContain('rule gh-deny');
    expect(await dryRun({ workspace_id: 'guard', tool_name: 'linear__x' })).toMatchObject({ matched: true, policy: 'allow', matched_rule: { id: 'lin-all' } });
    expect(reached(await callFrom('/orig/guard', 'linear__x')).server).toBe('linear');
  });

  it('with neither rule applying, the default policy (deny) decides: -32003', async () => {
    await t.api('DELETE', '/routes/gh-deny');
    expect(await dryRun({ workspace_id: 'guard', tool_name: 'github__x' })).toMatchObject({ matched: false, policy: 'deny' });
    expect((await rpcError(callFrom('/orig/guard', 'github__x'))).code).toBe(-32003);
  });
});
