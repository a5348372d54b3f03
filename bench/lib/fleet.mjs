// Many downstreams (issue 21): a fresh gateway with N stdio downstreams, each
// test/fixtures/many-tools-server.mjs --tools=40 (a light MCP server: tools/list and an echo per tool).
//   rss:   20 downstreams registered, discovered and connected (one session that lists the tools
//          and calls a tool of each), then the gateway's RSS alone (its children excluded).
//   list:  50 downstreams x 40 tools: the cold discovery of all 50 in parallel (POST …/discover
//          at once, from the first request to the last answer; the registration is timed apart), then
//          tools/list on one session: 20 warm-up, then 200 timed, p50/p90/p99.
// Every request has a timeout; every child of each gateway is killed when it stops.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { treePids } from './concurrency.mjs';
import { alive, childrenOf, forget, rssKb, sleep, track, withTimeout } from './proc.mjs';
import { summarize } from './report.mjs';
import { startGateway } from './targets.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/many-tools-server.mjs');
const TOOLS = 40;
const REQUEST_MS = 60_000;
export const RSS_GOAL_MB = 120;
export const LIST_GOAL_MS = 5;

const ns = (i) => `fx${String(i).padStart(2, '0')}`;

/** Registers `count` fixture downstreams; returns their ids and the time taken (ms). */
async function register(gw, count) {
  const t0 = performance.now();
  const ids = [];
  for (let i = 1; i <= count; i++) {
    const created = await gw.api('POST', '/downstreams', { name: ns(i), namespace: ns(i), command: process.execPath, args: [FIXTURE, `--tools=${TOOLS}`] });
    ids.push(created.id);
  }
  return { ids, ms: performance.now() - t0 };
}

/** All discovered at once: ms from the first request to the last answer. */
async function discoverAll(gw, ids) {
  const t0 = performance.now();
  await Promise.all(ids.map((id) => gw.api('POST', `/downstreams/${id}/discover`)));
  return performance.now() - t0;
}

