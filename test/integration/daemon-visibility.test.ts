// GET /api/v1/visibility: why each server's tools are or are not listed from a window's folders,
// with real servers — server-everything (visible), a bad command (failed, with its spawn error,
// hint and stderr), a disabled one, a dynamic one, server-memory hidden by a deny rule, a server
// never started, one offering no tools, and one left out of the window's tool set — and
// POST /downstreams/{id}/restart. The deciding rule is the one dry-run and real calls report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorPaths, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, memoryBody, rejection } from '../helpers/mcp.js';

const NO_TOOLS = fileURLToPath(new URL('../fixtures/no-tools-server.mjs', import.meta.url));

let t: TestGateway;
let root: string;
let other: string;
let memoryCleanup: () => void;
let workspaceId: string;
let denyRule: { id: string; name: string };
const ids: Record<string, string> = {};

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'mcplexer-vis-'));
  other = mkdtempSync(path.join(tmpdir(), 'mcplexer-vis-other-'));
  t = await startTestGateway();
  ids.ev = (await addServer(t, everythingStdioBody('ev'))).id;
  ids.bad = (await addServer(t, { name: 'Broken', command: '/nonexistent/mcp-server-binary', namespace: 'bad' })).id;
  ids.off = (await addServer(t, everythingStdioBody('off', { enabled: false }))).id;
  ids.dyn = (await addServer(t, everythingStdioBody('dyn', { discovery: 'dynamic' }))).id;
  const memory = memoryBody('mem');
  memoryCleanup = memory.cleanup;
  ids.mem = (await addServer(t, memory.body)).id;
  ids.empty = (await addServer(t, { name: 'Empty', command: process.execPath, args: [NO_TOOLS], namespace: 'empty' })).id;
  for (const id of [ids.ev, ids.dyn, ids.mem, ids.empty]) expect((await t.api('POST', `/downstreams/${id}/discover`)).status).toBe(200);
  expect((await t.api('POST', `/downstreams/${ids.bad}/discover`)).status).toBe(502);
  ids.lazy = (await addServer(t, everythingStdioBody('lazy'))).id;
  // A dynamic server never discovered is still `dynamic`: its tools are never listed up front.
  ids.lazyDyn = (await addServer(t, everythingStdioBody('lazydyn', { discovery: 'dynamic' }))).id;
  workspaceId = (await t.api('POST', '/workspaces', { name: 'Project', root_path: root })).body.id;
  denyRule = (await t.api('POST', '/routes', { workspace_id: workspaceId, tool_pattern: 'mem__*', policy: 'deny', name: 'no-memory' })).body;
  await t.api('POST', '/routes', { workspace_id: workspaceId, tool_pattern: 'ev__get-sum', policy: 'deny', name: 'no-sum' });
}, 60_000);
afterAll(async () => {
  await t?.close();
  memoryCleanup?.();
  rmSync(root, { recursive: true, force: true });
  rmSync(other, { recursive: true, force: true });
});

