/**
 * The CLI as a new user meets it: `status` and `dry-run` never start a gateway unasked (they say
 * none runs and exit 1; `--start` opts in), `stop` stops the running one through the REST API and
 * waits for its lock, and a gateway started on demand (`status --start`, `connect`) runs with the
 * `--config` and `--port` the last one had. Real detached gateways, real files.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/gateway.js';

const CLI = path.resolve('dist/cli.js');
const homes: string[] = [];
const children: ChildProcess[] = [];
const ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MCPLEXER_')));

const lockOf = (home: string) => JSON.parse(readFileSync(path.join(home, 'gateway.lock'), 'utf8'));
function newHome(): string {
  const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-cli-'));
  homes.push(home);
  return home;
}

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  // Gateways started detached by the tests: ask each to stop, as a user would.
  for (const home of homes.splice(0)) if (existsSync(path.join(home, 'gateway.lock'))) await cli(['stop', '--home', home]);
});

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 30_000, env: { ...ENV, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const YAML = `workspaces:
  - name: recorded
    root_path: /tmp/recorded
`;

describe('serve with a data dir that is a file', () => {
  it('says the data dir is not a directory and what to give instead, exit 1 (it said only EEXIST)', async () => {
    const file = path.join(newHome(), 'not-a-dir');
    writeFileSync(file, 'x');
    for (const home of [file, path.join(file, 'sub')]) {
      const result = await cli(['serve', '--port', '0', '--home', home]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`the data dir ${home} is not a directory (a file is in the way); give --home (or MCPLEXER_HOME) a directory`);
    }
  });
});

describe('no gateway is started unasked', () => {
  it('status and dry-run say no gateway runs, name the lock they looked for, exit 1, and start nothing', async () => {
    const home = newHome();
    for (const args of [['status'], ['status', '--json'], ['dry-run', 'global', 'mcpx__search_tools']]) {
      const result = await cli([...args, '--home', home]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`no gateway running (looked for ${path.join(home, 'gateway.lock')})`);
      expect(result.stderr).toContain('--start');
    }
    expect(existsSync(path.join(home, 'gateway.lock'))).toBe(false);
    expect(existsSync(path.join(home, 'api-token'))).toBe(false);
  });

  it('a stale lock (its pid is dead) is no gateway either, and the message says why', async () => {
    const home = newHome();
    writeFileSync(path.join(home, 'gateway.lock'), JSON.stringify({ pid: 2 ** 22 + 4321, port: 1, version: 'old', startedAt: '2020-01-01T00:00:00Z' }));
    const result = await cli(['status', '--home', home]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no gateway running (${path.join(home, 'gateway.lock')} names pid ${2 ** 22 + 4321}, which is not running)`);
  });

  it('stop with no gateway running exits 1 and says so', async () => {
    const home = newHome();
    const result = await cli(['stop', '--home', home]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no gateway running (looked for ${path.join(home, 'gateway.lock')})`);
  });
});

describe('status --start, stop, and the recorded launch', { timeout: 60_000 }, () => {
  it('status --start starts a gateway; stop stops it, waits for its lock and the process to go', async () => {
    const home = newHome();
    const started = await cli(['status', '--start', '--home', home]);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/^MCPlexer .* at http:\/\/127\.0\.0\.1:\d+: ok/);
    const { pid } = lockOf(home);
    expect((await cli(['status', '--home', home])).code).toBe(0);
    const stopped = await cli(['stop', '--home', home]);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`stopped the MCPlexer gateway (pid ${pid})`);
    expect(existsSync(path.join(home, 'gateway.lock'))).toBe(false);
    expect(await waitFor(() => !processAlive(pid), 5000)).toBe(true);
    expect((await cli(['status', '--home', home])).code).toBe(1);
  });

  it('a gateway started by status --start runs with the --config and --port of the last one', async () => {
    const home = newHome();
    const file = path.join(home, 'mcplexer.yaml');
    writeFileSync(file, YAML);
    const port = await freePort();
    const serve = spawn(process.execPath, [CLI, 'serve', '--home', home, '--config', file, '--port', String(port)], { env: ENV, stdio: 'ignore' });
    children.push(serve);
    expect(await waitFor(() => existsSync(path.join(home, 'gateway.lock')) && lockOf(home).port === port, 15_000)).toBe(true);
    expect(lockOf(home).configFile).toBe(file);
    expect((await cli(['stop', '--home', home])).code).toBe(0);

    const again = await cli(['status', '--start', '--home', home, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).http_addr).toBe(`127.0.0.1:${port}`);
    expect(lockOf(home)).toMatchObject({ port, configFile: file });
    const token = readFileSync(path.join(home, 'api-token'), 'utf8').trim();
    const workspaces = await fetch(`http://127.0.0.1:${port}/api/v1/workspaces`, { headers: { authorization: `Bearer ${token}` } }).then(
      (r) => r.json() as Promise<Array<{ name: string }>>,
    );
    expect(workspaces.map((w) => w.name)).toContain('recorded');
  });

  it('a gateway started by connect does the same (the YAML file of the last run, not an empty config)', async () => {
    const home = newHome();
    const file = path.join(home, 'other.yaml');
    writeFileSync(file, YAML.replace('recorded', 'via-connect'));
    const first = await cli(['status', '--start', '--home', home], { MCPLEXER_CONFIG: file });
    expect(first, first.stderr).toMatchObject({ code: 0 });
    expect(lockOf(home).configFile).toBe(file);
    expect((await cli(['stop', '--home', home])).code).toBe(0);

    const connect = spawn(process.execPath, [CLI, 'connect', '--home', home], { env: ENV, stdio: ['pipe', 'ignore', 'ignore'] });
    children.push(connect);
    expect(await waitFor(() => existsSync(path.join(home, 'gateway.lock')) && lockOf(home).pid !== connect.pid, 15_000)).toBe(true);
    expect(lockOf(home).configFile).toBe(file);
    const status = await cli(['status', '--home', home, '--json']);
    expect(JSON.parse(status.stdout).status).toBe('ok');
  });
});

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
