// ORIGINAL.md "Built-in mcpx server" and "tools/list … dynamic discovery", written from the
// original's behaviour alone: the seeds, mcpx__search_tools scoring and text, load/unload with a
// per-session active set and tools/list_changed, dynamic servers hidden until loaded, and
// codex_dynamic_tool_compat, through real MCP clients on the real gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addSpecServer, connectClient, reached, resultText, scratchDir, type McpClient } from '../helpers/original-harness.js';

let t: TestGateway;
const specDir = scratchDir();
const opened: McpClient[] = [];
const open = async (options: { dir?: string; name?: string } = {}) => {
  const client = await connectClient(t, { dir: options.dir ?? '/orig/free', name: options.name });
  opened.push(client);
  return client;
};
const call = async (client: McpClient, name: string, args: Record<string, unknown>) => resultText(await client.client.callTool({ name, arguments: args }));
/** Listed while a dynamic server exists; `mcpx__flush_cache` is listed always. */
const BUILTINS = ['mcpx__search_tools', 'mcpx__load_tools', 'mcpx__unload_tools', 'mcpx__flush_cache'];
/** The approval tools (issue 17): always listed, after the other built-ins. */
const APPROVAL_BUILTINS = ['mcpx__list_pending_approvals', 'mcpx__approve_tool_call', 'mcpx__deny_tool_call'];

beforeAll(async () => {
  t = await startTestGateway();
  await addSpecServer(t, specDir, 'stat', ['ping']);
});
afterAll(async () => {
  for (const client of opened) await client.close().catch(() => undefined);
  await t?.close();
});

describe('the seeded mcpx server and builtin-allow', () => {
  it("is seeded with the original's fields and cannot be deleted (409)", async () => {
    const server = (await t.api('GET', '/downstreams/mcpx-builtin')).body;
    expect(server).toMatchObject({
      id: 'mcpx-builtin',
      name: 'MCPlexer Built-in Tools',
      transport: 'internal',
      namespace: 'mcpx',
      discovery: 'static',
      source: 'default',
    });
    const removed = await t.api('DELETE', '/downstreams/mcpx-builtin');
    expect(removed.status).toBe(409);
    expect(removed.body.error.code).toBe('conflict');
    expect((await t.api('GET', '/downstreams/mcpx-builtin')).status).toBe(200);
    expect((await t.api('GET', '/routes/builtin-allow')).body).toMatchObject({
      workspace_id: 'global',
      path_glob: '**',
      tool_pattern: 'mcpx__*',
      policy: 'allow',
      priority: 100,
      server_id: 'mcpx-builtin',
      source: 'default',
    });
  });

  it('without a dynamic server: only mcpx__flush_cache and the approval built-ins are listed, and search answers "No dynamic servers configured."', async () => {
    const client = await open();
    expect(await client.toolNames()).toEqual(['stat__ping', 'mcpx__flush_cache', ...APPROVAL_BUILTINS]);
    expect(await call(client, 'mcpx__search_tools', { query: 'anything' })).toBe('No dynamic servers configured.');
  });

  it('the legacy prefix mcplexer__ is normalised to mcpx__', async () => {
    const client = await open();
    expect(await call(client, 'mcplexer__search_tools', { query: 'anything' })).toBe('No dynamic servers configured.');
  });
});

