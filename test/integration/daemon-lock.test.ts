import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('takes over a stale lock whose pid is dead', async () => {
    const dir = home();
    writeFileSync(path.join(dir, 'gateway.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, port: 1, version: 'old', startedAt: '2020-01-01T00:00:00Z' }));
    const gateway = await startGateway({ dataDir: dir, port: 0, logger: silentLogger });
    running.push(gateway);
    expect(lockOf(dir)).toMatchObject({ pid: process.pid, port: gateway.port });
  });

  it('says the port is taken and uses the next free one, recorded in the lock', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const lines: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => void lines.push(message) };
    try {
      const dir = home();
      const gateway = await startGateway({ dataDir: dir, port: taken, logger });
      running.push(gateway);
      expect(gateway.port).toBeGreaterThan(taken);
      expect(lines.some((line) => line.includes(`port ${taken} is in use`))).toBe(true);
      expect(lockOf(dir).port).toBe(gateway.port);
      expect((await fetch(`${gateway.url}/api/v1/health`)).status).toBe(200);
    } finally {
      blocker.close();
    }
  });
});
