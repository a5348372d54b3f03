// audit.db after a crash: node-sqlite3-wasm locks the file with a directory (`audit.db.lock`) that
// a gateway killed with SIGKILL leaves behind. The next gateway must start (the lock is stale: its
// owner is dead) and find every record written before the crash; a lock whose owner is alive is
// respected and the second start fails with a message naming the file.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../fixtures/downstream-servers.js';
import { startTestGateway } from '../helpers/gateway.js';
import { CLI, everythingStdioBody } from '../helpers/mcp.js';

const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-audit-crash-'));
const procs: ChildProcess[] = [];
afterAll(() => {
  for (const proc of procs) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

async function serve(): Promise<{ proc: ChildProcess; url: string; token: string; stderr: () => string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('MCPLEXER_')) env[key] = value;
  const proc = spawn(process.execPath, [CLI, 'serve', '--home', home, '--port', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  procs.push(proc);
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`${url}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`the gateway did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { proc, url, token: readFileSync(path.join(home, 'api-token'), 'utf8').trim(), stderr: () => stderr };
}

const api = async (g: { url: string; token: string }, method: string, apiPath: string, body?: unknown): Promise<any> =>
  (
    await fetch(`${g.url}/api/v1${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${g.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  ).json();

describe('audit.db after a gateway killed with SIGKILL', () => {
  it('the next gateway starts and has every record written before the crash', async () => {
    const first = await serve();
    await api(first, 'POST', '/downstreams', everythingStdioBody('ev'));
    const client = new Client({ name: 'crash-it', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL('/mcp', first.url), { requestInit: { headers: { authorization: `Bearer ${first.token}` } } }),
    );
    for (const message of ['one', 'two', 'three']) await client.callTool({ name: 'ev__echo', arguments: { message } });
    const before = await api(first, 'GET', '/audit?tool_name=ev__echo'); // a page is read after its batch is written
    expect(before.total).toBe(3);
    first.proc.kill('SIGKILL');
    await new Promise((resolve) => first.proc.once('exit', resolve));
    await client.close().catch(() => undefined);
    expect(existsSync(path.join(home, 'audit.db.lock'))).toBe(true); // what the crash left

    const second = await serve();
    try {
      const after = await api(second, 'GET', '/audit?tool_name=ev__echo');
      expect(after.data.map((r: { params_redacted: { message: string } }) => r.params_redacted.message)).toEqual(['three', 'two', 'one']);
      expect(after.data.map((r: { id: string }) => r.id)).toEqual(before.data.map((r: { id: string }) => r.id));
    } finally {
      second.proc.kill('SIGTERM');
      await new Promise((resolve) => second.proc.once('exit', resolve));
    }
    expect(existsSync(path.join(home, 'audit.db.lock'))).toBe(false); // a clean stop releases it
  }, 90_000);

  it('a lock whose owner is alive is respected: a second gateway on the same home fails, naming the file', async () => {
    const first = await startTestGateway();
    try {
      await expect(startTestGateway({ home: first.home })).rejects.toThrow(/cannot open the audit database .*audit\.db: database is locked/);
      expect((await first.api('GET', '/audit')).status).toBe(200);
    } finally {
      await first.close();
    }
  });
});
