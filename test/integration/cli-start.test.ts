/**
 * How the CLI starts (issue 16's start to healthy): `dist/cli.js` runs `cli-bundle.js` from V8's
 * code cache beside it. The cache is written by the first run and taken by the next; it is never
 * taken for other code, even a rebuilt bundle of the same length (V8 itself checks only the
 * length); a damaged cache means a normal compile. And the CLI copied to a data dir (the stdio
 * bridge the extension keeps there) runs alone: `serve` from the copy opens its audit trail. A
 * daemon asked to stop the moment it answers health (while its audit trail may still be opening)
 * stops cleanly.
 * Real processes, the real loader, real files.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyCliToDataDir, stableCliPath } from '../../src/extension/cli-copy.js';
import { freePort } from '../fixtures/downstream-servers.js';
import { waitFor } from '../helpers/gateway.js';

const DIST = path.resolve('dist');
const ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MCPLEXER_')));
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const temp = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-cli-start-'));
  dirs.push(dir);
  return dir;
};

function run(cli: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: ENV, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.v8cache'));
const sha1 = (file: string) => createHash('sha1').update(readFileSync(file)).digest();

/** The real loader (dist/cli.js) beside a bundle of our own. */
function withBundle(source: string): { dir: string; cli: string; bundle: string } {
  const dir = temp();
  copyFileSync(path.join(DIST, 'cli.js'), path.join(dir, 'cli.js'));
  writeFileSync(path.join(dir, 'cli-bundle.js'), source);
  return { dir, cli: path.join(dir, 'cli.js'), bundle: path.join(dir, 'cli-bundle.js') };
}

describe('dist/cli.js runs the bundle from V8 code cache', () => {
  it('the first run writes the cache (the digest of the bundle, then V8 data); the next takes it and leaves it as it is', async () => {
    const { dir, cli, bundle } = withBundle(
      'const parts = ["cached", require("node:path").basename(__filename), typeof module.exports]; process.stdout.write(parts.join(" "));',
    );
    expect(cacheFiles(dir)).toEqual([]);
    const first = await run(cli, [], dir);
    expect(first).toMatchObject({ code: 0, stdout: 'cached cli-bundle.js object', stderr: '' });
    const [cache] = cacheFiles(dir);
    expect(cache).toBe(`cli-bundle.js.cli.${process.versions.v8}-${process.arch}.v8cache`);
    const cacheFile = path.join(dir, cache!);
    const made = readFileSync(cacheFile);
    expect(made.subarray(0, 20).equals(sha1(bundle))).toBe(true);
    expect(made.length).toBeGreaterThan(20);
    const madeAt = statSync(cacheFile).mtimeMs;

    const second = await run(cli, [], dir);
    expect(second).toMatchObject({ code: 0, stdout: 'cached cli-bundle.js object', stderr: '' });
    expect(readFileSync(cacheFile).equals(made)).toBe(true);
    expect(statSync(cacheFile).mtimeMs).toBe(madeAt); // taken, not written again
  });

  it.each([
    ['one letter changed', 'process.stdout.write("version A")', 'version A', 'process.stdout.write("version B")', 'version B'],
    ['a different function, same length', 'process.stdout.write(String(1 + 2))', '3', 'process.stdout.write(String(7 * 6))', '42'],
  ])('a rebuilt bundle of the same length runs its own code, never the cached one (%s)', async (_case, before, printed, after, printedAfter) => {
    expect(after.length).toBe(before.length);
    const { dir, cli, bundle } = withBundle(before);
    expect((await run(cli, [], dir)).stdout).toBe(printed);
    expect((await run(cli, [], dir)).stdout).toBe(printed); // from the cache
    writeFileSync(bundle, after);
    expect((await run(cli, [], dir)).stdout).toBe(printedAfter);
    const [cache] = cacheFiles(dir);
    expect(readFileSync(path.join(dir, cache!)).subarray(0, 20).equals(sha1(bundle))).toBe(true); // rewritten for the new bundle
    expect((await run(cli, [], dir)).stdout).toBe(printedAfter);
  });

  it.each([
    ['V8 data damaged behind the right digest', (digest: Buffer) => Buffer.concat([digest, Buffer.alloc(4096, 7)])],
    ['a truncated file', (digest: Buffer) => digest.subarray(0, 9)],
  ])('a damaged cache means a normal compile and a new cache (%s)', async (_case, damage) => {
    const { dir, cli, bundle } = withBundle('process.stdout.write("still runs")');
    const cacheFile = path.join(dir, `cli-bundle.js.cli.${process.versions.v8}-${process.arch}.v8cache`);
    const damaged = damage(sha1(bundle));
    writeFileSync(cacheFile, damaged);
    expect(await run(cli, [], dir)).toMatchObject({ code: 0, stdout: 'still runs', stderr: '' });
    const rewritten = readFileSync(cacheFile);
    expect(rewritten.equals(damaged)).toBe(false);
    expect(rewritten.subarray(0, 20).equals(sha1(bundle))).toBe(true);
    expect((await run(cli, [], dir)).stdout).toBe('still runs');
  });
});

