/**
 * What the daemon's start leaves for later (issue 21's start to healthy): Node's fetch
 * implementation (undici, loaded by the first read of `globalThis.Request`, `Response`, `Headers`
 * or `fetch`: ~40 ms of a ~470 ms start on a slow 2-core machine) is not loaded until an MCP
 * request needs it. A preload marks the first read of any of them in a file; the real
 * `dist/cli.js serve` answers health without one, then an MCP session makes one (so the mark
 * works) and is served.
 * Real processes, the real CLI, real HTTP on loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../fixtures/downstream-servers.js';
import { waitFor } from '../helpers/gateway.js';

const CLI = path.resolve('dist/cli.js');
const ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MCPLEXER_')));
let child: ChildProcess | undefined;
let dir: string | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A preload that writes the stack of the first read of a fetch global to `markFile`. */
function preload(markFile: string): string {
  const file = path.join(dir!, 'mark-fetch-globals.cjs');
  writeFileSync(
    file,
    `const fs = require('node:fs');
for (const name of ['Request', 'Response', 'Headers', 'fetch']) {
  const own = Object.getOwnPropertyDescriptor(globalThis, name);
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: own.enumerable,
    get() {
      if (!fs.existsSync(${JSON.stringify(markFile)})) fs.writeFileSync(${JSON.stringify(markFile)}, name + '\\n' + new Error().stack);
      return own.get ? own.get.call(this) : own.value;
    },
    set(value) { Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: own.enumerable }); },
  });
}
`,
  );
  return file;
}

describe('the daemon start', () => {
  it('answers health without loading Node’s fetch (undici); the first MCP session loads it and is served', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-start-lazy-'));
    const mark = path.join(dir, 'fetch-globals-read');
    const port = await freePort();
    child = spawn(process.execPath, ['--require', preload(mark), CLI, 'serve', '--port', String(port)], {
      cwd: dir,
      env: { ...ENV, MCPLEXER_HOME: path.join(dir, 'home') },
      stdio: 'ignore',
    });
    const url = `http://127.0.0.1:${port}`;
    const healthy = await waitFor(async () => (await fetch(`${url}/api/v1/health`).catch(() => undefined))?.ok === true, 20_000, 25);
    expect(healthy).toBe(true);
    // The REST API answers too (a request with the token), still without it.
    const token = readFileSync(path.join(dir, 'home', 'api-token'), 'utf8').trim();
    expect((await fetch(`${url}/api/v1/downstreams`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(existsSync(mark) ? readFileSync(mark, 'utf8') : 'not read').toBe('not read');

    const client = new Client({ name: 'start-lazy-it', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('mcpx__flush_cache');
    await client.close();
    // The MCP transport reads them: the mark works, so its absence above means what it says.
    expect(existsSync(mark)).toBe(true);
  });
});