const visibility = async (query: string) => {
  const res = await t.api('GET', `/visibility?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body as { workspace_ids: string[]; servers: Array<Record<string, any>> };
};
const byId = (report: { servers: Array<Record<string, any>> }): Record<string, Record<string, any>> =>
  Object.fromEntries(report.servers.map((s) => [s.server_id, s]));

describe('GET /visibility', () => {
  it('gives each server its reason from a folder of the workspace', async () => {
    const report = await visibility(`dir=${encodeURIComponent(path.join(root, 'src'))}`);
    expect(report.workspace_ids).toEqual([workspaceId]);
    const s = byId(report);
    expect(Object.fromEntries(Object.entries(s).map(([id, v]) => [id, v.reason]))).toEqual({
      [ids.ev]: 'visible',
      [ids.bad]: 'failed',
      [ids.off]: 'disabled',
      [ids.dyn]: 'dynamic',
      [ids.mem]: 'hidden_by_rule',
      [ids.empty]: 'no_tools',
      [ids.lazy]: 'not_started',
      [ids.lazyDyn]: 'dynamic',
      'mcpx-builtin': 'visible',
    });
    expect(s[ids.lazyDyn].message).toContain('mcpx__search_tools');
    expect(s[ids.ev]).toMatchObject({ name: 'Everything ev', namespace: 'ev', hidden_tools: ['ev__get-sum'] });
    // One hidden by the rule. simulate-research-query, which can only be called as a task, is never
    // listed and not counted: it would read as "hidden" with no tool named.
    expect(s[ids.ev].tools_visible).toBe(s[ids.ev].tools_total - 1);
    const discovered = (await t.api('GET', `/downstreams/${ids.ev}`)).body.tools as unknown[];
    expect(s[ids.ev].tools_total).toBe(discovered.length - 1);
    expect(s[ids.bad]).toMatchObject({ state: expect.any(String), tools_total: 0, tools_visible: 0 });
    expect(s[ids.bad].error).toMatch(/downstream server "Broken" failed to start: .*ENOENT/);
    expect(s[ids.bad].hint).toBe('ensure the required command is installed and in PATH');
    expect(s[ids.mem]).toMatchObject({ tools_visible: 0, rule: { id: denyRule.id, name: 'no-memory', workspace_id: workspaceId } });
    expect(s[ids.mem].hidden_tools).toContain('mem__read_graph');
    expect(s[ids.mem].message).toMatch(/denied by rule "no-memory"/);
    expect(s[ids.dyn].message).toMatch(/mcpx__search_tools/);
    expect(s[ids.off].state).toBe('disabled');
  });

  it('names the same rule dry-run does, and agrees with what tools/list shows from there', async () => {
    const dry = await t.api('POST', '/dry-run', { workspace_id: workspaceId, tool_name: 'mem__read_graph' });
    expect(dry.body.matched_rule.id).toBe(denyRule.id);
    const client = await connectHttp(t, { headers: { 'X-MCPlexer-Workspace': root } });
    const listed = (await client.listTools()).tools.map((tool) => tool.name);
    await client.close();
    const report = byId(await visibility(`dir=${encodeURIComponent(root)}`));
    for (const server of Object.values(report)) {
      const shown = listed.filter((name) => name.startsWith(`${server.namespace}__`)).length;
      expect(shown, server.server_id).toBe(server.tools_visible);
    }
  });

  it('adds up to what tools/list lists, the built-in mcpx__ tools included (the Copilot tool budget counts on it)', async () => {
    // Two folders of the same kind: this gateway has dynamic servers (four built-ins listed);
    // `other` is outside every workspace, `root` hides memory and ev__get-sum.
    for (const dir of [root, other]) {
      const client = await connectHttp(t, { headers: { 'X-MCPlexer-Workspace': dir } });
      const listed = (await client.listTools()).tools.map((tool) => tool.name);
      await client.close();
      const report = await visibility(`dir=${encodeURIComponent(dir)}`);
      expect(
        report.servers.reduce((sum, s) => sum + s.tools_visible, 0),
        dir,
      ).toBe(listed.length);
      expect(byId(report)['mcpx-builtin']).toMatchObject({ reason: 'visible', tools_visible: listed.filter((n) => n.startsWith('mcpx__')).length });
    }
    // Without a dynamic server only the always-listed built-ins are left (the cache flush and the
    // three approval tools), and still counted.
    await t.api('PUT', `/downstreams/${ids.dyn}`, { enabled: false });
    await t.api('PUT', `/downstreams/${ids.lazyDyn}`, { enabled: false });
    try {
      const client = await connectHttp(t, { headers: { 'X-MCPlexer-Workspace': other } });
      const listed = (await client.listTools()).tools.map((tool) => tool.name);
      await client.close();
      const report = await visibility(`dir=${encodeURIComponent(other)}`);
      const always = ['mcpx__flush_cache', 'mcpx__list_pending_approvals', 'mcpx__approve_tool_call', 'mcpx__deny_tool_call'];
      expect(listed.filter((n) => n.startsWith('mcpx__'))).toEqual(always);
      expect(byId(report)['mcpx-builtin']).toMatchObject({ tools_visible: always.length, tools_total: always.length });
      expect(report.servers.reduce((sum, s) => sum + s.tools_visible, 0)).toBe(listed.length);
    } finally {
      await t.api('PUT', `/downstreams/${ids.dyn}`, { enabled: true });
      await t.api('PUT', `/downstreams/${ids.lazyDyn}`, { enabled: true });
    }
  });

  it('outside the workspace the deny rules do not apply; with two folders the stricter one decides', async () => {
    expect(byId(await visibility(`dir=${encodeURIComponent(other)}`))[ids.mem].reason).toBe('visible');
    const both = await visibility(`dir=${encodeURIComponent(other)}&dir=${encodeURIComponent(root)}`);
    expect(both.workspace_ids).toEqual(['global', workspaceId]);
    expect(byId(both)[ids.mem]).toMatchObject({ reason: 'hidden_by_rule', rule: { id: denyRule.id } });
  });

  it('marks servers outside the window set (by id or namespace)', async () => {
    const s = byId(await visibility(`dir=${encodeURIComponent(other)}&servers=${ids.ev},mem`));
    expect(s[ids.ev].reason).toBe('visible');
    expect(s[ids.mem].reason).toBe('visible');
    expect(s[ids.dyn]).toMatchObject({ reason: 'not_in_window_set', tools_visible: 0 });
    expect(s[ids.bad].reason).toBe('not_in_window_set');
  });

  it('refuses a bad query naming the field', async () => {
    for (const [query, field] of [
      ['', 'dir'],
      ['dir=relative/path', 'dir.0'],
      [`dir=${encodeURIComponent(root)}&servers=nope`, 'servers'],
      [`dir=${encodeURIComponent(root)}&color=red`, 'color'],
    ] as const) {
      const res = await t.api('GET', `/visibility?${query}`);
      expect(res.status, query).toBe(400);
      expect(errorPaths(res.body), query).toContain(field);
    }
  });
});

describe('POST /downstreams/{id}/restart', () => {
  it('answers 202, stops the instances, forgets the failure; the next call starts it again', async () => {
    const client = await connectHttp(t);
    await client.callTool({ name: 'ev__echo', arguments: { message: 'before' } });
    const before = (await t.api('GET', `/downstreams/${ids.ev}/health`)).body;
    const pidBefore = before.instances.find((i: { pid?: number }) => i.pid)?.pid;
    expect(pidBefore).toBeGreaterThan(0);
    const restarted = await t.api('POST', '/downstreams/ev/restart');
    expect(restarted.status).toBe(202);
    expect(restarted.body).toEqual({ status: 'restarting', server_id: ids.ev });
    expect((await t.api('GET', `/downstreams/${ids.ev}/health`)).body.instances).toEqual([]);
    await client.callTool({ name: 'ev__echo', arguments: { message: 'after' } });
    const pidAfter = (await t.api('GET', `/downstreams/${ids.ev}/health`)).body.instances.find((i: { pid?: number }) => i.pid)?.pid;
    expect(pidAfter).toBeGreaterThan(0);
    expect(pidAfter).not.toBe(pidBefore);
    await client.close();

    expect((await t.api('POST', `/downstreams/${ids.bad}/restart`)).status).toBe(202);
    expect(byId(await visibility(`dir=${encodeURIComponent(other)}`))[ids.bad].reason).toBe('not_started');
    expect((await t.api('POST', '/downstreams/nope/restart')).status).toBe(404);
  }, 30_000);

  it('accepts the built-in server in a window set (by id or namespace), as the extension sends it, and still lists its tools', async () => {
    for (const builtin of ['mcpx-builtin', 'mcpx']) {
      const s = byId(await visibility(`dir=${encodeURIComponent(other)}&servers=${builtin},${ids.ev}`));
      expect(s[ids.ev].reason, builtin).toBe('visible');
      expect(s[ids.mem].reason, builtin).toBe('not_in_window_set');
      const client = await connectHttp(t, { headers: { 'X-MCPlexer-Workspace': other, 'X-MCPlexer-Servers': `${builtin},${ids.ev}` } });
      const listed = (await client.listTools()).tools.map((tool) => tool.name);
      await client.close();
      expect(listed, builtin).toContain('mcpx__flush_cache');
      expect(
        listed.some((n) => n.startsWith('mem__')),
        builtin,
      ).toBe(false);
      expect(
        Object.values(s).reduce((sum, v) => sum + v.tools_visible, 0),
        builtin,
      ).toBe(listed.length);
    }
  });

  it('refuses a call from a session whose tool set leaves the server out', async () => {
    const client = await connectHttp(t, { headers: { 'X-MCPlexer-Servers': 'mem' } });
    const refusal = await rejection(client.callTool({ name: 'ev__echo', arguments: { message: 'x' } }));
    expect(refusal.message).toMatch(/X-MCPlexer-Servers header leaves out/);
    await client.close();
  });
});
