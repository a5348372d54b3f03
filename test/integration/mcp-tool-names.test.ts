// Names every client accepts (issue 15, fault 1) and the one normalising step before routing:
// a real gateway with spec-fixture downstreams whose tool and prompt names are too long or hold
// characters clients refuse, listed to real SDK clients, called back by the listed and by the
// full name; dry-run over HTTP agreeing with real calls for shortened and legacy-prefixed names;
// namespaces that join to the same names refused at create, and clashes left out at discovery.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import {
  addSpecServer,
  connectClient,
  reached,
  resultText,
  rpcError,
  scratchDir,
  specServerBody,
  SPEC_SERVER,
  type McpClient,
} from '../helpers/original-harness.js';
import { LISTED_NAME_PATTERN, listedName } from '../../src/gateway/calls/index.js';
import { connectHttp, rejection } from '../helpers/mcp.js';
import type { Client } from '@modelcontextprotocol/client';

const LONG = 'get_repository_repository_repository_repository_repository_x'; // 60 characters
const FULL = `github-enterprise__${LONG}`; // 79 characters
const ODD = 'files.read all'; // characters clients refuse
const LONG_PROMPT = 'summarise_repository_repository_repository_repository_history';
const WS_DIR = '/names/ws';

let t: TestGateway;
const dir = scratchDir();
const opened: McpClient[] = [];
const modernClients: Client[] = [];
/** A 2026-era client (per-request envelope, the SDK handler path rather than the lean one). */
const openModern = async (workspaceDir: string) => {
  const client = await connectHttp(t, { modern: true, headers: { 'x-mcplexer-workspace': workspaceDir } });
  modernClients.push(client);
  return client;
};
const open = async (workspaceDir = '/names/elsewhere') => {
  const client = await connectClient(t, { dir: workspaceDir });
  opened.push(client);
  return client;
};
let serverId = '';
let workspaceId = '';

