// The Routes view's host side (src/shared/webviews/host/routes-handlers.ts) against a real gateway,
// through the real HostChannel: a window speaks for its folders; the browser dashboard, which belongs
// to no window, speaks for every workspace of the gateway. Until Dec 2026 the browser's Routes tab
// showed the `global` rules alone, so a workspace's own rules looked gone (a new user's trial).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesProtocol, type RoutesProtocol } from '../../src/shared/webviews/routes-protocol.js';
import { routesHandlers } from '../../src/shared/webviews/host/routes-handlers.js';
import { HostChannel } from '../../src/shared/webviews/host/host-channel.js';
import type { ClientSource } from '../../src/shared/webviews/host/client-source.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway();
  expect((await t.api('POST', '/workspaces', { id: 'ws-app', name: 'App', root_path: '/tmp/routes-scope/app' })).status).toBe(201);
  expect((await t.api('POST', '/workspaces', { id: 'ws-docs', name: 'Docs', root_path: '/tmp/routes-scope/docs' })).status).toBe(201);
  expect((await t.api('POST', '/routes', { id: 'app-deny', workspace_id: 'ws-app', tool_pattern: 'fs__write_*', policy: 'deny' })).status).toBe(201);
  expect((await t.api('POST', '/routes', { id: 'docs-ask', workspace_id: 'ws-docs', tool_pattern: 'fs__write_*', policy: 'approve' })).status).toBe(201);
});
afterAll(async () => t?.close());

/** One view's host side, as the extension's ViewHost and the browser's BrowserHost wire it. */
async function ask(source: Omit<ClientSource, 'client'>, method: 'routes/snapshot' | 'routes/dryRun', params: object): Promise<any> {
  const posted: any[] = [];
  const channel = new HostChannel<RoutesProtocol>(routesProtocol, routesHandlers({ ...source, client: () => t.client }), (m) => void posted.push(m), {
    warn: (m) => void posted.push({ kind: 'log', m }),
    error: (m) => void posted.push({ kind: 'log', m }),
  });
  await channel.receive({ kind: 'request', id: 1, method, params });
  const response = posted.find((m) => m.kind === 'response' && m.id === 1);
  expect(response?.ok, JSON.stringify(response?.error)).toBe(true);
  return response.result;
}

const ruleIds = (folder: any): string[] => folder.answer.value.candidate_rules.map((r: { id: string }) => r.id);

describe('the Routes view speaks for the right workspaces', () => {
  it('in the browser: one section per workspace, named, each with its own rules before the global ones', async () => {
    const snapshot = await ask({ folders: () => [], scope: 'gateway' }, 'routes/snapshot', {});
    expect(snapshot.scope).toBe('gateway');
    const byLabel = new Map(snapshot.folders.map((f: any) => [f.label, f]));
    expect([...byLabel.keys()].sort()).toEqual(['App', 'Docs', 'Global']);
    const globalRules = ruleIds(byLabel.get('Global'));
    expect(globalRules.length).toBeGreaterThan(0);
    // The workspace's own rule first, then the chain's global rules, in the gateway's order.
    expect(ruleIds(byLabel.get('App'))).toEqual(['app-deny', ...globalRules]);
    expect(ruleIds(byLabel.get('App'))).not.toContain('docs-ask');
    expect(ruleIds(byLabel.get('Docs'))).toContain('docs-ask');
    expect((byLabel.get('Docs') as any).folder).toBe('/tmp/routes-scope/docs');
  });

  it("in the browser: a dry-run answers for each workspace, with each one's own decision", async () => {
    const { folders, scope } = await ask({ folders: () => [], scope: 'gateway' }, 'routes/dryRun', { tool_name: 'fs__write_file' });
    expect(scope).toBe('gateway');
    const decided = Object.fromEntries(folders.map((f: any) => [f.label, f.answer.value.matched_rule?.id ?? f.answer.value.error_code]));
    expect(decided.App).toBe('app-deny');
    expect(decided.Docs).toBe('docs-ask');
  });

  it('in a window: its folders only (a window without one: the global rules alone)', async () => {
    const one = await ask({ folders: () => ['/tmp/routes-scope/app'] }, 'routes/snapshot', {});
    expect(one.folders.map((f: any) => f.folder)).toEqual(['/tmp/routes-scope/app']);
    expect(ruleIds(one.folders[0])).toContain('app-deny');
    const none = await ask({ folders: () => [] }, 'routes/snapshot', {});
    expect(none.folders.map((f: any) => f.folder)).toEqual(['']);
    expect(ruleIds(none.folders[0])).not.toContain('app-deny');
  });

  it('lists the auth scopes a rule may name, without their secrets (the form’s Auth scope choices)', async () => {
    const created = await t.api('POST', '/auth-scopes', {
      id: 'scope-gh',
      name: 'GitHub token',
      type: 'env',
      env_vars: { GITHUB_TOKEN: 'ghp_routesViewScope0123456789abcdef0123' },
    });
    expect(created.status).toBe(201);
    const snapshot = await ask({ folders: () => [] }, 'routes/snapshot', {});
    expect(snapshot.auth_scopes).toContainEqual({ id: 'scope-gh', name: 'GitHub token', type: 'env' });
    expect(JSON.stringify(snapshot)).not.toContain('ghp_routesViewScope');
  });
});
