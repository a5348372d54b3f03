// Fault 5 of issue 14: after `kill -9` of the gateway, a child that ignores stdin EOF (and its
// children) kept running forever. The gateway records each process group it starts in its data
// dir (`children/<pgid>.json`), and the next gateway on the same home reaps what a dead gateway
// left: a leader still alive with its recorded start time, or the members a vanished leader left
// in its group. A record whose pid now belongs to another process is dropped, never acted on.
// Real gateways: `node dist/cli.js serve` as separate processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childrenOf, freePort, isRunning, waitFor } from '../fixtures/downstream-servers.js';
import { CLI, rawBody } from '../helpers/mcp.js';

const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-orphans-'));
const cleanup: Array<() => void> = [];
afterAll(() => {
  for (const step of cleanup) step();
  rmSync(home, { recursive: true, force: true });
});

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('MCPLEXER_')) env[key] = value;
  return { ...env, MCPLEXER_HOME: home };
}

/** Starts `mcplexer serve` on the shared home and waits until its health answers. */
async function serve(): Promise<{ proc: ChildProcess; url: string; token: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [CLI, 'serve', '--home', home, '--port', String(port)], { env: childEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr!.resume();
  cleanup.push(() => proc.exitCode === null && proc.signalCode === null && proc.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const up = await fetch(`${url}/api/v1/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error('the gateway did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { proc, url, token: readFileSync(path.join(home, 'api-token'), 'utf8').trim() };
}

async function api(gateway: { url: string; token: string }, method: string, apiPath: string, body?: unknown): Promise<any> {
  const res = await fetch(`${gateway.url}/api/v1${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

/** Starts a server's instance through discovery and answers its child pid and grandchild pid. */
async function startTree(gateway: { url: string; token: string }, namespace: string, flags: string[]): Promise<{ pid: number; grandchild: number }> {
  const server = await api(gateway, 'POST', '/downstreams', rawBody(namespace, ['--grandchild', ...flags]));
  await api(gateway, 'POST', `/downstreams/${server.id}/discover`);
  const health = await api(gateway, 'GET', `/downstreams/${server.id}/health`);
  const pid = health.instances[0].pid as number;
  let grandchild = 0;
  await waitFor(() => (grandchild = childrenOf(pid)[0] ?? 0) > 0, 5_000);
  cleanup.push(() => {
    for (const target of [-pid, grandchild]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone: what the test wants
      }
    }
  });
  return { pid, grandchild };
}

describe('process groups left by a gateway killed with SIGKILL', () => {
  it('are reaped by the next gateway on the same home; a record whose pid is someone else is dropped untouched', async () => {
    const first = await serve();
    const stubborn = await startTree(first, 'stubborn', ['--ignore-term']); // ignores SIGTERM and stdin EOF
    const leaderless = await startTree(first, 'leaderless', []); // exits on stdin EOF, its grandchild stays
    const records = () => readdirSync(path.join(home, 'children')).sort();
    expect(records()).toEqual([`${stubborn.pid}.json`, `${leaderless.pid}.json`].sort());

    // A record whose pid is alive but is not the process it names (a reused pid).
    const bystander = spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)'], { detached: true, stdio: 'ignore' });
    cleanup.push(() => bystander.kill('SIGKILL'));
    const forged = JSON.parse(readFileSync(path.join(home, 'children', `${stubborn.pid}.json`), 'utf8'));
    writeFileSync(path.join(home, 'children', `${bystander.pid}.json`), JSON.stringify({ ...forged, pgid: bystander.pid, start_time: '1' }));

    first.proc.kill('SIGKILL');
    await new Promise((resolve) => first.proc.once('exit', resolve));
    await waitFor(() => !isRunning(leaderless.pid), 5_000);
    // The fault: without a reaper these live on.
    expect(isRunning(stubborn.pid) && isRunning(stubborn.grandchild) && isRunning(leaderless.grandchild)).toBe(true);

    const second = await serve();
    try {
      await waitFor(() => ![stubborn.pid, stubborn.grandchild, leaderless.grandchild].some(isRunning), 10_000);
      expect(isRunning(bystander.pid!)).toBe(true);
      expect(records()).toEqual([]);
    } finally {
      second.proc.kill('SIGTERM');
      await new Promise((resolve) => second.proc.once('exit', resolve));
    }
    expect(existsSync(path.join(home, 'gateway.lock'))).toBe(false);
  }, 60_000);
});
