/**
 * MCP-side helpers for the integration tests: real SDK clients against a test gateway's `/mcp`,
 * real downstream servers (server-everything over stdio and over Streamable HTTP, server-memory,
 * the raw fixture) registered through the REST API, and the error a rejected request carried.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { EVERYTHING, RAW_SERVER, freePort, isRunning } from '../fixtures/downstream-servers.js';
import { readLock } from '../../src/shared/node/index.js';
import type { TestGateway } from './gateway.js';

export { EVERYTHING, RAW_SERVER };
export const MEMORY = fileURLToPath(new URL('../../node_modules/@modelcontextprotocol/server-memory/dist/index.js', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Where a gateway lives: enough to reach `/mcp`. */
export interface GatewayAddress {
  url: string;
  token: string;
}

export interface HttpClientOptions {
  /** Extra request headers (e.g. `X-MCPlexer-Workspace`). */
  headers?: Record<string, string>;
  /** Answers `sampling/createMessage` with this text (declares the sampling capability). */
  sampling?: string;
  /** The 2026-era probe (`versionNegotiation: { mode: 'auto' }`). */
  modern?: boolean;
  name?: string;
}

/** A v2 SDK client connected to `<gateway>/mcp` with the gateway's token. */
export async function connectHttp(gateway: GatewayAddress, options: HttpClientOptions = {}): Promise<Client> {
  const client = new Client(
    { name: options.name ?? 'mcplexer-it', version: '1.0.0' },
    { capabilities: options.sampling === undefined ? {} : { sampling: {} }, ...(options.modern ? { versionNegotiation: { mode: 'auto' as const } } : {}) },
  );
  if (options.sampling !== undefined) answerSampling(client, options.sampling);
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', gateway.url), {
    requestInit: { headers: { authorization: `Bearer ${gateway.token}`, ...options.headers } },
  });
  await client.connect(transport);
  return client;
}

/** Makes a client answer every sampling request with a fixed text, recording the requests. */
export function answerSampling(client: Client, text: string): Array<Record<string, unknown>> {
  const seen: Array<Record<string, unknown>> = [];
  client.setRequestHandler('sampling/createMessage', async (request) => {
    seen.push(request.params as Record<string, unknown>);
    return { model: 'test-model', role: 'assistant', content: { type: 'text', text } };
  });
  return seen;
}

/** The first text content of a tool result. */
export function text(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.find((c) => c.type === 'text')?.text ?? '';
}

/** Awaits a request that must fail and returns the JSON-RPC code, message and data it failed with. */
/**
 * One raw `POST /mcp` with the token and the usual Accept, as a client's bytes: the status and the
 * JSON-RPC answer (on an SDK session's SSE stream, the last `data:` line), with the response's
 * headers and its body's length in bytes.
 */
export async function postMcpRaw(
  gateway: Pick<TestGateway, 'url' | 'token'>,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; message: any; headers: Headers; bytes: number }> {
  const res = await fetch(`${gateway.url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body,
  });
  const raw = Buffer.from(await res.arrayBuffer());
  const text = raw.toString('utf8');
  const data = res.headers.get('content-type')?.includes('text/event-stream')
    ? text
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .pop()!
        .slice(6)
    : text;
  return { status: res.status, message: data ? JSON.parse(data) : undefined, headers: res.headers, bytes: raw.length };
}

export async function rejection(promise: Promise<unknown>): Promise<{ code: number; message: string; data?: any }> {
  try {
    await promise;
  } catch (error) {
    const { code, message, data } = error as { code?: unknown; message?: unknown; data?: unknown };
    return { code: Number(code), message: String(message), data };
  }
  throw new Error('expected the request to fail, but it succeeded');
}

/** The gateway's error a promise rejects with (a `GatewayError`: its code by name, its message); throws if it resolves. */
export function gatewayFailure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('expected a failure, but it succeeded');
    },
    (error: { code: string; message: string }) => error,
  );
}

/** Registers a downstream server through the REST API (201 expected) and returns it. */
export async function addServer(t: TestGateway, body: Record<string, unknown>): Promise<{ id: string; name: string; namespace: string }> {
  const res = await t.api('POST', '/downstreams', body);
  if (res.status !== 201) throw new Error(`POST /downstreams → ${res.status}: ${res.text}`);
  return res.body;
}

export const everythingStdioBody = (namespace: string, extra: Record<string, unknown> = {}) => ({
  name: `Everything ${namespace}`,
  command: process.execPath,
  args: [EVERYTHING, 'stdio'],
  namespace,
  ...extra,
});

export const rawBody = (namespace: string, flags: string[] = [], extra: Record<string, unknown> = {}) => ({
  name: `Raw ${namespace}`,
  command: process.execPath,
  args: [RAW_SERVER, ...flags],
  namespace,
  ...extra,
});

/** server-memory, with its graph file in a temp dir that `cleanup` removes. */
export function memoryBody(namespace: string): { body: Record<string, unknown>; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-memory-'));
  return {
    body: { name: `Memory ${namespace}`, command: process.execPath, args: [MEMORY], namespace, env: { MEMORY_FILE_PATH: path.join(dir, 'memory.jsonl') } },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** server-everything in Streamable HTTP mode on a free port, in its own process group. */
export async function startEverythingHttp(): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server-everything streamableHttp did not start: ${seen}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (/listening on port/i.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything streamableHttp exited (${code}): ${seen}`));
    });
  });
  return { url: `http://127.0.0.1:${port}/mcp`, child, stop: () => stopGroup(child) };
}

