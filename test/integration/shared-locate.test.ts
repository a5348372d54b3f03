/**
 * `src/shared/node`'s locate-or-start, as the extension uses it: with a runtime that is not a plain
 * `node` (VS Code's Electron; here a link to node under another name) the daemon is started with
 * `ELECTRON_RUN_AS_NODE=1`, detached, with the daemon's start flags before its script, its output in `<dataDir>/gateway.log`; a second call finds
 * it (`started: false`); a daemon that exits before answering is an error quoting that log. Real
 * detached gateways (dist/cli.js), stopped through the shared RestClient.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { findGateway, isPlainNode, locateGateway, locateOrStartGateway, readLock } from '../../src/shared/node/index.js';
import { DAEMON_START_FLAGS } from '../../src/shared/daemon-v8-flags.js';
import { RestClient } from '../../src/shared/rest-client.js';
import { startTestGateway, waitFor } from '../helpers/gateway.js';

const CLI = path.resolve('dist/cli.js');
const execFileAsync = promisify(execFile);
const ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MCPLEXER_') && key !== 'ELECTRON_RUN_AS_NODE'));
/** A process's argv as the kernel holds it (`/proc/<pid>/cmdline`). */
const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-locate-'));
  dirs.push(dir);
  return dir;
};

afterEach(async () => {
  for (const dir of dirs.splice(0)) {
    const found = await locateGateway({ dataDir: dir });
    if (found) {
      await new RestClient(found.url, found.token).shutdown();
      await waitFor(() => readLock(dir) === undefined, 10_000);
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('isPlainNode', () => {
  it('tells node binaries from other runtimes by name', () => {
    for (const name of ['/usr/bin/node', 'C:\\nodejs\\node.exe', '/opt/nodejs', process.execPath]) expect(isPlainNode(name)).toBe(true);
    for (const name of ['/usr/share/code/code', '/Applications/Code Helper (Plugin)', 'C:\\Code\\Code.exe', '/x/node-gyp'])
      expect(isPlainNode(name)).toBe(false);
  });
});

describe('findGateway: the lock names a port, but only the gateway of this data dir counts', () => {
  /** A data dir whose lock names a live pid (this process) and `port`, as a daemon still starting or a stale lock would. */
  function homeWithLock(port: number): string {
    const home = tempDir();
    writeFileSync(path.join(home, 'api-token'), 'a'.repeat(43) + '\n');
    writeFileSync(path.join(home, 'gateway.lock'), JSON.stringify({ pid: process.pid, port, version: '0', startedAt: new Date().toISOString() }));
    return home;
  }

  it('is not found when another gateway (another data dir, another token) answers on that port', async () => {
    const other = await startTestGateway({ lock: true });
    try {
      const home = homeWithLock(other.gw.port);
      const found = await findGateway(home);
      expect(found).toEqual({ missing: expect.stringContaining(`on port ${other.gw.port}, where another gateway or program answers, not the one of ${home}`) });
      // The other gateway's own data dir finds it.
      expect(await findGateway(other.home)).toMatchObject({ gateway: { url: other.url, token: other.token } });
    } finally {
      await other.close();
    }
  });

  it('is not found when a program that is no gateway answers 200 to everything on that port', async () => {
    const imposter = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
    await new Promise<void>((resolve) => imposter.listen(0, '127.0.0.1', resolve));
    try {
      const port = (imposter.address() as AddressInfo).port;
      expect(await findGateway(homeWithLock(port))).toEqual({ missing: expect.stringContaining('where another gateway or program answers') });
    } finally {
      imposter.closeAllConnections();
      await new Promise((resolve) => imposter.close(resolve));
    }
  });

  it('never sends the token to whatever holds the port: a program answering as this data dir gets no Authorization, from findGateway, `status` or `open --print`', async () => {
    // A security trial: a program that took the lock's port (after a crash; another local user)
    // answered health with this data dir and was handed the token by the CLI and the stdio bridge.
    const seen: Array<string | undefined> = [];
    let home = '';
    const imposter = createServer((req, res) => {
      seen.push(req.headers.authorization);
      const proof = req.headers['x-mcplexer-challenge'] ? { proof: 'A'.repeat(43) } : {};
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', version: '0.1.0', data_dir: home, ...proof }));
    });
    await new Promise<void>((resolve) => imposter.listen(0, '127.0.0.1', resolve));
    try {
      home = homeWithLock((imposter.address() as AddressInfo).port);
      expect(await findGateway(home)).toEqual({ missing: expect.stringContaining('where another gateway or program answers') });
      for (const args of [['status'], ['open', '--print']]) {
        // Not spawnSync: the imposter answers from this process's event loop.
        const run = await execFileAsync(process.execPath, [CLI, ...args], { env: { ...ENV, MCPLEXER_HOME: home }, timeout: 20_000 }).then(
          () => ({ code: 0, output: '' }),
          (error: { code?: number; stderr?: string }) => ({ code: error.code, output: error.stderr ?? '' }),
        );
        expect(run.code, args.join(' ')).toBe(1);
        expect(run.output).toContain('where another gateway or program answers');
      }
      expect(seen.length).toBeGreaterThanOrEqual(3);
      expect(seen.filter((header) => header !== undefined)).toEqual([]);
    } finally {
      imposter.closeAllConnections();
      await new Promise((resolve) => imposter.close(resolve));
    }
  });

  it('a relay on another port that forwards the challenge to the real gateway and its proof back is not taken for it: no token reaches the relay (a second trial)', async () => {
    const gateway = await startTestGateway({ lock: true });
    const seen: Array<string | undefined> = [];
    const relay = createServer((req, res) => {
      seen.push(req.headers.authorization);
      const challenge = String(req.headers['x-mcplexer-challenge'] ?? '');
      void fetch(`${gateway.url}/api/v1/health`, { headers: challenge ? { 'x-mcplexer-challenge': challenge } : {} })
        .then((answer) => answer.text())
        .then((body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const home = homeWithLock((relay.address() as AddressInfo).port);
      writeFileSync(path.join(home, 'api-token'), `${gateway.token}\n`);
      expect(await findGateway(home)).toEqual({ missing: expect.stringContaining('where another gateway or program answers') });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((header) => header !== undefined)).toEqual([]);
    } finally {
      relay.closeAllConnections();
      await new Promise((resolve) => relay.close(resolve));
      await gateway.close();
    }
  });

  it('finds a real gateway by its proof alone; the proof changes with the challenge and a wrong challenge is a 400', async () => {
    const gateway = await startTestGateway({ lock: true });
    try {
      expect(await findGateway(gateway.home)).toMatchObject({ gateway: { url: gateway.url, token: gateway.token } });
      const proofFor = async (challenge: string) => {
        const response = await fetch(`${gateway.url}/api/v1/health`, { headers: { 'x-mcplexer-challenge': challenge } });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const challenge = 'c'.repeat(32);
      const answer = await proofFor(challenge);
      expect(answer.body.proof).toBe(
        createHmac('sha256', gateway.token)
          .update(`mcplexer-health-proof-v2\n${new URL(gateway.url).port}\n${challenge}`)
          .digest('base64url'),
      );
      expect(answer.body).not.toHaveProperty('data_dir');
      expect((await proofFor('d'.repeat(32))).body.proof).not.toBe(answer.body.proof);
      for (const bad of ['short', 'x'.repeat(129), 'has spaces in it here']) {
        const refused = await proofFor(bad);
        expect(refused.status, bad).toBe(400);
        expect(JSON.stringify(refused.body)).toContain('X-MCPlexer-Challenge');
      }
    } finally {
      await gateway.close();
    }
  });

  it('is not found (still starting) when the lock is there but the token not yet', async () => {
    const home = homeWithLock(1);
    rmSync(path.join(home, 'api-token'));
    expect(await findGateway(home)).toEqual({ missing: expect.stringContaining('has no api-token: it is still starting') });
  });
});

describe('locateOrStartGateway', () => {
  it('starts the daemon with a non-node runtime under ELECTRON_RUN_AS_NODE=1, detached, logging to gateway.log; then finds it', async () => {
    const home = tempDir();
    const bin = tempDir();
    const electronLike = path.join(bin, 'code-helper');
    symlinkSync(process.execPath, electronLike);
    expect(await locateGateway({ dataDir: home })).toBeUndefined();

    const started = await locateOrStartGateway({ dataDir: home, cliPath: CLI, execPath: electronLike, env: ENV, args: ['--port', '0'] });
    expect(started.started).toBe(true);
    expect(started.url).toBe(`http://127.0.0.1:${started.lock.port}`);
    expect(started.lock.pid).not.toBe(process.pid);
    const environ = readFileSync(`/proc/${started.lock.pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain('ELECTRON_RUN_AS_NODE=1');
    expect(commandLine(started.lock.pid).slice(0, DAEMON_START_FLAGS.length + 3)).toEqual([electronLike, ...DAEMON_START_FLAGS, CLI, 'serve']);
    // Detached: its own process group (field 5 of /proc/<pid>/stat is the group id).
    const stat = readFileSync(`/proc/${started.lock.pid}/stat`, 'utf8');
    expect(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])).toBe(started.lock.pid);
    expect(readFileSync(path.join(home, 'gateway.log'), 'utf8')).toContain(`MCPlexer ${started.url}`);
    expect((await new RestClient(started.url, started.token).health()).data_dir).toBe(home);

    const again = await locateOrStartGateway({ dataDir: home, cliPath: CLI, execPath: electronLike, env: ENV });
    expect(again).toEqual({ ...started, started: false });
  });

  it('with plain node, leaves ELECTRON_RUN_AS_NODE unset', async () => {
    const home = tempDir();
    const started = await locateOrStartGateway({ dataDir: home, cliPath: CLI, env: ENV, args: ['--port', '0'] });
    expect(
      readFileSync(`/proc/${started.lock.pid}/environ`, 'utf8')
        .split('\0')
        .filter((v) => v.startsWith('ELECTRON_RUN_AS_NODE=')),
    ).toEqual([]);
    expect(commandLine(started.lock.pid).slice(0, DAEMON_START_FLAGS.length + 3)).toEqual([process.execPath, ...DAEMON_START_FLAGS, CLI, 'serve']);
  });

  it('fails quoting what this start wrote to gateway.log when the daemon exits before it answers (a bad --config, a broken CLI)', async () => {
    const home = tempDir();
    const bad = path.join(home, 'bad.yaml');
    writeFileSync(bad, 'workspaces: [ {');
    await expect(locateOrStartGateway({ dataDir: home, cliPath: CLI, env: { ...ENV, MCPLEXER_CONFIG: bad }, args: ['--port', '0'] })).rejects.toThrow(
      new RegExp(`the MCPlexer gateway exited \\(code 1\\) before it answered; what it wrote to ${path.join(home, 'gateway.log')}:\\n[^]*bad\\.yaml`),
    );
    // The log holds an earlier run's lines (a gateway that once listened): they are not quoted.
    appendFileSync(path.join(home, 'gateway.log'), '{"msg":"gateway listening","url":"http://127.0.0.1:1"}\n');
    const broken = path.join(home, 'broken-cli.mjs');
    writeFileSync(broken, 'console.error("boom: the cli is broken"); process.exit(3);\n');
    const failed = await locateOrStartGateway({ dataDir: home, cliPath: broken, env: ENV }).catch((error: Error) => error);
    expect((failed as Error).message).toMatch(/exited \(code 3\) before it answered; what it wrote to [^\n]*:\nboom: the cli is broken$/);
    // A start that wrote nothing says so.
    const silent = path.join(home, 'silent-cli.mjs');
    writeFileSync(silent, 'process.exit(4);\n');
    await expect(locateOrStartGateway({ dataDir: home, cliPath: silent, env: ENV })).rejects.toThrow(
      /exited \(code 4\)[^]*\(nothing: it wrote no line before it ended\)$/,
    );
    expect(existsSync(path.join(home, 'gateway.lock'))).toBe(false);
  });

  it('a daemon still running when the wait ends is not said to have ended: "it still runs as pid N", "(nothing yet)"', async () => {
    const home = tempDir();
    const waiting = path.join(home, 'waiting-cli.mjs');
    writeFileSync(waiting, 'setTimeout(() => {}, 5000);\n');
    const failed = await locateOrStartGateway({ dataDir: home, cliPath: waiting, env: ENV, timeoutMs: 600 }).catch((error: Error) => error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/did not answer within 0\.6 s \(it still runs as pid \d+\)[^]*\(nothing yet\)$/);
    const pid = Number(/pid (\d+)/.exec((failed as Error).message)![1]);
    process.kill(pid, 'SIGTERM');
  });
});
