import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';

/** config.json edited by hand while the gateway runs: applied when valid, refused (and reported) when not. */
let t: TestGateway;
beforeEach(async () => {
  t = await startTestGateway();
});
afterEach(() => t?.close());

const now = () => new Date().toISOString();
const handWorkspace = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Hand ${id}`,
  root_path: `/srv/${id}`,
  default_policy: 'allow',
  tags: {},
  source: 'api',
  created_at: now(),
  updated_at: now(),
  ...extra,
});

/** Writes config.json in place, as an editor would. */
function editConfig(mutate: (config: any) => void): void {
  const config = t.readConfig();
  mutate(config);
  writeFileSync(t.configPath, JSON.stringify(config, null, 2));
}

// With the token: config_error is a detail the token-less liveness answer leaves out.
const health = async () => (await t.api('GET', '/health')).body;
/** Waits (bounded) for health to reach `status`, and fails if it never does. */
async function waitHealth(status: 'ok' | 'degraded') {
  const report = await waitFor(async () => {
    const current = await health();
    return current.status === status ? current : undefined;
  });
  expect(report?.status, `health never became ${status}`).toBe(status);
  return report;
}
const workspaceIds = async () => (await t.api('GET', '/workspaces')).body.map((w: { id: string }) => w.id) as string[];

describe('hand edits of config.json', () => {
  it('applies a valid edit: a workspace added in the file appears in the API', async () => {
    editConfig((c) => c.workspaces.push(handWorkspace('hand-1')));
    const found = await waitFor(async () => (await t.api('GET', '/workspaces/hand-1')).status === 200);
    expect(found).toBe(true);
    expect((await t.api('GET', '/workspaces/hand-1')).body).toMatchObject({ name: 'Hand hand-1', root_path: '/srv/hand-1' });
    expect((await health()).status).toBe('ok');
    // The API keeps working on top of the edited state.
    const route = await t.api('POST', '/routes', { workspace_id: 'hand-1', tool_pattern: 'x__*' });
    expect(route.status).toBe(201);
    expect(t.readConfig().workspaces.some((w) => w.id === 'hand-1')).toBe(true);
  });

  it('applies edits to settings and removals, and normalises a hand-written root_path', async () => {
    const created = (await t.api('POST', '/workspaces', { name: 'To remove', root_path: '/srv/remove' })).body;
    editConfig((c) => {
      c.workspaces = c.workspaces.filter((w: { id: string }) => w.id !== created.id);
      c.workspaces.push(handWorkspace('hand-2', { root_path: '/srv/hand-2/' }));
      c.settings.tools_cache_ttl_sec = 99;
    });
    expect(await waitFor(async () => (await t.api('GET', `/workspaces/${created.id}`)).status === 404)).toBe(true);
    expect((await t.api('GET', '/workspaces/hand-2')).body.root_path).toBe('/srv/hand-2');
    const settings = (await t.api('GET', '/settings')).body;
    expect(settings.settings.tools_cache_ttl_sec).toBe(99);
    expect(settings.sources.tools_cache_ttl_sec).toBe('stored');
  });

  it('refuses invalid JSON: the last good state keeps serving, health is degraded with a config_error; fixing the file clears it', async () => {
    editConfig((c) => c.workspaces.push(handWorkspace('before-break')));
    await waitFor(async () => (await workspaceIds()).includes('before-break'));
    const good = t.configText();

    writeFileSync(t.configPath, '{ "schema_version": 1, "workspaces": [ ');
    const degraded = await waitHealth('degraded');
    expect(degraded).toMatchObject({ status: 'degraded' });
    expect(degraded.config_error).toMatch(/JSON/);
    expect(await workspaceIds()).toContain('before-break');

    editConfigText(good.replace('Hand before-break', 'Hand fixed'));
    const ok = await waitHealth('ok');
    expect(ok.config_error).toBeUndefined();
    expect((await t.api('GET', '/workspaces/before-break')).body.name).toBe('Hand fixed');
  });

  it('restoring the exact last good content also clears the error', async () => {
    const good = t.configText();
    // Where the mistake is, line and column (Node 20's JSON.parse names neither).
    writeFileSync(t.configPath, good.replace('"workspaces": [', '"workspaces": [ oops,'));
    const degraded = await waitHealth('degraded');
    const line = good.split('\n').findIndex((l) => l.includes('"workspaces": [')) + 1;
    expect(degraded.config_error).toMatch(new RegExp(`^not valid JSON at line ${line}, column \\d+ \\(unexpected character\\)$`));
    writeFileSync(t.configPath, good);
    const ok = await waitHealth('ok');
    expect(ok?.config_error).toBeUndefined();
  });

  it.each([
    ['a bad enum value', (c: any) => c.workspaces.push(handWorkspace('bad-enum', { default_policy: 'sometimes' })), /default_policy/],
    ['a wrong type', (c: any) => (c.settings.slim_tools = 'yes'), /slim_tools/],
    ['a duplicate namespace', (c: any) => c.downstreams.push({ ...c.downstreams[0], id: 'dup', name: 'Dup' }), /namespace.*mcpx|mcpx.*taken/],
    ['a namespace with "__"', (c: any) => c.downstreams.push({ ...c.downstreams[0], id: 'dup', name: 'Dup', namespace: 'bad__ns' }), /namespace/],
    ['a relative root_path', (c: any) => c.workspaces.push(handWorkspace('bad-enum', { root_path: 'relative/dir' })), /root_path/],
    ['a route to a missing workspace', (c: any) => c.routes.push({ ...c.routes[0], id: 'orphan', workspace_id: 'nowhere' }), /nowhere/],
    ['a newer schema_version', (c: any) => (c.schema_version = 99), /schema_version/],
    // A typo was dropped without a word, leaving the default (allow) where deny was meant.
    [
      'a misspelt field',
      (c: any) => c.workspaces.push(handWorkspace('bad-enum', { defualt_policy: 'deny' })),
      /unknown field: workspaces\.\d+\.defualt_policy/,
    ],
    // The misspelt name replacing the right one: the schema finds the right one missing (a trial read only that).
    [
      'a field misspelt in place of a required one',
      (c: any) => {
        const ws = handWorkspace('bad-enum');
        const { default_policy, ...rest } = ws as Record<string, unknown>;
        c.workspaces.push({ ...rest, defualt_policy: default_policy });
      },
      /invalid at workspaces\.\d+\.default_policy: .* \(beside it is "defualt_policy": a misspelt "default_policy"\?\)/,
    ],
    ['an unknown field in settings', (c: any) => (c.settings.aproval_timeout_sec = 5), /aproval_timeout_sec/],
    ['an unknown field in a server', (c: any) => (c.downstreams[0].comand = 'rm'), /unknown field: downstreams\.0\.comand/],
  ])('refuses a schema-invalid edit (%s), keeps serving, and reports why', async (_label, mutate, reason) => {
    const listBefore = (await t.api('GET', '/workspaces')).body;
    editConfig(mutate);
    const degraded = await waitHealth('degraded');
    expect(degraded?.config_error).toMatch(reason);
    expect((await t.api('GET', '/workspaces')).body).toEqual(listBefore);

    editConfig((c) => {
      c.schema_version = 1;
      c.settings = { log_level: 'warn' };
      c.workspaces = c.workspaces.filter((w: { id: string }) => w.id !== 'bad-enum');
      c.downstreams = c.downstreams.filter((s: { id: string }) => s.id !== 'dup');
      for (const server of c.downstreams) delete server.comand;
      c.routes = c.routes.filter((r: { id: string }) => r.id !== 'orphan');
    });
    const ok = await waitHealth('ok');
    expect(ok?.config_error).toBeUndefined();
    expect((await t.api('GET', '/settings')).body.settings.log_level).toBe('warn');
  });

  it('an API write after a refused edit overwrites the file with the good state, keeps the edit beside it (0600), and clears the error', async () => {
    const edit = '{ "schema_version": 1, "workspaces": [ {"name": "half-finished"';
    writeFileSync(t.configPath, edit);
    await waitHealth('degraded');
    const res = await t.api('POST', '/workspaces', { name: 'After break', root_path: '/srv/after' });
    expect(res.status).toBe(201);
    expect(t.readConfig().workspaces.some((w) => w.id === res.body.id)).toBe(true);
    const kept = readdirSync(t.home).filter((name) => name.startsWith('config.json.') && name.endsWith('.rejected'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(t.home, kept[0]!), 'utf8')).toBe(edit);
    expect(statSync(path.join(t.home, kept[0]!)).mode & 0o777).toBe(0o600);
    expect(t.logs.some((line) => line.msg === 'a write replaces config.json, which holds an edit that was refused; the edit is kept')).toBe(true);
    const ok = await waitHealth('ok');
    expect(ok?.config_error).toBeUndefined();
  });

  it('refuses a start on a file with a misspelt field, naming it; the file is left as it was', async () => {
    const home = t.home;
    await t.stop();
    const config = JSON.parse(readFileSync(t.configPath, 'utf8'));
    config.workspaces.push({ ...handWorkspace('typo'), defualt_policy: 'deny' });
    const text = JSON.stringify(config, null, 2);
    writeFileSync(t.configPath, text);
    await expect(startTestGateway({ home })).rejects.toThrow(/unknown field: workspaces\.\d+\.defualt_policy.*fix or move it away/);
    expect(readFileSync(t.configPath, 'utf8')).toBe(text);
  });
});

function editConfigText(text: string): void {
  writeFileSync(t.configPath, text);
}
