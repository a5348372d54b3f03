/**
 * The CLI's ways into the browser dashboard, as a user runs them: `serve` prints the dashboard's
 * URL; `token` prints the API token (or says the gateway never started there); `open` gets a
 * one-time code from the running gateway and starts the browser (`$BROWSER`) on a private page
 * (0600, in the data dir) leading to a URL whose code the page can spend once — never on the URL,
 * since every local user can read an opener's arguments — or prints it with `--print`; with no
 * gateway it says so and exits 1.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { copyCliToDataDir, stableCliPath } from '../../src/shared/node/index.js';

const CLI = path.resolve('dist/cli.js');
const ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MCPLEXER_') && key !== 'BROWSER'));

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 30_000, env: { ...ENV, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const spend = (url: string, code: string) =>
  fetch(`${url}/ui/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ code }) });

let gw: TestGateway;
let scratch: string;
beforeAll(async () => {
  gw = await startTestGateway({ lock: true });
  scratch = mkdtempSync(path.join(tmpdir(), 'mcplexer-cli-dash-'));
});
afterAll(async () => {
  await gw?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('mcplexer token', () => {
  it('prints the token of the data dir', async () => {
    const result = await cli(['token', '--home', gw.home]);
    expect(result).toMatchObject({ code: 0, stdout: `${gw.token}\n` });
  });

  it('says the gateway never started in an empty data dir, and exits 1', async () => {
    const result = await cli(['token', '--home', scratch]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no API token in ${scratch}`);
    expect(result.stderr).toContain('serve');
  });
});

describe('mcplexer open', () => {
  it('--print prints the gateway URL with a one-time code the page can spend once', async () => {
    const result = await cli(['open', '--print', '--home', gw.home]);
    expect(result.code).toBe(0);
    const url = new URL(result.stdout.trim());
    expect(url.origin).toBe(gw.url);
    expect(result.stdout).not.toContain(gw.token);
    const code = url.searchParams.get('code')!;
    expect((await spend(gw.url, code)).status).toBe(200);
    expect((await spend(gw.url, code)).status).toBe(401);
  });

  it('starts $BROWSER on a private page that leads to that URL, never on the URL: its arguments hold no code', async () => {
    const record = path.join(scratch, 'opened.txt');
    const browser = path.join(scratch, 'browser.sh');
    // What every local user can read of the opener: its whole command line.
    writeFileSync(browser, `#!/bin/sh\ntr '\\0' ' ' < /proc/$$/cmdline > '${record}.tmp'; mv '${record}.tmp' '${record}'\n`);
    chmodSync(browser, 0o755);
    // A page left by an earlier open, long lapsed, goes.
    const stale = path.join(gw.home, 'open', 'dashboard-0000000000000000.html');
    await cli(['open', '--home', gw.home], { BROWSER: path.join(scratch, 'no-such-browser') });
    writeFileSync(stale, 'old', { mode: 0o600 });
    utimesSync(stale, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const result = await cli(['open', '--home', gw.home], { BROWSER: browser });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('opened the MCPlexer dashboard');
    const commandLine = await waitFor(() => {
      try {
        return readFileSync(record, 'utf8');
      } catch {
        return '';
      }
    });
    expect(commandLine).not.toContain('code=');
    expect(commandLine).not.toContain(gw.url);
    const page = fileURLToPath(/file:\/\/\S+/.exec(commandLine)![0]);
    expect(path.dirname(page)).toBe(path.join(gw.home, 'open'));
    expect(statSync(page).mode & 0o777).toBe(0o600);
    expect(() => statSync(stale)).toThrow();
    const link = /content="0;url=([^"]+)"/.exec(readFileSync(page, 'utf8'))![1]!;
    expect(new URL(link).origin).toBe(gw.url);
    // The terminal (the user's own) also has the link, for a browser that cannot read the data dir.
    expect(result.stdout).toContain(link);
    expect((await spend(gw.url, new URL(link).searchParams.get('code')!)).status).toBe(200);
  });

  it('prints the link when no browser can be started', async () => {
    const result = await cli(['open', '--home', gw.home], { BROWSER: path.join(scratch, 'no-such-browser') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('could not start a browser');
    expect(result.stdout).toMatch(new RegExp(`${gw.url}/\\?code=`));
  });

  it('prints the link when the opener runs but fails (xdg-open without a desktop exits 3)', async () => {
    const browser = path.join(scratch, 'failing-opener.sh');
    writeFileSync(browser, '#!/bin/sh\nexit 3\n');
    chmodSync(browser, 0o755);
    const result = await cli(['open', '--home', gw.home], { BROWSER: browser });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('could not start a browser');
    expect(result.stdout).not.toContain('opened the MCPlexer dashboard');
    expect(result.stdout).toMatch(new RegExp(`${gw.url}/\\?code=`));
  });

  it('says no gateway runs (exit 1) in a data dir without one', async () => {
    const result = await cli(['open', '--print', '--home', scratch]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no gateway running');
  });
});

describe('mcplexer serve', () => {
  it('prints the dashboard URL', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-serve-'));
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--home', home], { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    try {
      // Run as `node <path>/cli.js`, the hints name that command (no `mcplexer` on the PATH then),
      // with its absolute path and this data dir: read in gateway.log, they must work from anywhere.
      const line = await waitFor(
        () => /Dashboard: (http:\/\/127\.0\.0\.1:\d+\/) .*"(node \/\S*cli\.js token --home \S+)".*"node \/\S*cli\.js open --home \S+"/.exec(stderr),
        15_000,
      );
      expect(line).toBeTruthy();
      const [node, script, ...args] = line![2]!.split(' ');
      expect(node).toBe('node');
      const printed = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [script!, ...args], { cwd: tmpdir(), env: ENV }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
      );
      expect(printed.trim()).toBe(readFileSync(path.join(home, 'api-token'), 'utf8').trim());
      const page = await fetch(line![1]!);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('started from the editor’s copy of the CLI, names the stable copy in the data dir, which outlives an extension update', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-serve-stable-'));
    await copyCliToDataDir(CLI, home);
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--home', home], { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    try {
      const line = await waitFor(() => /Dashboard: \S+ .*"(node (\S+) token --home \S+)"/.exec(stderr), 15_000);
      expect(line![2]).toBe(stableCliPath(home));
      const [, script, ...args] = line![1]!.split(' ');
      const printed = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [script!, ...args], { cwd: tmpdir(), env: ENV }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
      );
      expect(printed.trim()).toBe(readFileSync(path.join(home, 'api-token'), 'utf8').trim());
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(home, { recursive: true, force: true });
    }
  });
});