/** Kills a detached child's whole process group and waits for it to exit. */
export function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL'); // not a group leader
    }
  });
}

/** The downstream child pid of a server, from GET /api/v1/health: that of an instance with calls in flight, else the first. */
export async function downstreamPid(t: TestGateway, serverId: string): Promise<number | undefined> {
  const health = await t.api('GET', '/health');
  const entry = (health.body.downstreams as Array<{ server_id: string; instances: Array<{ pid?: number; in_flight: number }> }>).find(
    (d) => d.server_id === serverId,
  );
  const running = entry?.instances.filter((i) => i.pid !== undefined) ?? [];
  return (running.find((i) => i.in_flight > 0) ?? running[0])?.pid;
}

export interface Bridge {
  client: Client;
  transport: StdioClientTransport;
  /** What `mcplexer connect` wrote to stderr so far. */
  stderr(): string;
}

/**
 * `node dist/cli.js connect --home <home>` spawned by a v2 SDK client over stdio, in `cwd`. The
 * environment is the test's minus MCPLEXER_* (so nothing of the developer's setup leaks in).
 */
export async function connectBridge(
  home: string,
  options: { cwd?: string; env?: Record<string, string>; sampling?: string; client?: Client } = {},
): Promise<Bridge> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.mjs" (npm test builds it first)`);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('MCPLEXER_')) env[name] = value;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'connect', '--home', home],
    cwd: options.cwd,
    env: { ...env, ...options.env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const client =
    options.client ?? new Client({ name: 'bridge-it', version: '1.0.0' }, { capabilities: options.sampling === undefined ? {} : { sampling: {} } });
  if (options.sampling !== undefined) answerSampling(client, options.sampling);
  await client.connect(transport);
  return { client, transport, stderr: () => stderr };
}

/**
 * One tools/call through `mcplexer connect` as raw JSON lines (no SDK on the client side): every
 * message the bridge wrote to its stdout up to and including the call's response, in order.
 * Requests from the gateway (e.g. a downstream's roots/list) are answered with no roots.
 */
export async function rawBridgeCall(home: string, cwd: string, params: Record<string, unknown>): Promise<Array<Record<string, any>>> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('MCPLEXER_')) env[name] = value;
  const child = spawn(process.execPath, [CLI, 'connect', '--home', home], { cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
  const send = (message: Record<string, unknown>) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  const seen: Array<Record<string, any>> = [];
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer through the bridge; saw ${JSON.stringify(seen)}`)), 15_000);
      child.once('exit', (code) => reject(new Error(`the bridge exited (${code})`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        const message = JSON.parse(line) as Record<string, any>;
        seen.push(message);
        if (message.method !== undefined && message.id !== undefined) send({ id: message.id, result: { roots: [] } });
        if (message.id === 1 && message.method === undefined) {
          send({ method: 'notifications/initialized' });
          send({ id: 2, method: 'tools/call', params });
        }
        if (message.id === 2 && message.method === undefined) {
          clearTimeout(timer);
          resolve(seen);
        }
      });
      send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-lines', version: '1' } } });
    });
  } finally {
    child.stdin.end();
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  }
}

/** Kills a gateway that `connect` may have started detached in `home` (any lock holder but this process). */
export function killStrayGateway(home: string): void {
  const lock = readLock(home);
  if (lock && lock.pid !== process.pid && isRunning(lock.pid)) process.kill(lock.pid, 'SIGKILL');
}