async function session(gw) {
  const client = new Client({ name: 'mcplexer-bench', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${gw.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${gw.token}` } } });
  await withTimeout(client.connect(transport), REQUEST_MS, 'fleet: connect');
  return {
    client,
    transport,
    close: async () => {
      await transport.terminateSession().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}

/** tools/list as one HTTP POST on the session (JSON-RPC id 1e6+i); returns the body's size in bytes. */
async function rawList(gw, transport, i) {
  const response = await fetch(`${gw.url}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${gw.token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': transport.sessionId,
      'mcp-protocol-version': transport.protocolVersion ?? '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1_000_000 + i, method: 'tools/list' }),
    signal: AbortSignal.timeout(REQUEST_MS),
  });
  const body = await response.arrayBuffer();
  if (!response.ok) throw new Error(`fleet: raw tools/list: ${response.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
  return body.byteLength;
}

/** The gateway's downstreams, handed to the reaper too (they lead their own process groups). */
function childrenOfGateway(gw) {
  const pids = treePids(gw.pid).slice(1);
  for (const pid of pids) track(pid);
  return pids;
}

/** Stops the gateway, then SIGKILLs any downstream group it left behind. */
async function stop(gw, children) {
  await gw.stop();
  for (const pid of children) forget(pid);
  for (const pid of children) {
    if (!alive(pid)) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}

/** RSS of the gateway process alone with `count` downstreams connected. */
export async function fleetRss({ count = 20, log = () => undefined } = {}) {
  const gw = await startGateway({ everything: false });
  let children = [];
  try {
    const rssStarted = rssKb(gw.pid);
    const { ids } = await register(gw, count);
    const discoverMs = await discoverAll(gw, ids);
    const s = await session(gw);
    try {
      const { tools } = await withTimeout(s.client.listTools(), REQUEST_MS, 'fleet: tools/list');
      // A call on each downstream: the pool connects the instance serving this session's client.
      for (let i = 1; i <= count; i++) await s.client.callTool({ name: `${ns(i)}__tool_001`, arguments: { message: 'hi' } }, undefined, { timeout: 10_000 });
      await sleep(2000); // let the allocations of the start settle (GC, pools)
      children = childrenOfGateway(gw);
      const result = {
        downstreams: count,
        tools_listed: tools.length,
        discover_ms: discoverMs,
        connected_children: childrenOf(gw.pid).length,
        rss_started_kb: rssStarted,
        rss_kb: rssKb(gw.pid),
        children_rss_kb: children.reduce((sum, pid) => sum + (alive(pid) ? rssKb(pid) || 0 : 0), 0),
        goal_mb: RSS_GOAL_MB,
      };
      log(
        `fleet: ${count} downstreams connected, gateway RSS ${(result.rss_kb / 1024).toFixed(1)} MB (children ${(result.children_rss_kb / 1024).toFixed(0)} MB apart)`,
      );
      return result;
    } finally {
      await s.close();
    }
  } finally {
    children = [...new Set([...children, ...treePids(gw.pid).slice(1)])];
    await stop(gw, children);
  }
}

/** Cold discovery of `count` downstreams in parallel, then tools/list over all of them, warm. */
export async function fleetList({ count = 50, calls = 200, warmup = 20, log = () => undefined } = {}) {
  const gw = await startGateway({ everything: false });
  let children = [];
  try {
    const registered = await register(gw, count);
    const discoverMs = await discoverAll(gw, registered.ids);
    children = childrenOfGateway(gw);
    log(`fleet: ${count} downstreams registered in ${registered.ms.toFixed(0)} ms, discovered in parallel in ${discoverMs.toFixed(0)} ms`);
    const s = await session(gw);
    try {
      const t0 = performance.now();
      const first = await withTimeout(s.client.listTools(), REQUEST_MS, 'fleet: first tools/list');
      const firstMs = performance.now() - t0;
      if (first.tools.length < count * TOOLS) throw new Error(`fleet: tools/list gave ${first.tools.length} tools, expected ${count * TOOLS}`);
      for (let i = 0; i < warmup; i++) await withTimeout(s.client.listTools(), REQUEST_MS, 'fleet: tools/list');
      const samples = [];
      const deadline = Date.now() + 120_000;
      for (let i = 0; i < calls && Date.now() < deadline; i++) {
        const c0 = performance.now();
        await withTimeout(s.client.listTools(), REQUEST_MS, 'fleet: tools/list');
        samples.push(performance.now() - c0);
      }
      // The same request without the SDK client: one POST on the session, the whole body read, not
      // parsed. The SDK client's time above includes its own zod validation of 2,000 tools.
      const raw = [];
      for (let i = 0; i < warmup + calls && Date.now() < deadline; i++) {
        const c0 = performance.now();
        const bytes = await rawList(gw, s.transport, i);
        if (i >= warmup) raw.push(performance.now() - c0);
        if (i === 0) s.bytes = bytes;
      }
      const result = {
        downstreams: count,
        tools_per_downstream: TOOLS,
        list_raw: summarize(raw),
        list_bytes: s.bytes,
        tools_listed: first.tools.length,
        register_ms: registered.ms,
        cold_discovery_parallel_ms: discoverMs,
        first_list_ms: firstMs,
        list: summarize(samples),
        rss_kb: rssKb(gw.pid),
        goal_p50_ms: LIST_GOAL_MS,
      };
      log(
        `fleet: tools/list of ${result.tools_listed} tools: p50 ${result.list_raw.p50_ms.toFixed(2)} ms on the wire, ${result.list.p50_ms.toFixed(2)} ms through the SDK client (first ${firstMs.toFixed(0)} ms)`,
      );
      return result;
    } finally {
      await s.close();
    }
  } finally {
    children = [...new Set([...children, ...treePids(gw.pid).slice(1)])];
    await stop(gw, children);
  }
}

export const fleetLines = (f) =>
  [
    f.rss &&
      `gateway RSS with ${f.rss.downstreams} connected downstreams (children excluded): ${(f.rss.rss_kb / 1024).toFixed(1)} MB (started ${(f.rss.rss_started_kb / 1024).toFixed(1)} MB; ${f.rss.connected_children} children, ${(f.rss.children_rss_kb / 1024).toFixed(0)} MB apart); goal ≤ ${RSS_GOAL_MB} MB`,
    f.list &&
      `tools/list over ${f.list.downstreams} downstreams x ${f.list.tools_per_downstream} tools (${f.list.tools_listed}, ${(f.list.list_bytes / 1024).toFixed(0)} KB): on the wire p50 ${f.list.list_raw.p50_ms.toFixed(2)} ms, p90 ${f.list.list_raw.p90_ms.toFixed(2)}, p99 ${f.list.list_raw.p99_ms.toFixed(2)} (goal p50 ≤ ${LIST_GOAL_MS} ms); through the SDK v1 client (with its validation) p50 ${f.list.list.p50_ms.toFixed(2)} ms; cold discovery of ${f.list.downstreams} in parallel ${f.list.cold_discovery_parallel_ms.toFixed(0)} ms (registration ${f.list.register_ms.toFixed(0)} ms before it); first list ${f.list.first_list_ms.toFixed(0)} ms`,
  ]
    .filter(Boolean)
    .join('\n');