beforeAll(async () => {
  t = await startTestGateway();
  const server = await addSpecServer(t, dir, 'github-enterprise', { tools: [LONG, ODD, 'list'], prompts: [LONG_PROMPT, 'short'] });
  serverId = server.id;
  workspaceId = (await t.api('POST', '/workspaces', { name: 'Names', root_path: WS_DIR })).body.id;
});
afterAll(async () => {
  for (const client of opened) await client.close().catch(() => undefined);
  for (const client of modernClients) await client.close().catch(() => undefined);
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const dryRun = async (tool: string, workspace = workspaceId) => {
  const res = await t.api('POST', '/dry-run', { workspace_id: workspace, tool_name: tool });
  expect(res.status).toBe(200);
  return res.body;
};

describe('listed names fit ^[a-zA-Z0-9_-]{1,64}$ and map back', () => {
  it('lists a 79-character name shortened (readable prefix, stable hash) and a name with refused characters cleaned', async () => {
    const names = await (await open()).toolNames();
    for (const name of names) expect(name).toMatch(LISTED_NAME_PATTERN);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain(listedName(FULL));
    expect(listedName(FULL)).toHaveLength(64);
    expect(listedName(FULL).startsWith('github-enterprise__get_repository_')).toBe(true);
    expect(names).toContain(listedName(`github-enterprise__${ODD}`));
    expect(names).toContain('github-enterprise__list');
    expect(names).not.toContain(FULL);
  });

  it('a call by the listed name or by the full name reaches the downstream under its own name', async () => {
    const client = await open();
    expect(reached(await client.client.callTool({ name: listedName(FULL), arguments: { n: 1 } }))).toMatchObject({ tool: LONG, args: { n: 1 } });
    expect(reached(await client.client.callTool({ name: FULL, arguments: {} })).tool).toBe(LONG);
    expect(reached(await client.client.callTool({ name: listedName(`github-enterprise__${ODD}`) })).tool).toBe(ODD);
  });

  it('prompts are listed under fitting names and answer prompts/get by either name', async () => {
    const client = await open();
    const prompts = (await client.client.listPrompts()).prompts.map((p) => p.name);
    for (const name of prompts) expect(name).toMatch(LISTED_NAME_PATTERN);
    const listed = listedName(`github-enterprise__${LONG_PROMPT}`);
    expect(prompts).toEqual([listed, 'github-enterprise__short']);
    const got = await client.client.getPrompt({ name: listed });
    expect(got.messages[0]!.content).toMatchObject({ text: `github-enterprise:${LONG_PROMPT}` });
    expect((await client.client.getPrompt({ name: `github-enterprise__${LONG_PROMPT}` })).messages).toHaveLength(1);
  });

  it('tool_description_overrides accepts the listed name and the full name', async () => {
    const client = await open();
    const describe = async (name: string) => (await client.client.listTools()).tools.find((tool) => tool.name === name)?.description;
    await t.api('PUT', '/settings', { tool_description_overrides: { [listedName(FULL)]: 'by listed name', [`github-enterprise__${ODD}`]: 'by full name' } });
    expect(await describe(listedName(FULL))).toBe('by listed name');
    expect(await describe(listedName(`github-enterprise__${ODD}`))).toBe('by full name');
    await t.api('PUT', '/settings', { tool_description_overrides: {} });
  });
});

describe('one normalising step: dry-run over HTTP and a real call agree', () => {
  it('for a shortened name, with a rule written with the listed name or the full one', async () => {
    const rule = (await t.api('POST', '/routes', { workspace_id: workspaceId, tool_pattern: listedName(FULL), policy: 'deny' })).body;
    const inside = await open(WS_DIR);
    const modern = await openModern(WS_DIR);
    for (const name of [listedName(FULL), FULL]) {
      const plan = await dryRun(name);
      expect(plan).toMatchObject({ matched: true, policy: 'deny', matched_rule: { id: rule.id } });
      expect(plan.tool_name ?? name).toBe(FULL);
      expect((await rpcError(inside.client.callTool({ name }))).code).toBe(-32003);
      expect((await rejection(modern.callTool({ name }))).code).toBe(-32003);
    }
    await t.api('DELETE', `/routes/${rule.id}`);
    const full = (await t.api('POST', '/routes', { workspace_id: workspaceId, tool_pattern: FULL, policy: 'deny' })).body;
    expect(await dryRun(listedName(FULL))).toMatchObject({ policy: 'deny', matched_rule: { id: full.id }, tool_name: FULL });
    expect((await rpcError(inside.client.callTool({ name: listedName(FULL) }))).code).toBe(-32003);
    // Outside the workspace both say allow, and the call goes through.
    expect(await dryRun(listedName(FULL), 'global')).toMatchObject({ policy: 'allow', downstream_server: { id: serverId } });
    expect(reached(await (await open()).client.callTool({ name: listedName(FULL) })).tool).toBe(LONG);
    await t.api('DELETE', `/routes/${full.id}`);
  });

  it('for the legacy mcplexer__ prefix (mcpx__), denied and allowed alike', async () => {
    const rule = (await t.api('POST', '/routes', { workspace_id: workspaceId, tool_pattern: 'mcpx__load_tools', policy: 'deny' })).body;
    const inside = await open(WS_DIR);
    expect(await dryRun('mcplexer__load_tools')).toMatchObject({ policy: 'deny', matched_rule: { id: rule.id }, tool_name: 'mcpx__load_tools' });
    expect((await rpcError(inside.client.callTool({ name: 'mcplexer__load_tools', arguments: { tools: ['x'] } }))).code).toBe(-32003);
    const modern = await openModern(WS_DIR);
    expect((await rejection(modern.callTool({ name: 'mcplexer__load_tools', arguments: { tools: ['x'] } }))).code).toBe(-32003);
    expect(await dryRun('mcplexer__search_tools')).toMatchObject({
      matched: true,
      policy: 'allow',
      matched_rule: { id: 'builtin-allow' },
      tool_name: 'mcpx__search_tools',
    });
    expect(resultText(await inside.client.callTool({ name: 'mcplexer__search_tools', arguments: { query: 'x' } }))).toBe('No dynamic servers configured.');
    await t.api('DELETE', `/routes/${rule.id}`);
  });

  it('a built-in name the gateway does not have is unknown to dry-run and to the call alike (dry-run said allow)', async () => {
    const client = (await open()).client;
    for (const name of ['mcplexer__ev__echo', 'mcpx__no_such_tool']) {
      expect(await dryRun(name, 'global')).toMatchObject({ error_code: 'unknown_tool', reason: expect.stringContaining('no built-in tool') });
      const refused = await rpcError(client.callTool({ name, arguments: {} }));
      expect(refused.code).toBe(-32602);
      expect(refused.message).toContain(`unknown built-in tool "${name.replace(/^mcplexer__/, 'mcpx__')}"`);
    }
    expect(await dryRun('mcpx__flush_cache', 'global')).toMatchObject({ policy: 'allow', downstream_server: { id: 'mcpx-builtin' } });
    expect((await dryRun('mcpx__flush_cache', 'global')).error_code).toBeUndefined();
  });
});

describe('names that collide after joining or shortening', () => {
  it('refuses at create (and on update) a namespace that joins to the same names as another, naming both servers', async () => {
    const res = await t.api('POST', '/downstreams', { name: 'GHE underscore', namespace: 'github-enterprise_', command: 'x' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('"GHE underscore"');
    expect(res.body.error.message).toContain('"github-enterprise"');
    expect(res.body.error.details).toEqual([{ path: 'namespace', message: expect.stringContaining('github-enterprise') }]);
    expect((await t.api('POST', '/downstreams', { name: 'Builtin twin', namespace: 'mcpx_', command: 'x' })).status).toBe(409);
    const other = (await t.api('POST', '/downstreams', { name: 'Other', namespace: 'other', command: 'x' })).body;
    const update = await t.api('PUT', `/downstreams/${other.id}`, { namespace: 'github-enterprise_' });
    expect(update.status).toBe(409);
    expect(update.body.error.message).toContain('"Other"');
    await t.api('DELETE', `/downstreams/${other.id}`);
  });

  it('refuses the namespace mcplexer on create and update: its tools would be called as the built-in mcpx__ ones', async () => {
    for (const namespace of ['mcplexer', 'mcpx']) {
      const res = await t.api('POST', '/downstreams', { name: `Legacy ${namespace}`, namespace, command: 'x' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body.error.details).toEqual([{ path: 'namespace', message: expect.stringMatching(/reserved|already taken/) }]);
    }
    const legacy = await t.api('POST', '/downstreams', { name: 'Legacy', namespace: 'mcplexer', command: 'x' });
    expect(legacy.status).toBe(400);
    expect(legacy.body.error.details[0].message).toContain('"mcplexer__" names the built-in mcpx__ tools');
    const other = (await t.api('POST', '/downstreams', { name: 'Other legacy', namespace: 'other-legacy', command: 'x' })).body;
    expect((await t.api('PUT', `/downstreams/${other.id}`, { namespace: 'mcplexer' })).status).toBe(400);
    await t.api('DELETE', `/downstreams/${other.id}`);
    // A namespace that only starts with it is a namespace like any other.
    const near = await t.api('POST', '/downstreams', { name: 'Near', namespace: 'mcplexer-tools', command: 'x' });
    expect(near.status).toBe(201);
    await t.api('DELETE', `/downstreams/${near.body.id}`);
  });

  it('leaves out at discovery a tool whose listed name another already has, with the reason in health', async () => {
    const twin = `get_file_${listedName('clash__get.file').slice(-8)}`; // a downstream name equal to get.file's listed form
    const server = await addSpecServer(t, dir, 'clash', ['get.file', twin, 'ok']);
    const names = await (await open()).toolNames();
    expect(names.filter((n) => n.startsWith('clash__')).sort()).toEqual([listedName('clash__get.file'), 'clash__ok'].sort());
    const health = (await t.api('GET', `/downstreams/${server.id}/health`)).body;
    expect(health.warnings).toEqual([expect.stringContaining(`tool "${twin}" is not listed`)]);
  });

  it('leaves out the later of two servers whose namespaces join (a hand edit), naming both in its health', async () => {
    const first = await addSpecServer(t, dir, 'joined', ['_x']);
    const spec = path.join(dir, 'joined_.json');
    writeFileSync(spec, JSON.stringify(['x', 'y']));
    const config = t.readConfig();
    const now = new Date().toISOString();
    config.downstreams.push({
      ...config.downstreams.find((s) => s.id === first.id)!,
      id: 'hand-joined',
      name: 'Joined twin',
      namespace: 'joined_',
      args: [SPEC_SERVER, '--label=joined_', `--spec=${spec}`],
      tools: [
        { name: 'x', inputSchema: { type: 'object' } },
        { name: 'y', inputSchema: { type: 'object' } },
      ],
      created_at: now,
      updated_at: now,
    });
    writeFileSync(t.configPath, JSON.stringify(config, null, 2));
    const health = await waitFor(async () => {
      const entry = (await t.api('GET', '/downstreams/hand-joined/health')).body;
      return entry?.warnings ? entry : undefined;
    });
    expect(health.warnings).toEqual([
      expect.stringMatching(/tool "x" is not listed: .*"_x" of server "joined".*namespaces "joined" and "joined_" join to the same names/),
    ]);
    const client = await open();
    const names = await client.toolNames();
    expect(names).toEqual(expect.arrayContaining(['joined___x', 'joined___y']));
    expect(reached(await client.client.callTool({ name: 'joined___x' })).server).toBe('joined');
  });
});
