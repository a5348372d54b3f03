/**
 * A real gateway as its own process (`node dist/cli.js serve`) for the load suite: its pid is what
 * /proc is read for (RSS, its process tree), a fresh temp home, a free port, the REST API with its
 * token, and a stop that sends SIGTERM (the daemon's clean shutdown) and waits for the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../fixtures/downstream-servers.js';
import { CLI } from '../../helpers/mcp.js';

export interface ServedGateway {
  proc: ChildProcess;
  pid: number;
  url: string;
  token: string;
  home: string;
  /** What the gateway wrote to stderr so far (its log lines). */
  stderr(): string;
  /** `/api/v1<apiPath>` with the token; the parsed JSON body (throws on a status ≥ 400). */
  api<T = any>(method: string, apiPath: string, body?: unknown): Promise<T>;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`); resolves with how it ended. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills it if it still runs and deletes its home. */
  cleanup(): void;
}

/** Starts `mcplexer serve --home <temp> --port <free>` and waits until health answers. */
export async function serveGateway(env: Record<string, string> = {}): Promise<ServedGateway> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.mjs" (npm run test:load builds it first)`);
  const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-load-'));
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('MCPLEXER_')) childEnv[key] = value;
  const proc = spawn(process.execPath, [CLI, 'serve', '--home', home, '--port', String(port)], {
    env: { ...childEnv, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-1_000_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${url}/api/v1/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (up && existsSync(path.join(home, 'api-token'))) break;
    if (Date.now() > deadline || proc.exitCode !== null) {
      proc.kill('SIGKILL');
      throw new Error(`the gateway did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const token = readFileSync(path.join(home, 'api-token'), 'utf8').trim();
  const api = async <T>(method: string, apiPath: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/api/v1${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${apiPath} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const stop = async (graceMs = 30_000) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    const how = await exited;
    clearTimeout(timer);
    return how;
  };
  return {
    proc,
    pid: proc.pid!,
    url,
    token,
    home,
    stderr: () => stderr,
    api,
    stop,
    cleanup: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Every audit record matching `query` (e.g. `tool_name=ns__tool`), paged 500 at a time, oldest first. */
export async function allAuditRecords(gateway: ServedGateway, query: string): Promise<Array<Record<string, any>>> {
  const records: Array<Record<string, any>> = [];
  for (let offset = 0; ; offset += 500) {
    const page = await gateway.api<{ data: Array<Record<string, any>>; total: number }>('GET', `/audit?${query}&limit=500&offset=${offset}`);
    records.push(...page.data);
    if (page.data.length < 500 || records.length >= page.total) break;
  }
  return records.reverse();
}
