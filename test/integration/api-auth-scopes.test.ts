import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthScopeService } from '../../src/gateway/config/index.js';
import { openSecretBox } from '../../src/gateway/secrets/index.js';
import { errorPaths, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
let server: string;
beforeAll(async () => {
  t = await startTestGateway();
  server = (await t.api('POST', '/downstreams', { name: 'Linear', command: 'linear-mcp', namespace: 'linear' })).body.id;
});
afterAll(() => t?.close());

const MASK = '********';
const stored = (id: string) => t.readConfig().auth_scopes.find((a) => a.id === id);
const decrypt = (id: string) => new AuthScopeService(t.gw.store, openSecretBox(t.home)).secretValues(id);
/** A value that occurs nowhere by chance, so a grep of the file for it means something. */
const secret = (label: string) => `sk-${label}-${Math.random().toString(36).slice(2)}-${Date.now()}`;

describe('auth scopes over REST', () => {
  it('creates with 201; values are masked in the answer, encrypted in config.json, and decryptable', async () => {
    const token = secret('create');
    const res = await t.api('POST', '/auth-scopes', { name: 'linear-work', server_id: server, env_vars: { LINEAR_TOKEN: token } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'linear-work', server_id: server, type: 'env', env_vars: { LINEAR_TOKEN: MASK }, has_secrets: true, source: 'api' });
    expect(res.text).not.toContain(token);

    const text = t.configText();
    expect(text).not.toContain(token);
    expect(stored(res.body.id)?.env_vars.LINEAR_TOKEN).toMatch(/^enc:v1:/);
    expect(decrypt(res.body.id)).toEqual({ LINEAR_TOKEN: token });
    expect(JSON.stringify(t.logs)).not.toContain(token);
  });

  it('masks values in GET one and in the list', async () => {
    const token = secret('read');
    const created = (await t.api('POST', '/auth-scopes', { name: 'read-scope', env_vars: { A: token, B: 'plain-b-value-xyz' } })).body;
    const one = await t.api('GET', `/auth-scopes/${created.id}`);
    expect(one.body.env_vars).toEqual({ A: MASK, B: MASK });
    const list = await t.api('GET', '/auth-scopes');
    expect(list.status).toBe(200);
    expect(list.body.find((a: { id: string }) => a.id === created.id).env_vars).toEqual({ A: MASK, B: MASK });
    for (const res of [one, list]) {
      expect(res.text).not.toContain(token);
      expect(res.text).not.toContain('plain-b-value-xyz');
    }
    expect(t.configText()).not.toContain('plain-b-value-xyz');
  });

  it('PUT merges env_vars key by key: a new value is encrypted, the mask keeps the old one, null removes', async () => {
    const first = secret('first');
    const second = secret('second');
    const scope = (await t.api('POST', '/auth-scopes', { name: 'merge-scope', env_vars: { KEEP: first, DROP: 'drop-me-value' } })).body;
    const res = await t.api('PUT', `/auth-scopes/${scope.id}`, { env_vars: { KEEP: MASK, DROP: null, NEW: second } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'merge-scope', env_vars: { KEEP: MASK, NEW: MASK } });
    expect(res.body.env_vars).not.toHaveProperty('DROP');
    expect(res.text).not.toContain(second);
    expect(t.configText()).not.toContain(second);
    expect(decrypt(scope.id)).toEqual({ KEEP: first, NEW: second });

    const renamed = await t.api('PUT', `/auth-scopes/${scope.id}`, { name: 'merge-scope-2' });
    expect(renamed.body.env_vars).toEqual({ KEEP: MASK, NEW: MASK });
    expect(stored(scope.id)?.name).toBe('merge-scope-2');
    expect(decrypt(scope.id)).toEqual({ KEEP: first, NEW: second });
  });

  it('a taken name or id is 409; an unknown server_id is 400; unknown ids are 404', async () => {
    const created = await t.api('POST', '/auth-scopes', { id: 'scope-chosen', name: 'chosen-scope' });
    expect(created.status).toBe(201);
    expect(created.body.id).toBe('scope-chosen');
    const before = t.configText();
    expect((await t.api('POST', '/auth-scopes', { name: 'chosen-scope' })).status).toBe(409);
    expect((await t.api('POST', '/auth-scopes', { id: 'scope-chosen', name: 'other-name' })).status).toBe(409);
    const badServer = await t.api('POST', '/auth-scopes', { name: 'orphan', server_id: 'no-such-server' });
    expect(badServer.status).toBe(400);
    expect(errorPaths(badServer.body)).toContain('server_id');
    const badKey = await t.api('POST', '/auth-scopes', { name: 'bad-key', env_vars: { 'NOT A NAME': 'x' } });
    expect(badKey.status).toBe(400);
    expect(errorPaths(badKey.body)[0]).toMatch(/^env_vars/);
    for (const method of ['GET', 'PUT', 'DELETE']) {
      expect((await t.api(method, '/auth-scopes/no-such-scope', method === 'PUT' ? { name: 'x' } : undefined)).status, method).toBe(404);
    }
    expect(t.configText()).toBe(before);
  });

  it('DELETE is 204; with routes using it, 409 naming them; ?cascade=true deletes it and unsets it on the routes', async () => {
    const lone = (await t.api('POST', '/auth-scopes', { name: 'lone' })).body;
    const deleted = await t.api('DELETE', `/auth-scopes/${lone.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(stored(lone.id)).toBeUndefined();

    const scope = (await t.api('POST', '/auth-scopes', { name: 'used-scope', server_id: server, env_vars: { T: 'x' } })).body;
    const route = (await t.api('POST', '/routes', { workspace_id: 'global', server_id: server, auth_scope_id: scope.id, tool_pattern: 'linear__*' })).body;
    const before = t.configText();
    const refused = await t.api('DELETE', `/auth-scopes/${scope.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(route.id);
    expect(t.configText()).toBe(before);

    expect((await t.api('DELETE', `/auth-scopes/${scope.id}?cascade=true`)).status).toBe(204);
    const config = t.readConfig();
    expect(config.auth_scopes.some((a) => a.id === scope.id)).toBe(false);
    const kept = config.routes.find((r) => r.id === route.id);
    expect(kept).toBeDefined();
    expect(kept).not.toHaveProperty('auth_scope_id');
  });

  it('keeps secret.key at mode 0600', () => {
    expect(statSync(path.join(t.home, 'secret.key')).mode & 0o777).toBe(0o600);
  });
});

describe('auth scope secrets across a restart', () => {
  it('a second gateway on the same home decrypts what the first stored', async () => {
    const first = await startTestGateway();
    const token = secret('restart');
    try {
      const scope = (await first.api('POST', '/auth-scopes', { name: 'persisted', env_vars: { API_KEY: token } })).body;
      await first.stop();
      expect(first.configText()).not.toContain(token);

      const second = await startTestGateway({ home: first.home });
      try {
        const res = await second.api('GET', `/auth-scopes/${scope.id}`);
        expect(res.body.env_vars).toEqual({ API_KEY: MASK });
        expect(new AuthScopeService(second.gw.store, openSecretBox(second.home)).secretValues(scope.id)).toEqual({ API_KEY: token });
      } finally {
        await second.stop();
      }
    } finally {
      await first.close();
    }
  });
});
