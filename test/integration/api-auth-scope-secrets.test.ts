import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("auth scope value endpoints (the original's)", () => {
  it('lists key names only, sets and deletes one value, and never stores or shows it in clear', async () => {
    t = await startTestGateway();
    const scope = await t.api('POST', '/auth-scopes', { id: 'gh', name: 'gh', env_vars: { A: 'alpha-secret-value' } });
    expect(scope.status).toBe(201);
    expect((await t.api('GET', '/auth-scopes/gh/secrets')).body).toEqual({ keys: ['A'] });
    const put = await t.api('PUT', '/auth-scopes/gh/secrets', { key: 'GITHUB_TOKEN', value: 'ghp_verysecretvalue123' });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ status: 'ok' });
    expect((await t.api('GET', '/auth-scopes/gh/secrets')).body).toEqual({ keys: ['A', 'GITHUB_TOKEN'] });
    expect((await t.api('GET', '/auth-scopes/gh')).body.env_vars).toEqual({ A: '********', GITHUB_TOKEN: '********' });
    expect(t.configText()).not.toContain('ghp_verysecretvalue123');
    expect(t.gw.store.state.auth_scopes.find((s) => s.id === 'gh')!.env_vars.GITHUB_TOKEN).toMatch(/^enc:v1:/);

    expect((await t.api('DELETE', '/auth-scopes/gh/secrets/A')).status).toBe(204);
    expect((await t.api('GET', '/auth-scopes/gh/secrets')).body).toEqual({ keys: ['GITHUB_TOKEN'] });
    expect((await t.api('DELETE', '/auth-scopes/gh/secrets/A')).status).toBe(404);
  });

  it('refuses bad bodies with the field and unknown scopes with 404', async () => {
    t = await startTestGateway();
    await t.api('POST', '/auth-scopes', { id: 's', name: 's' });
    const bad = await t.api('PUT', '/auth-scopes/s/secrets', { key: 'bad key', value: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['key', 'value']);
    expect((await t.api('GET', '/auth-scopes/nope/secrets')).status).toBe(404);
    expect((await t.api('PUT', '/auth-scopes/nope/secrets', { key: 'K', value: 'v' })).status).toBe(404);
  });
});
