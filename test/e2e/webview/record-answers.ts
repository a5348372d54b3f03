/**
 * Records real gateway answers for the webview screenshots: a real gateway (test/helpers/gateway.ts)
 * with server-everything, server-memory (hidden from the folder by a deny rule), a server whose
 * command does not exist (it fails with a spawn error), a disabled one and a dynamic one; a folder
 * workspace with rules; then every REST answer the views show, exactly as the gateway gave it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestGateway } from '../../helpers/gateway.js';

const pkg = (name: string) => fileURLToPath(new URL(`../../../node_modules/@modelcontextprotocol/${name}/dist/index.js`, import.meta.url));

export interface RecordedAnswers {
  folder: string;
  workspaces: unknown;
  downstreams: unknown;
  health: unknown;
  routes: unknown;
  /** dry-run of a probe name: the chain and every rule of it in evaluation order. */
  probe: unknown;
  dryRuns: Record<string, unknown>;
  /** The 409 of deleting a server a rule still names. */
  deleteConflict: unknown;
  /** The 400 of creating a server with a bad namespace. */
  createInvalid: unknown;
  /** `GET /visibility` when the gateway serves it (E2's endpoint), else undefined. */
  visibility: unknown;
}

export async function recordGatewayAnswers(): Promise<RecordedAnswers> {
  const folder = mkdtempSync(path.join(tmpdir(), 'mcplexer-webview-folder-'));
  const gw = await startTestGateway();
  try {
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
    await gw.api('POST', '/downstreams/broken/discover');
    const dryRuns: Record<string, unknown> = {};
    for (const tool of ['everything__echo', 'memory__read_graph', 'broken__anything']) {
      dryRuns[tool] = await ok('POST', '/dry-run', { workspace_id: 'proj', tool_name: tool });
    }
    const visibility = await gw.api('GET', `/visibility?dir=${encodeURIComponent(folder)}`);
    return {
      folder,
      workspaces: await ok('GET', '/workspaces'),
      downstreams: await ok('GET', '/downstreams'),
      health: await ok('GET', '/health'),
      routes: await ok('GET', '/routes'),
      probe: await ok('POST', '/dry-run', { workspace_id: 'proj', tool_name: 'mcplexer-rule-order-probe' }),
      dryRuns,
      deleteConflict: (await gw.api('DELETE', '/downstreams/memory')).body,
      createInvalid: (await gw.api('POST', '/downstreams', { name: 'x', namespace: 'Bad NS', command: '' })).body,
      visibility: visibility.status === 200 ? visibility.body : undefined,
    };
  } finally {
    await gw.close();
  }
}