/** `serve` from `cli` until health answers and `GET /audit` (its audit trail open) does, then SIGTERM; its exit code and stderr. */
async function serveUntilAuditAnswers(cli: string, home: string): Promise<{ code: number | null; stderr: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [cli, 'serve', '--home', home, '--port', String(port)], { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  try {
    const url = `http://127.0.0.1:${port}/api/v1`;
    await waitFor(
      () =>
        fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        ),
      20_000,
    );
    const token = readFileSync(path.join(home, 'api-token'), 'utf8').trim();
    const audit = await fetch(`${url}/audit`, { headers: { authorization: `Bearer ${token}` } });
    expect(audit.status).toBe(200);
    expect(await audit.json()).toMatchObject({ data: [], total: 0 });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  return { code: child.exitCode, stderr };
}

describe('the CLI copied to a data dir (the stdio bridge) runs alone', () => {
  it('serves from the copy: healthy, and its audit trail opens (the engine and its WebAssembly from beside the copy)', async () => {
    const home = temp();
    expect(await copyCliToDataDir(path.join(DIST, 'cli.js'), home)).toBe(true);
    const cli = stableCliPath(home);
    expect(cli.startsWith(home)).toBe(true);
    const { code, stderr } = await serveUntilAuditAnswers(cli, home);
    expect(code, stderr).toBe(0);
    expect(cacheFiles(path.dirname(cli))).toEqual([`cli-bundle.js.serve.${process.versions.v8}-${process.arch}.v8cache`]); // its own, beside it
  });

  // The daemon sets V8 flags for its WebAssembly (DAEMON_V8_FLAGS), and V8 stamps a code cache with
  // the flags it was made under: a cache made after they were set was rejected at every later start
  // (compiled again, written again at exit) until the loader set them before its compile.
  it("the daemon's next start takes the cache its last run wrote, with its audit trail opened both times", async () => {
    const home = temp();
    expect(await copyCliToDataDir(path.join(DIST, 'cli.js'), home)).toBe(true);
    const cli = stableCliPath(home);
    const first = await serveUntilAuditAnswers(cli, home);
    expect(first.code, first.stderr).toBe(0);
    const cacheFile = path.join(path.dirname(cli), `cli-bundle.js.serve.${process.versions.v8}-${process.arch}.v8cache`);
    const made = readFileSync(cacheFile);
    const madeAt = statSync(cacheFile).mtimeMs;
    const second = await serveUntilAuditAnswers(cli, home);
    expect(second.code, second.stderr).toBe(0);
    expect(statSync(cacheFile).mtimeMs).toBe(madeAt); // taken, not written again
    expect(readFileSync(cacheFile).equals(made)).toBe(true);
  });
});

describe('a daemon stopped the moment it is healthy', () => {
  it.each([['SIGTERM'], ['SIGINT']] as const)('%s at the first 200 from health: it stops cleanly (exit 0, lock and audit.db lock released)', async (signal) => {
    const home = temp();
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(DIST, 'cli.js'), 'serve', '--home', home, '--port', String(port)], {
      env: ENV,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // As the bench and a client that starts the daemon poll: every few ms, and act on the first answer.
    await waitFor(
      () =>
        fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
          (r) => r.ok,
          () => false,
        ),
      20_000,
      5,
    );
    child.kill(signal);
    await exited;
    expect({ code: child.exitCode, signal: child.signalCode }, stderr).toEqual({ code: 0, signal: null });
    expect(existsSync(path.join(home, 'gateway.lock'))).toBe(false);
    expect(existsSync(path.join(home, 'audit.db.lock'))).toBe(false);
  });
});