describe('dynamic servers, search, load and unload', () => {
  beforeAll(async () => {
    await t.api('PUT', '/settings', { tools_cache_ttl_sec: 300 }); // no background refresh in the middle of a test
    await addSpecServer(
      t,
      specDir,
      'dyn',
      [
        {
          name: 'create_issue',
          description: 'Create a new issue in a repository',
          inputSchema: { type: 'object', properties: { title: { type: 'string' }, body: { type: 'string' } }, required: ['title'] },
        },
        { name: 'issue', description: 'Get one' },
        { name: 'list_repos', description: 'List repositories with their open issue counts' },
        { name: 'delete_repo', description: 'Delete a repository' },
      ],
      { discovery: 'dynamic' },
    );
    await addSpecServer(t, specDir, 'dyn2', [{ name: 'issue_tracker', description: 'Tracks things' }], { discovery: 'dynamic' });
    await addSpecServer(
      t,
      specDir,
      'bulk',
      Array.from({ length: 25 }, (_, i) => ({ name: `thing_${String(i + 1).padStart(2, '0')}`, description: 'a thing' })),
      { discovery: 'dynamic' },
    );
    await t.api('POST', '/workspaces', { id: 'locked', name: 'locked', root_path: '/orig/locked' });
    await t.api('POST', '/routes', { workspace_id: 'locked', tool_match: ['dyn__*', 'dyn2__*', 'bulk__*'], policy: 'deny' });
    await t.api('POST', '/workspaces', { id: 'half', name: 'half', root_path: '/orig/half' });
    await t.api('POST', '/routes', { workspace_id: 'half', tool_match: 'dyn2__*', policy: 'deny' });
  });

  it("lists the static tools and the built-ins, never a dynamic server's tools", async () => {
    const names = await (await open()).toolNames();
    expect(names).toEqual(['stat__ping', ...BUILTINS, ...APPROVAL_BUILTINS]);
  });

  it('search scores name, spaced name and description, best first, and answers "## name" blocks', async () => {
    const client = await open();
    const text = await call(client, 'mcpx__search_tools', { query: 'issue' });
    expect([...text.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['dyn__create_issue', 'dyn__issue', 'dyn2__issue_tracker', 'dyn__list_repos']);
    const block = text.split('\n\n')[0]!.split('\n');
    expect(block[0]).toBe('## dyn__create_issue');
    expect(block[1]).toBe('Create a new issue in a repository');
    expect(block).toHaveLength(3);
    expect(block[2]).toMatch(/title/);
    expect(block[2]).toMatch(/body/);
    const exact = await call(client, 'mcpx__search_tools', { query: 'dyn__issue' });
    expect(exact.match(/^## (.+)$/m)?.[1]).toBe('dyn__issue');
    const tokens = await call(client, 'mcpx__search_tools', { query: 'delete repo' });
    expect([...tokens.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['dyn__delete_repo', 'dyn__list_repos', 'dyn__create_issue']);
    const scoped = await call(client, 'mcpx__search_tools', { query: 'issue', namespace: 'dyn2' });
    expect([...scoped.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['dyn2__issue_tracker']);
  });

  it('search returns at most 20 tools', async () => {
    const text = await call(await open(), 'mcpx__search_tools', { query: 'thing' });
    expect([...text.matchAll(/^## bulk__thing_\d+$/gm)]).toHaveLength(20);
  });

  it('search is filtered by the workspace routes, and says so when everything it found is blocked', async () => {
    const locked = await open({ dir: '/orig/locked' });
    expect(await call(locked, 'mcpx__search_tools', { query: 'issue' })).toBe(
      'Blocked: 4 tools matched "issue" but none are allowed by your workspace routes.',
    );
    const half = await open({ dir: '/orig/half/src' });
    const text = await call(half, 'mcpx__search_tools', { query: 'issue' });
    expect([...text.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['dyn__create_issue', 'dyn__issue', 'dyn__list_repos']);
  });

  it('load_tools adds to this session only, sends tools/list_changed, and the loaded tools answer calls; unload removes them', async () => {
    const a = await open();
    const b = await open();
    // list_changed goes to a session whose listed tools changed: both have a list to change.
    expect(await a.toolNames()).toEqual(['stat__ping', ...BUILTINS, ...APPROVAL_BUILTINS]);
    expect(await b.toolNames()).toEqual(['stat__ping', ...BUILTINS, ...APPROVAL_BUILTINS]);
    const before = a.toolsChanged();
    expect(await call(a, 'mcpx__load_tools', { tools: ['dyn__create_issue', 'dyn__*repo*'] })).toBe(
      'Loaded 3 tool(s): dyn__create_issue, dyn__list_repos, dyn__delete_repo',
    );
    await a.nextToolsChange(before);
    expect(await a.toolNames()).toEqual(['stat__ping', 'dyn__create_issue', 'dyn__list_repos', 'dyn__delete_repo', ...BUILTINS, ...APPROVAL_BUILTINS]);
    expect(await b.toolNames()).toEqual(['stat__ping', ...BUILTINS, ...APPROVAL_BUILTINS]);
    expect(reached(await a.client.callTool({ name: 'dyn__create_issue', arguments: { title: 't' } }))).toMatchObject({ server: 'dyn', tool: 'create_issue' });

    const afterLoad = a.toolsChanged();
    expect(await call(a, 'mcpx__unload_tools', { tools: ['dyn__list_repos'] })).toBe('Unloaded 1 tool(s): dyn__list_repos');
    await a.nextToolsChange(afterLoad);
    expect(await a.toolNames()).toEqual(['stat__ping', 'dyn__create_issue', 'dyn__delete_repo', ...BUILTINS, ...APPROVAL_BUILTINS]);
    // b's list never changed: it was told nothing.
    expect(b.toolsChanged()).toBe(0);
  });

  it('load_tools only loads what the workspace routes allow', async () => {
    const locked = await open({ dir: '/orig/locked' });
    expect(await call(locked, 'mcpx__load_tools', { tools: ['dyn__*'] })).toMatch(/^Loaded 0 tool\(s\)/);
    expect((await locked.toolNames()).filter((name) => name.startsWith('dyn'))).toEqual([]);
  });

  it('codex_dynamic_tool_compat: a client whose name starts with "codex" (any case) sees dynamic tools directly', async () => {
    const codex = await open({ name: 'Codex-CLI' });
    const names = await codex.toolNames();
    expect(names).toEqual(expect.arrayContaining(['dyn__create_issue', 'dyn__issue', 'dyn2__issue_tracker', 'bulk__thing_25', 'stat__ping']));
    expect((await (await open({ name: 'not-codex' })).toolNames()).some((name) => name.startsWith('dyn'))).toBe(false);
    expect((await t.api('PUT', '/settings', { codex_dynamic_tool_compat: false })).status).toBe(200);
    expect((await codex.toolNames()).some((name) => name.startsWith('dyn'))).toBe(false);
    await t.api('PUT', '/settings', { codex_dynamic_tool_compat: true });
  });

  it("the built-ins' default descriptions are builtin_tool_defaults, and tool_description_overrides replaces them", async () => {
    const defaults = (await t.api('GET', '/settings')).body.builtin_tool_defaults;
    expect(Object.keys(defaults)).toEqual(expect.arrayContaining([...BUILTINS, ...APPROVAL_BUILTINS]));
    const client = await open();
    const listed = (await client.client.listTools()).tools.find((tool) => tool.name === 'mcpx__search_tools');
    expect(listed?.description).toBe(defaults.mcpx__search_tools);
    await t.api('PUT', '/settings', { tool_description_overrides: { mcpx__search_tools: 'Find tools here' } });
    expect((await client.client.listTools()).tools.find((tool) => tool.name === 'mcpx__search_tools')?.description).toBe('Find tools here');
    await t.api('PUT', '/settings', { tool_description_overrides: {} });
  });
});
