// `mcplexer connect` at the end of its input, and when it cannot start a gateway (a new user's
// trial): it answers every request it already read before it exits. The real CLI (dist/cli.js) is
// spawned with its stdin written and then ended, as `printf '…' | mcplexer connect` does, against
// a real gateway with real stdio servers (server-everything's slow tool, the raw fixture's hang
// and sampling tools), or with its port held by another program.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, CLI, everythingStdioBody, killStrayGateway, rawBody } from '../helpers/mcp.js';

const initialize = (id: number | string, capabilities: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 'eof', version: '1' } },
});
const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };
const call = (id: number, name: string, args: Record<string, unknown>) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

interface Run {
  code: number | null;
  /** Every message the bridge wrote, by id (responses only). */
  answers: Map<unknown, Record<string, any>>;
  stdout: string;
  stderr: string;
}

/**
 * Runs `connect` with `lines` on stdin, then ends stdin (unless `keepOpen`: then it is ended only
 * after the process exits by itself), and collects what it wrote until it exits.
 */
function runBridge(args: string[], lines: unknown[], options: { env?: Record<string, string>; cwd: string; keepOpen?: boolean }): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('MCPLEXER_')) env[name] = value;
  const child = spawn(process.execPath, [CLI, 'connect', ...args], { cwd: options.cwd, env: { ...env, ...options.env }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdin.on('error', () => undefined); // the bridge may exit before it reads everything
  child.stdin.write(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  if (!options.keepOpen) child.stdin.end();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bridge did not exit; stdout ${stdout}; stderr ${stderr}`));
    }, 60_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      const answers = new Map<unknown, Record<string, any>>();
      for (const line of stdout.split('\n').filter(Boolean)) {
        const message = JSON.parse(line) as Record<string, any>;
        if (message.method === undefined) answers.set(message.id, message);
      }
      resolve({ code, answers, stdout, stderr });
    });
  });
}

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(path.join(tmpdir(), 'mcplexer-eof-cwd-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('mcplexer connect at the end of its input', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ lock: true });
    await addServer(t, everythingStdioBody('ev'));
    await addServer(t, rawBody('raw'));
  }, 60_000);
  afterAll(async () => {
    if (t) killStrayGateway(t.home);
    await t?.close();
  });

  it('answers an initialize and a ping piped in at once (no wait for the answer), then exits 0', async () => {
    const run = await runBridge(['--home', t.home], [initialize(1), { jsonrpc: '2.0', id: 2, method: 'ping' }], { cwd });
    expect(run.code).toBe(0);
    expect(run.answers.get(1)?.result?.serverInfo?.name).toBe('mcplexer');
    expect(run.answers.get(2)).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
  });

  it('writes the result of a slow tools/call that was still running when stdin ended', async () => {
    const lines = [
      initialize(1),
      INITIALIZED,
      call(2, 'ev__trigger-long-running-operation', { duration: 1.5, steps: 3 }),
      { jsonrpc: '2.0', id: 3, method: 'tools/list' },
    ];
    const run = await runBridge(['--home', t.home], lines, { cwd });
    expect(run.code).toBe(0);
    expect(run.answers.get(2)?.result?.content?.[0]?.text).toContain('Steps: 3');
    expect(run.answers.get(3)?.result?.tools?.map((tool: { name: string }) => tool.name)).toContain('ev__echo');
  });

  it('answers a request the downstream makes of the client after stdin ended (the client cannot), so the call still ends', async () => {
    const run = await runBridge(['--home', t.home], [initialize(1, { sampling: {} }), INITIALIZED, call(2, 'raw__sample', { prompt: 'late' })], { cwd });
    expect(run.code).toBe(0);
    expect(run.answers.get(2)?.result?.content?.[0]?.text).toContain('the client closed its input');
  });

  it('answers a call the gateway never answers with an error naming MCPLEXER_CONNECT_EOF_TIMEOUT_SEC once it passes, then exits 0', async () => {
    const lines = [initialize(1), INITIALIZED, call(2, 'raw__hang', {}), { jsonrpc: '2.0', id: 3, method: 'ping' }];
    const run = await runBridge(['--home', t.home], lines, { cwd, env: { MCPLEXER_CONNECT_EOF_TIMEOUT_SEC: '1.5' } });
    expect(run.code).toBe(0);
    expect(run.answers.get(3)?.result).toEqual({});
    expect(run.answers.get(2)?.error?.code).toBe(-32001);
    expect(run.answers.get(2)?.error?.message).toBe(
      `no answer after the client closed stdin: the gateway at ${t.url} did not answer within 1.5 s (MCPLEXER_CONNECT_EOF_TIMEOUT_SEC)`,
    );
    expect(run.stderr).toMatch(/answered 1 request\(s\) with that error\n$/);
  });
});

describe('mcplexer connect when the gateway cannot start on a port another program holds', () => {
  let holder: Server;
  let port: number;
  beforeAll(async () => {
    holder = createServer((socket) => socket.destroy()); // the gateway's probe of who holds the port gets nothing
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  /** A fresh home whose gateway.log ends without a line break (a writer cut off), as a user's may. */
  function home(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-eof-home-'));
    writeFileSync(path.join(dir, 'gateway.log'), 'a line left unterminated', { mode: 0o600 });
    return dir;
  }

  function expectPortAnswers(run: Run, ids: number[], dir: string): void {
    expect(run.code).toBe(1);
    for (const id of ids) {
      const error = run.answers.get(id)?.error;
      expect(error?.code, `answer to ${id}: ${run.stdout}`).toBe(-32007);
      expect(error.message).toContain('mcplexer connect could not reach or start the MCPlexer gateway');
      expect(error.message).toContain(`port ${port} on 127.0.0.1 is in use by process pid ${process.pid}`);
      expect(error.message).toContain('choose another with --port or MCPLEXER_PORT, or stop what holds it');
    }
    // Every message on its own line. Only this start's lines are quoted, not an earlier writer's
    // cut-off one, which the log keeps on a line of its own.
    expect(run.stderr.endsWith('\n')).toBe(true);
    expect(run.stderr).not.toContain('a line left unterminated');
    expect(run.stderr).not.toMatch(/[^\n]mcplexer( connect)?:/);
    expect(readFileSync(path.join(dir, 'gateway.log'), 'utf8')).toMatch(/^a line left unterminated\nmcplexer: port \d+ on 127\.0\.0\.1 is in use/);
  }

  it('answers the initialize and the ping piped in (MCPLEXER_PORT held) with why and what to do, then exits 1', async () => {
    const dir = home();
    try {
      const lines = [initialize(1), { jsonrpc: '2.0', id: 2, method: 'ping' }, INITIALIZED];
      const run = await runBridge(['--home', dir], lines, { cwd, env: { MCPLEXER_PORT: String(port) } });
      expectPortAnswers(run, [1, 2], dir);
      expect(run.answers.size).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers a client that keeps stdin open too (--port held), and exits 1 without waiting for its end', async () => {
    const dir = home();
    try {
      const run = await runBridge(['--home', dir, '--port', String(port)], [initialize(7)], { cwd, keepOpen: true });
      expectPortAnswers(run, [7], dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
