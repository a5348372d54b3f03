/**
 * The shared `RestClient` against a real gateway with a real downstream server (server-everything):
 * every method of the client (the daemon endpoints of issue 16 aside: their test comes with them)
 * is called, and every answer is checked against the shared zod response schema so that a field
 * the server sends and the wire types lack (or one they declare and the server does not send)
 * fails here: `parse` strips unknown keys, so `parse(body)` equals `body` only when the schema
 * knows every field at every depth. Errors arrive as `ApiError` with the gateway's code and details.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  apiErrorBodySchema,
  authScopeViewSchema,
  discoverResultSchema,
  downstreamHealthSchema,
  dryRunResultSchema,
  healthSchema,
  secretKeysSchema,
  settingsViewSchema,
  shutdownResultSchema,
  statusOkSchema,
  workspaceViewSchema,
} from '../../src/shared/api.js';
import { downstreamSchema, routeSchema, workspaceSchema } from '../../src/shared/schemas/index.js';
import { ApiError, RestClient } from '../../src/shared/rest-client.js';
import { dashboardUrl, uiCodeSchema } from '../../src/shared/schemas/ui.js';
import { EVERYTHING } from '../fixtures/downstream-servers.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { IMPORT_METHODS, INSTALL_METHODS, OAUTH_METHODS, OBSERVABILITY_METHODS } from '../helpers/rest-methods.js';

/** The daemon endpoints issue 16's daemon part adds; tested with them, not here. */
const DAEMON_METHODS = ['registerWindow', 'renewWindowLease', 'unregisterWindow', 'listWindows', 'drain', 'visibility', 'restartDownstream', 'events'];

let t: TestGateway;
let folder: string;
const called = new Set<string>();
let client: RestClient;

/** The value, after checking that the schema knows every field of it (nothing stripped, nothing missing). */
function pinned<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.parse(value);
  expect(parsed).toEqual(value);
  return parsed;
}

