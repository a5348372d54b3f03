/**
 * A real gateway for the webview pages (test/helpers/gateway.ts): server-everything, server-memory
 * (hidden from the folder by a deny rule), a server whose command does not exist (it fails with a
 * spawn error), a disabled one and a dynamic one; a folder workspace with rules of each policy.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';

const pkg = (name: string) => fileURLToPath(new URL(`../../../node_modules/@modelcontextprotocol/${name}/dist/index.js`, import.meta.url));

export async function startViewsGateway(): Promise<{ gw: TestGateway; folder: string }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'mcplexer-webview-folder-'));
  const gw = await startTestGateway();
  const ok = async (method: string, p: string, body?: unknown) => {
    const r = await gw.api(method, p, body);
    if (r.status >= 400) throw new Error(`${method} ${p} → ${r.status} ${r.text}`);
    return r.body;
  };
  await ok('POST', '/workspaces', { id: 'proj', name: 'proj', root_path: folder, default_policy: 'allow' });
  await ok('POST', '/downstreams', {
    id: 'everything',
    name: 'Everything',
    namespace: 'everything',
    command: process.execPath,
    args: [pkg('server-everything'), 'stdio'],
  });
  await ok('POST', '/downstreams', { id: 'memory', name: 'Memory', namespace: 'memory', command: process.execPath, args: [pkg('server-memory')] });
  await ok('POST', '/downstreams', { id: 'broken', name: 'Broken', namespace: 'broken', command: 'mcplexer-no-such-command', args: ['--stdio'] });
  await ok('POST', '/downstreams', {
    id: 'paused',
    name: 'Paused',
    namespace: 'paused',
    command: process.execPath,
    args: [pkg('server-memory')],
    enabled: false,
  });
  await ok('POST', '/downstreams', {
    id: 'lazy',
    name: 'Lazy search',
    namespace: 'lazy',
    command: process.execPath,
    args: [pkg('server-memory')],
    discovery: 'dynamic',
  });
  await ok('POST', '/routes', {
    id: 'deny-memory',
    name: 'no memory here',
    workspace_id: 'proj',
    tool_pattern: 'memory__*',
    policy: 'deny',
    server_id: 'memory',
  });
  await ok('POST', '/routes', {
    id: 'approve-writes',
    name: 'approve writes',
    workspace_id: 'proj',
    tool_pattern: 'everything__*',
    policy: 'allow',
    approval_mode: 'write',
    priority: 50,
  });
  await ok('POST', '/routes', { id: 'src-echo', workspace_id: 'proj', tool_pattern: 'everything__echo', path_glob: 'src/**', policy: 'allow' });
  await ok('POST', '/routes', { id: 'global-deny-broken', name: 'broken is off', workspace_id: 'global', tool_pattern: 'broken__*', policy: 'deny' });
  await ok('POST', '/downstreams/everything/discover');
  await ok('POST', '/downstreams/memory/discover');
  // The broken server fails to start: discovery answers 502, and health then carries the spawn error.
  const broken = await gw.api('POST', '/downstreams/broken/discover');
  if (broken.status !== 502) throw new Error(`expected the broken server's discovery to fail with 502, got ${broken.status}`);
  return { gw, folder };
}
