// Peer gateways (`--peers`): mcp-hub 4.2.1 from bench/peers/ (its own package.json and lock, never
// the project's dependencies; `npm ci --ignore-scripts --prefix bench/peers` if it is missing), with
// server-everything as its one stdio server. mcp-hub serves MCP on legacy HTTP+SSE (GET /mcp, POST
// /messages), so the SDK client uses SSEClientTransport; tools are namespaced `everything__echo`.
// Isolated: HOME and the XDG dirs in a temp dir (its logs, workspace cache and marketplace cache go
// there), and the marketplace cache pre-seeded and fresh so it does not fetch its registry at start.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVERYTHING } from './clients.mjs';
import { childrenOf, removeOnExit, sleep, spawnGroup, stopGroup } from './proc.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
const PEERS = path.join(ROOT, 'bench/peers');
const HUB = path.join(PEERS, 'node_modules/mcp-hub/dist/cli.js');
const START_MS = 60_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Installs bench/peers from its lock once (no install scripts: mcp-hub is one bundled file). */
export function ensurePeers(log = () => undefined) {
  if (existsSync(HUB)) return;
  log('peers: npm ci in bench/peers (mcp-hub 4.2.1 from its lock)');
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: PEERS, stdio: 'inherit', timeout: 300_000 });
}

/** Is server-everything connected in the hub, per its REST API? */
async function ready(base) {
  try {
    const r = await fetch(`${base}/api/servers`, { signal: AbortSignal.timeout(2000) });
    if (!r.ok) return false;
    const body = await r.json();
    const servers = body.servers ?? [];
    return servers.some((s) => s.name === 'everything' && s.status === 'connected');
  } catch {
    return false;
  }
}

/** mcp-hub with server-everything; a target like the others (`kind: 'sse'`). */
export async function startMcpHub() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-bench-hub-'));
  removeOnExit(dir);
  const xdg = (name) => {
    const p = path.join(dir, name);
    mkdirSync(p, { recursive: true });
    return p;
  };
  const env = {
    ...process.env,
    HOME: dir,
    XDG_DATA_HOME: xdg('data'),
    XDG_STATE_HOME: xdg('state'),
    XDG_CONFIG_HOME: xdg('config'),
    XDG_CACHE_HOME: xdg('cache'),
  };
  // The marketplace cache, fresh (lastFetchedAt now, one server listed): no registry fetch at start.
  const cache = path.join(dir, 'data/mcp-hub/cache');
  mkdirSync(cache, { recursive: true });
  const seeded = {
    registry: { servers: [{ id: 'bench', name: 'bench', description: 'seeded by the bench' }] },
    lastFetchedAt: Date.now(),
    serverDocumentation: {},
  };
  writeFileSync(path.join(cache, 'registry.json'), JSON.stringify(seeded));
  const config = path.join(dir, 'mcp-servers.json');
  writeFileSync(config, JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } } }));
  const port = await freePort();
  const child = spawnGroup(process.execPath, [HUB, '--port', String(port), '--config', config], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (c) => (output = (output + c).slice(-8192));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopGroup(child.pid, 5000);
    rmSync(dir, { recursive: true, force: true });
  };
  const t0 = Date.now();
  while (!(await ready(base))) {
    if (child.exitCode !== null || Date.now() - t0 > START_MS) {
      await stop();
      throw new Error(`mcp-hub did not connect server-everything within ${START_MS} ms:\n${output}`);
    }
    await sleep(100);
  }
  return {
    id: 'mcp-hub',
    label: 'peer: mcp-hub 4.2.1 (legacy HTTP+SSE -> stdio)',
    kind: 'sse',
    url: base,
    tool: 'everything__echo',
    pid: child.pid,
    downstreamPids: () => childrenOf(child.pid),
    output: () => output,
    stop,
  };
}
