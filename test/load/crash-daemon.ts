/**
 * The real daemon for the crash and leak cases: `node dist/cli.js serve --home <home> --port <port>`
 * as a child process (so it can be killed with SIGKILL and its RSS read from /proc), its REST API
 * with the token, and raw MCP requests over fetch.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../fixtures/downstream-servers.js';
import { CLI } from '../helpers/mcp.js';

export interface Daemon {
  proc: ChildProcess;
  pid: number;
  port: number;
  url: string;
  token: string;
  home: string;
  stderr(): string;
  /** `/api/v1<path>` with the token; the parsed JSON body (undefined when there is none) and the status. */
  api<T = any>(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** SIGKILL, then waits for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM (a clean stop), then waits for the exit. */
  stop(): Promise<void>;
}

/** The environment of this process without any MCPLEXER_* (the developer's own never leak in), plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('MCPLEXER_')) env[key] = value;
  return { ...env, ...extra };
}

/** Starts the daemon on `home` (a fresh free port unless given) and waits until health answers with the token. */
export async function serveDaemon(home: string, options: { port?: number; env?: Record<string, string> } = {}): Promise<Daemon> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.mjs"`);
  const port = options.port ?? (await freePort());
  const proc = spawn(process.execPath, [CLI, 'serve', '--home', home, '--port', String(port)], {
    env: cleanEnv(options.env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  let token = '';
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`the gateway exited before it answered: ${stderr}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`the gateway did not answer within 60 s: ${stderr}`);
    }
    try {
      token ||= readFileSync(path.join(home, 'api-token'), 'utf8').trim();
      const health = await fetch(`${url}/api/v1/health`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await health.json()) as { data_dir?: string };
      if (health.ok && body.data_dir) break;
    } catch {
      // not listening yet, or the token file not written yet: poll again
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const api = async <T>(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${url}/api/v1${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const signal = async (name: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(name);
    await exited;
  };
  return {
    proc,
    pid: proc.pid!,
    port,
    url,
    token,
    home,
    stderr: () => stderr,
    api,
    kill9: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}

/** A process's resident set size in MiB, from /proc/<pid>/status (VmRSS). */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** The daemon's active MCP sessions (the dashboard snapshot's `active_sessions`). */
export async function activeSessions(d: Daemon): Promise<number> {
  const res = await d.api<{ active_sessions: number }>('GET', '/dashboard?range=1h');
  if (res.status !== 200) throw new Error(`GET /dashboard → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.active_sessions;
}