beforeAll(async () => {
  t = await startTestGateway();
  folder = mkdtempSync(path.join(tmpdir(), 'mcplexer-rc-'));
  // Records the methods called, to check at the end that none was left out.
  client = new Proxy(t.client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      called.add(String(property));
      return value.bind(target);
    },
  });
});
afterAll(async () => {
  await t.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('RestClient against a real gateway', () => {
  it('health, openApi and the settings pair answer the shared types', async () => {
    const health = pinned(healthSchema, await client.health());
    expect(health.status).toBe('ok');
    const doc = await client.openApi();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/dry-run');
    const settings = pinned(settingsViewSchema, await client.getSettings());
    expect(settings.sources.slim_tools).toBe('default');
    const updated = pinned(settingsViewSchema, await client.updateSettings({ tools_cache_ttl_sec: 20 }));
    expect(updated.settings.tools_cache_ttl_sec).toBe(20);
    expect(updated.sources.tools_cache_ttl_sec).toBe('stored');
  });

  it('workspaces: create, get, list, update, delete with cascade', async () => {
    const created = pinned(workspaceViewSchema, await client.createWorkspace({ name: 'proj', root_path: folder }));
    expect(created).toMatchObject({ name: 'proj', root_path: folder, default_policy: 'allow', source: 'api' });
    expect(created.warnings).toBeUndefined();
    pinned(workspaceSchema, await client.getWorkspace('proj'));
    const all = await client.listWorkspaces();
    for (const workspace of all) pinned(workspaceSchema, workspace);
    expect(all.map((w) => w.name)).toContain('proj');
    const missing = path.join(folder, 'not-there');
    const moved = pinned(workspaceViewSchema, await client.updateWorkspace(created.id, { root_path: missing }));
    expect(moved.warnings?.map((w) => w.path)).toEqual(['root_path']);
    await client.updateWorkspace(created.id, { root_path: folder });
    await client.createRoute({ workspace_id: created.id, tool_pattern: 'x__*', policy: 'deny' });
    const refused = await client.deleteWorkspace(created.id).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(409);
    expect((refused as ApiError).code).toBe('conflict');
    await client.deleteWorkspace(created.id, { cascade: true });
    await expect(client.getWorkspace(created.id)).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('downstreams: create, get, list, update, discover, health, delete', async () => {
    const created = pinned(
      downstreamSchema,
      await client.createDownstream({ id: 'ev', name: 'everything', namespace: 'everything', command: process.execPath, args: [EVERYTHING, 'stdio'] }),
    );
    expect(created.transport).toBe('stdio');
    pinned(downstreamSchema, await client.getDownstream('everything'));
    for (const server of await client.listDownstreams()) pinned(downstreamSchema, server);
    expect(pinned(downstreamSchema, await client.updateDownstream('ev', { idle_timeout_sec: 120 })).idle_timeout_sec).toBe(120);
    const before = pinned(downstreamHealthSchema, await client.downstreamHealth('ev'));
    expect(before.instances).toEqual([]);
    const discovered = pinned(discoverResultSchema, await client.discoverDownstream('ev'));
    expect(discovered.tools.map((tool) => tool.name)).toContain('echo');
    const after = pinned(downstreamHealthSchema, await client.downstreamHealth('ev'));
    expect(after.state).toBe('ready');
    expect(after.instances[0]!.pid).toBeGreaterThan(0);
    const full = pinned(healthSchema, await client.health());
    expect(full.downstreams.map((d) => d.server_id)).toEqual(['ev']);
    const dry = pinned(dryRunResultSchema, await client.dryRun({ workspace_id: 'global', tool_name: 'everything__echo' }));
    expect(dry).toMatchObject({ policy: 'allow', downstream_server: { id: 'ev' } });
    await client.deleteDownstream('ev', { cascade: true });
    await expect(client.downstreamHealth('ev')).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('routes: create, bulk, get, list filtered by workspace, update, delete, and dry-run with the trace', async () => {
    const workspace = await client.createWorkspace({ name: 'routes-ws', root_path: folder });
    const rule = pinned(routeSchema, await client.createRoute({ workspace_id: workspace.id, tool_pattern: 'a__*', policy: 'deny', name: 'no-a' }));
    const bulk = await client.createRoutesBulk({ rules: [{ workspace_id: workspace.id, tool_pattern: ['b__x', 'b__y'], policy: 'allow' }] });
    for (const created of bulk) pinned(routeSchema, created);
    expect(bulk[0]!.tool_pattern).toEqual(['b__x', 'b__y']);
    pinned(routeSchema, await client.getRoute('no-a'));
    const mine = await client.listRoutes({ workspace_id: workspace.id });
    expect(mine.map((r) => r.id).sort()).toEqual([rule.id, bulk[0]!.id].sort());
    expect((await client.listRoutes()).length).toBeGreaterThan(mine.length);
    expect(pinned(routeSchema, await client.updateRoute(rule.id, { priority: 7 })).priority).toBe(7);
    const dry = pinned(dryRunResultSchema, await client.dryRun({ workspace_id: workspace.id, tool_name: 'a__tool' }));
    expect(dry).toMatchObject({ policy: 'deny', error_code: 'denied', matched_rule: { id: rule.id } });
    expect(dry.candidate_rules.find((c) => c.id === rule.id)).toMatchObject({ matched: true, decided: true, evaluated_in: workspace.id });
    await client.deleteRoute(rule.id);
    await expect(client.getRoute(rule.id)).rejects.toMatchObject({ status: 404 });
    await client.deleteWorkspace(workspace.id, { cascade: true });
  });

  it('auth scopes: create, get, list, update, secrets (keys, set, delete), delete — never a value', async () => {
    const scope = pinned(authScopeViewSchema, await client.createAuthScope({ name: 'gh', env_vars: { GITHUB_TOKEN: 'secret-1' } }));
    expect(scope.env_vars).toEqual({ GITHUB_TOKEN: '********' });
    expect(scope.has_secrets).toBe(true);
    pinned(authScopeViewSchema, await client.getAuthScope('gh'));
    for (const listed of await client.listAuthScopes()) pinned(authScopeViewSchema, listed);
    pinned(authScopeViewSchema, await client.updateAuthScope('gh', { redaction_hints: ['token'] }));
    pinned(statusOkSchema, await client.setAuthScopeSecret('gh', { key: 'OTHER', value: 'secret-2' }));
    expect(pinned(secretKeysSchema, await client.authScopeSecretKeys('gh')).keys).toEqual(['GITHUB_TOKEN', 'OTHER']);
    await client.deleteAuthScopeSecret('gh', 'OTHER');
    expect((await client.authScopeSecretKeys('gh')).keys).toEqual(['GITHUB_TOKEN']);
    expect(JSON.stringify(await client.listAuthScopes())).not.toContain('secret-1');
    await client.deleteAuthScope('gh');
    await expect(client.getAuthScope('gh')).rejects.toMatchObject({ status: 404 });
  });

  it('refusals are ApiErrors with the code, the fields at fault and the body as sent', async () => {
    const error = (await client.createWorkspace({ name: '', root_path: 'relative/path' }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((d) => d.path).sort()).toEqual(['name', 'root_path']);
    pinned(apiErrorBodySchema, error.body);
    const unreachable = (await new RestClient('http://127.0.0.1:1', 'x').health().catch((e: unknown) => e)) as ApiError;
    expect(unreachable).toMatchObject({ status: 0, code: 'unreachable' });
    expect(unreachable.message).toContain('http://127.0.0.1:1');
  });

  it('createUiCode answers a one-time code for the browser dashboard, valid about 60 s', async () => {
    const issued = pinned(uiCodeSchema, await client.createUiCode());
    expect(Date.parse(issued.expires_at) - Date.now()).toBeGreaterThan(30_000);
    expect(dashboardUrl(client.baseUrl, issued.code)).toBe(`${t.url}/?code=${issued.code}`);
  });

  it('shutdown answers 202 with the pid (the last call: the gateway stops)', async () => {
    pinned(shutdownResultSchema, await client.shutdown());
  });

  it('called every method of the client but the daemon ones', () => {
    const methods = Object.getOwnPropertyNames(RestClient.prototype).filter((name) => !['constructor', 'raw', 'request', 'url', 'stream'].includes(name));
    expect(
      methods.filter(
        (name) =>
          !called.has(name) &&
          !DAEMON_METHODS.includes(name) &&
          !OBSERVABILITY_METHODS.includes(name) &&
          !INSTALL_METHODS.includes(name) &&
          !IMPORT_METHODS.includes(name) &&
          !OAUTH_METHODS.includes(name),
      ),
    ).toEqual([]);
    // Every daemon method exists on the client (the contract's names).
    expect(DAEMON_METHODS.filter((name) => !methods.includes(name))).toEqual([]);
  });
});
