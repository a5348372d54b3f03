// The things measured: each `start*` returns a target { id, kind, url, token, tool, pid,
// downstreamPids(), stop() }. Server processes run in their own process groups.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVERYTHING } from './clients.mjs';
import { DAEMON_START_FLAGS } from './daemon-flags.mjs';
import { alive, childrenOf, forget, removeOnExit, spawnGroup, stopGroup, track, waitForOutput, withTimeout } from './proc.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
const START_MS = 30_000;

/** Keeps the last few KB a child wrote, to show if it fails. */
function tail(child) {
  let text = '';
  const keep = (chunk) => {
    text = (text + chunk).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

export function directTarget() {
  return { id: 'direct', label: 'a. direct stdio (client spawns server-everything)', kind: 'stdio', tool: 'echo', pid: null, stop: async () => undefined };
}

const SDK_LABELS = {
  floor: 'floor: bare node:http, JSON, no SDK (answers itself)',
  relay: 'relay floor: the floor relaying raw JSON-RPC to server-everything over stdio',
  'bare-json': 'b. SDK v2 bare HTTP leg, JSON (answers itself)',
  'bare-sse': "b'. SDK v2 bare HTTP leg, SSE (answers itself)",
  'proxy-json': 'c. SDK v2 thinnest proxy, JSON (-> stdio)',
  'proxy-sse': "c'. SDK v2 thinnest proxy, SSE (-> stdio)",
};

/** A bench/sdk-server.mjs child: `floor`, `relay`, `bare-json`, `bare-sse`, `proxy-json`, `proxy-sse`. */
export async function startSdkServer(id, { nodeArgs = [] } = {}) {
  const [mode, response] = id.split('-');
  const args = [...nodeArgs, path.join(ROOT, 'bench/sdk-server.mjs'), '--mode', mode, ...(response === 'json' ? ['--json'] : [])];
  // stdin stays open: the server exits when it closes, even if this process dies without cleanup.
  const child = spawnGroup(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = tail(child);
  let match;
  try {
    match = await waitForOutput(child.stdout, /listening (\d+)/, START_MS, `sdk-server ${id}`);
  } catch (error) {
    await stopGroup(child.pid);
    throw new Error(`${error.message}\n${output()}`);
  }
  return {
    id,
    label: SDK_LABELS[id],
    kind: 'http',
    url: `http://127.0.0.1:${match[1]}`,
    tool: 'echo',
    pid: child.pid,
    downstreamPids: () => (mode === 'proxy' || mode === 'relay' ? childrenOf(child.pid) : []),
    output,
    stop: () => stopGroup(child.pid),
  };
}

export async function api(base, token, method, route, body) {
  const response = await withTimeout(
    fetch(`${base}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    START_MS,
    `${method} ${route}`,
  );
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * The real gateway: dist/cli.js serve in a temp home on a free port, with server-everything
 * registered (and discovered) as namespace `everything`. `nodeArgs` e.g. ['--cpu-prof', ...].
 */
export async function startGateway({ nodeArgs = [], audit = true, everything = true } = {}) {
  const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-bench-'));
  removeOnExit(home);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MCPLEXER_')));
  // The same gateway without its audit trail: what audit costs per call, in the same run.
  if (!audit) env.MCPLEXER_AUDIT = 'off';
  const child = spawnGroup(process.execPath, [...DAEMON_START_FLAGS, ...nodeArgs, path.join(ROOT, 'dist/cli.js'), 'serve', '--port', '0', '--home', home], {
    cwd: home,
    env,
  });
  const output = tail(child);
  const fail = async (error) => {
    await stopGroup(child.pid);
    rmSync(home, { recursive: true, force: true });
    throw new Error(`gateway: ${error.message}\n${output()}`);
  };
  let url;
  let token;
  let downstream;
  // A gateway with no downstream registered here (the fleet registers its own): stopped with its group.
  const stopEmpty = async () => {
    await stopGroup(child.pid, 10_000);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const match = await waitForOutput(child.stderr, /MCPlexer (http:\/\/127\.0\.0\.1:\d+)/, START_MS, 'gateway start');
    url = match[1];
    token = readFileSync(path.join(home, 'api-token'), 'utf8').trim();
    if (!everything) return { id: 'gateway-empty', url, token, pid: child.pid, home, output, api: (...a) => api(url, token, ...a), stop: () => stopEmpty() };
    const created = await api(url, token, 'POST', '/downstreams', {
      name: 'everything',
      namespace: 'everything',
      command: process.execPath,
      args: [EVERYTHING, 'stdio'],
    });
    await api(url, token, 'POST', `/downstreams/${created.id}/discover`);
    downstream = childrenOf(child.pid)[0];
    track(downstream);
  } catch (error) {
    return fail(error);
  }
  return {
    id: audit ? 'gateway' : 'gateway-noaudit',
    label: audit ? 'd. MCPlexer gateway (-> stdio)' : 'd2. MCPlexer gateway, audit off',
    kind: 'http',
    url,
    token,
    tool: 'everything__echo',
    pid: child.pid,
    home,
    downstreamPids: () => childrenOf(child.pid),
    // GET /audit writes the audit batch first: called around each CPU burst, so the records of a
    // burst are written (and their CPU counted) inside it, not a batch window later in whichever
    // burst is running then. The audit-off gateway gets the same request.
    settle: () => api(url, token, 'GET', '/audit?limit=1').catch(() => undefined),
    api: (...a) => api(url, token, ...a),
    output,
    async stop() {
      // SIGTERM first: the gateway stops its downstreams and (with --cpu-prof) writes its profile.
      await stopGroup(child.pid, 10_000);
      if (downstream && alive(downstream)) {
        await stopGroup(downstream, 1000); // it leads its own group if the gateway spawned it so
        try {
          process.kill(downstream, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      forget(downstream);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * The same gateway reached through `mcplexer connect` (the stdio bridge, `node dist/cli.js connect
 * --home <home>`, which finds the running gateway of that home): a fresh gateway, and each session
 * spawns its own bridge over StdioClientTransport. `pid` is the gateway's (its CPU is the figure);
 * the bridges' CPU is read apart by the concurrency phase.
 */
export async function startGatewayConnect(options = {}) {
  const gateway = await startGateway(options);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => !k.startsWith('MCPLEXER_') && v !== undefined));
  return {
    ...gateway,
    id: 'gateway-connect',
    label: 'd3. MCPlexer gateway via mcplexer connect (stdio bridge)',
    kind: 'stdio',
    command: process.execPath,
    args: [path.join(ROOT, 'dist/cli.js'), 'connect', '--home', gateway.home],
    env,
  };
}
