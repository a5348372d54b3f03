import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/index.js';
import { silentLogger } from '../../src/gateway/log.js';

const running: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((g) => g.stop()));
});

const CLI = path.resolve('dist/cli.js');
const home = () => mkdtempSync(path.join(tmpdir(), 'mcplexer-lock-'));
const lockOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'gateway.lock'), 'utf8'));

/** The lock `pid` wrote once it listens (its port is no longer 0). */
async function waitForLock(dir: string, pid: number): Promise<{ pid: number; port: number }> {
  for (let i = 0; i < 200; i++) {
    const lock = existsSync(path.join(dir, 'gateway.lock')) ? lockOf(dir) : undefined;
    if (lock?.pid === pid && lock.port !== 0) {
      try {
        await fetch(`http://127.0.0.1:${lock.port}/api/v1/health`);
        return lock;
      } catch {
        // not listening yet
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no lock of pid ${pid} in ${dir}`);
}

async function waitForHealth(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => undefined))?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`port ${port} does not answer health`);
}

describe('one gateway per data dir (gateway.lock)', () => {
  it('records pid, port and version, refuses a second gateway on the same home, and releases on stop', async () => {
    const dir = home();
    const first = await startGateway({ dataDir: dir, port: 0, logger: silentLogger });
    running.push(first);
    expect(lockOf(dir)).toMatchObject({ pid: process.pid, port: first.port, version: expect.any(String) });
    // Asynchronously: the first gateway lives in this process and must answer the second's health probe.
    const second = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, [CLI, 'serve', '--home', dir, '--port', '0'], { timeout: 20_000 }, (error, _stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
      );
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`already runs at http://127.0.0.1:${first.port}`);
    expect(lockOf(dir).pid).toBe(process.pid);
    await first.stop();
    running.pop();
    expect(() => readFileSync(path.join(dir, 'gateway.lock'))).toThrow(/ENOENT/);
  });

  it('waits for a live holder that is still starting and refuses once it answers: its lock is never taken (a trial: a second serve took it, then deleted it)', async () => {
    const dir = home();
    // A stand-in gateway that takes a while to listen, as one loading a large config does.
    const script = `const http = require('node:http');
      const server = http.createServer((req, res) => res.writeHead(req.url === '/api/v1/health' ? 200 : 404).end('{}'));
      setTimeout(() => server.listen(0, '127.0.0.1', () => {
        const port = server.address().port;
        require('node:fs').writeFileSync(process.argv[1], JSON.stringify({ pid: process.pid, port, version: 'x', startedAt: new Date().toISOString() }));
      }), 1500);
      setTimeout(() => process.exit(0), 20000);`;
    const lockFile = path.join(dir, 'gateway.lock');
    const holder = spawn(process.execPath, ['-e', script, lockFile], { stdio: 'ignore' });
    try {
      writeFileSync(lockFile, JSON.stringify({ pid: holder.pid, port: 1, version: 'x', startedAt: new Date().toISOString() }));
      await expect(startGateway({ dataDir: dir, port: 0, logger: silentLogger })).rejects.toThrow(/already runs at/);
      expect(lockOf(dir).pid).toBe(holder.pid);
    } finally {
      holder.kill();
    }
  });

  it('gives the lock back to a stopped gateway it could not replace, and says how to end it (a trial: the lock was deleted, and the resumed gateway ran unseen)', async () => {
    const dir = home();
    const daemon = spawn(process.execPath, [CLI, 'serve', '--home', dir, '--port', '0'], { stdio: 'ignore' });
    try {
      const lock = await waitForLock(dir, daemon.pid!);
      await waitForHealth(lock.port);
      process.kill(daemon.pid!, 'SIGSTOP');
      // Takes the lock over after the grace, then cannot listen on the port the stopped one holds.
      await expect(startGateway({ dataDir: dir, port: lock.port, lockGraceMs: 300, logger: silentLogger })).rejects.toThrow(
        new RegExp(
          `pid ${daemon.pid}, port ${lock.port}\\) still runs but has not answered .* End it \\(kill ${daemon.pid}.*This start failed: port ${lock.port}`,
        ),
      );
      expect(lockOf(dir)).toEqual(lock);
      process.kill(daemon.pid!, 'SIGCONT');
      await waitForHealth(lock.port);
    } finally {
      process.kill(daemon.pid!, 'SIGCONT');
      daemon.kill('SIGTERM');
      await new Promise((resolve) => daemon.once('exit', resolve));
    }
  });

  it('takes over a stale lock whose pid is dead', async () => {
    const dir = home();
    writeFileSync(path.join(dir, 'gateway.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, port: 1, version: 'old', startedAt: '2020-01-01T00:00:00Z' }));
    const gateway = await startGateway({ dataDir: dir, port: 0, logger: silentLogger });
    running.push(gateway);
    expect(lockOf(dir)).toMatchObject({ pid: process.pid, port: gateway.port });
  });

  it('from the default port: says the port is taken and uses the next free one, recorded in the lock', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const lines: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => void lines.push(message) };
    try {
      const dir = home();
      const gateway = await startGateway({ dataDir: dir, port: taken, portFallback: true, logger });
      running.push(gateway);
      expect(gateway.port).toBeGreaterThan(taken);
      expect(lines.some((line) => line.includes(`port ${taken} is in use`))).toBe(true);
      expect(lockOf(dir).port).toBe(gateway.port);
      expect((await fetch(`${gateway.url}/api/v1/health`)).status).toBe(200);
    } finally {
      blocker.close();
    }
  });

  it('an explicit port that is taken is an error naming the port and its holder, and the failed start leaves no lock', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const dir = home();
      await expect(startGateway({ dataDir: dir, port: taken, logger: silentLogger })).rejects.toThrow(
        new RegExp(`port ${taken} on 127\\.0\\.0\\.1 is in use by process pid ${process.pid}: .*--port or MCPLEXER_PORT`),
      );
      expect(existsSync(path.join(dir, 'gateway.lock'))).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('the same through the CLI, with --port and with MCPLEXER_PORT: exit 1, the holder named (another MCPlexer gateway), no lock', async () => {
    const other = await startGateway({ dataDir: home(), port: 0, lock: false, logger: silentLogger });
    running.push(other);
    for (const [args, env] of [
      [['--port', String(other.port)], {}],
      [[], { MCPLEXER_PORT: String(other.port) }],
    ] as Array<[string[], Record<string, string>]>) {
      const dir = home();
      const result = await run([CLI, 'serve', '--home', dir, ...args], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`port ${other.port} on 127.0.0.1 is in use by an MCPlexer gateway (version`);
      expect(result.stderr).toContain(`pid ${process.pid}`);
      expect(existsSync(path.join(dir, 'gateway.lock'))).toBe(false);
    }
  });

  it('a start that fails for another reason (a broken YAML config) releases its lock too', async () => {
    const dir = home();
    const yaml = path.join(dir, 'bad.yaml');
    writeFileSync(yaml, 'downstreams:\n  - name: x\n    namespace: "Bad__ns"\n    command: x\n');
    await expect(startGateway({ dataDir: dir, port: 0, configFile: yaml, logger: silentLogger })).rejects.toThrow(/namespace/);
    expect(existsSync(path.join(dir, 'gateway.lock'))).toBe(false);
    const result = await run([CLI, 'serve', '--home', dir, '--port', '0', '--config', yaml], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bad.yaml, line 3: downstreams[0]');
    expect(existsSync(path.join(dir, 'gateway.lock'))).toBe(false);
  });
});

/** Runs node asynchronously (a gateway it talks to may live in this process), with only `env` as MCPLEXER_* settings. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MCPLEXER_')));
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: 20_000, env: { ...base, ...env } }, (error, _stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
    );
  });
}
