// The pool against the real server-everything over Streamable HTTP, and its legacy SSE fallback.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownstreamPool, type ProgressUpdate } from '../../src/gateway/downstream/index.js';
import { EVERYTHING, freePort, makeServer } from '../fixtures/downstream-servers.js';

const children: ChildProcess[] = [];
const pool = new DownstreamPool({
  startTimeoutMs: 10_000,
  env: { ...process.env, TEAM: 'blue' },
  resolveScope: () => ({ env: {}, headers: { 'X-Api-Key': 'scope-secret' } }),
});

/** Starts server-everything in the given HTTP mode and resolves once it listens. */
async function startEverything(mode: 'streamableHttp' | 'sse', port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [EVERYTHING, mode], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (/listening on port|running on port/i.test(seen)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server-everything ${mode} exited (${code}): ${seen}`)));
  });
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGKILL');
  });
}

let httpPort = 0;
let ssePort = 0;
beforeAll(async () => {
  [httpPort, ssePort] = [await freePort(), await freePort()];
  await Promise.all([startEverything('streamableHttp', httpPort), startEverything('sse', ssePort)]);
});
afterAll(async () => {
  await pool.stopAll({ drainMs: 0 });
  await Promise.all(children.map(stopChild));
});

const text = (result: Record<string, unknown>) => (result.content as { text: string }[])[0]!.text;
const httpServer = () => makeServer({ name: 'everything-http', transport: 'http', url: `http://127.0.0.1:${httpPort}/mcp` });

describe('pool over Streamable HTTP (server-everything)', () => {
  let server: ReturnType<typeof makeServer>;
  beforeAll(() => {
    server = httpServer();
  });

  it('round-trips tools/call echo', async () => {
    const result = await pool.callTool(server, null, { name: 'echo', arguments: { message: 'over http' } }, { timeoutMs: 10_000 });
    expect(result).toEqual({ content: [{ type: 'text', text: 'Echo: over http' }] });
    expect(pool.serverHealth(server).instances[0]).toMatchObject({ state: 'ready', transport: 'streamable_http' });
  });

  it('discovers every list', async () => {
    const found = await pool.discover(server, null);
    expect(found.tools.length).toBeGreaterThan(5);
    expect(found.resources.length).toBeGreaterThan(0);
    expect(found.resource_templates.length).toBeGreaterThan(0);
    expect(found.prompts.length).toBeGreaterThan(0);
  });

  it('relays every progress notification before the result', async () => {
    const events: (ProgressUpdate | 'result')[] = [];
    await pool.callTool(
      server,
      null,
      { name: 'trigger-long-running-operation', arguments: { duration: 0.5, steps: 5 } },
      { timeoutMs: 10_000, onProgress: (p) => events.push(p) },
    );
    events.push('result');
    expect(events).toEqual([1, 2, 3, 4, 5].map((progress) => ({ progress, total: 5 })).concat('result' as never));
  });

  it('routes a sampling request arriving on the call’s stream to that call', async () => {
    const result = await pool.callTool(
      server,
      null,
      { name: 'trigger-sampling-request', arguments: { prompt: 'hi' } },
      {
        timeoutMs: 10_000,
        owner: 'session-1',
        clientCapabilities: 'sampling',
        onServerRequest: async () => ({ model: 'm', role: 'assistant', content: { type: 'text', text: 'sampled over http' } }),
      },
    );
    expect(text(result)).toContain('sampled over http');
  });

  it('cancels a call on abort', async () => {
    const controller = new AbortController();
    const call = pool.callTool(
      server,
      null,
      { name: 'trigger-long-running-operation', arguments: { duration: 5, steps: 5 } },
      { timeoutMs: 10_000, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 100);
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('reconnects after the server restarted and dropped the session', async () => {
    const restartable = makeServer({ name: 'restartable', transport: 'http', url: `http://127.0.0.1:${httpPort}/mcp` });
    await pool.callTool(restartable, null, { name: 'echo', arguments: { message: 'a' } }, { timeoutMs: 10_000 });
    const original = children[0]!;
    await stopChild(original);
    const restarted = await startEverything('streamableHttp', httpPort);
    children[0] = restarted;
    await expect(pool.callTool(restartable, null, { name: 'echo', arguments: { message: 'b' } }, { timeoutMs: 10_000 })).rejects.toMatchObject({
      code: 'downstream_unavailable',
    });
    expect(pool.serverHealth(restartable).state).toBe('failed');
    const result = await pool.callTool(restartable, null, { name: 'echo', arguments: { message: 'c' } }, { timeoutMs: 10_000 });
    expect(text(result)).toBe('Echo: c');
  });
});

describe('HTTP start', () => {
  it('falls back to legacy SSE when Streamable HTTP is refused with a 4xx', async () => {
    const server = makeServer({ name: 'everything-sse', transport: 'http', url: `http://127.0.0.1:${ssePort}/sse` });
    const result = await pool.callTool(server, null, { name: 'echo', arguments: { message: 'over sse' } }, { timeoutMs: 10_000 });
    expect(text(result)).toBe('Echo: over sse');
    expect(pool.serverHealth(server).instances[0]!.transport).toBe('sse');
  });

  it('says the server is not running when nothing listens', async () => {
    const port = await freePort();
    const server = makeServer({ name: 'nobody', transport: 'http', url: `http://127.0.0.1:${port}/mcp` });
    await expect(pool.callTool(server, null, { name: 'echo' }, { timeoutMs: 5_000 })).rejects.toThrow(
      `downstream server "nobody" is not running at http://127.0.0.1:${port}/mcp (connection refused) — start it, or correct the server's url`,
    );
  });

  it('sends the server’s headers (with ${VAR} expanded) and the scope’s values as headers', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const listener = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(401, { 'content-type': 'text/plain' }).end('who are you');
    });
    const port = await freePort();
    await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
    try {
      const server = makeServer({ name: 'guarded', transport: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: { 'X-Team': '${TEAM}' } });
      await expect(pool.callTool(server, 'scope-1', { name: 'echo' }, { timeoutMs: 5_000 })).rejects.toThrow(
        /^downstream server "guarded": credentials rejected \(HTTP 401 Unauthorized\) at .* — check auth scope "scope-1" and the server's headers$/,
      );
      expect(seen[0]).toMatchObject({ 'x-team': 'blue', 'x-api-key': 'scope-secret' });
    } finally {
      listener.close();
    }
  });
});
