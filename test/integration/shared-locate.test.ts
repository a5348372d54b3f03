/**
 * `src/shared/node`'s locate-or-start, as the extension uses it: with a runtime that is not a plain
 * `node` (VS Code's Electron; here a link to node under another name) the daemon is started with
 * `ELECTRON_RUN_AS_NODE=1`, detached, its output in `<dataDir>/gateway.log`; a second call finds
 * it (`started: false`); a daemon that exits before answering is an error quoting that log. Real
 * detached gateways (dist/cli.js), stopped through the shared RestClient.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPlainNode, locateGateway, locateOrStartGateway, readLock } from '../../src/shared/node/index.js';
import { RestClient } from '../../src/shared/rest-client.js';
import { waitFor } from '../helpers/gateway.js';

const CLI = path.resolve('dist/cli.js');
const ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MCPLEXER_') && key !== 'ELECTRON_RUN_AS_NODE'));
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
  });

  it('fails with the end of gateway.log when the daemon exits before it answers (a bad --config, a broken CLI)', async () => {
    const home = tempDir();
    const bad = path.join(home, 'bad.yaml');
    writeFileSync(bad, 'workspaces: [ {');
    await expect(locateOrStartGateway({ dataDir: home, cliPath: CLI, env: { ...ENV, MCPLEXER_CONFIG: bad }, args: ['--port', '0'] })).rejects.toThrow(
      new RegExp(`the MCPlexer gateway exited \\(code 1\\) before it answered; the end of ${path.join(home, 'gateway.log')}:\\n[^]*bad\\.yaml`),
    );
    const broken = path.join(home, 'broken-cli.mjs');
    writeFileSync(broken, 'console.error("boom: the cli is broken"); process.exit(3);\n');
    await expect(locateOrStartGateway({ dataDir: home, cliPath: broken, env: ENV })).rejects.toThrow(/exited \(code 3\)[^]*boom: the cli is broken/);
    expect(existsSync(path.join(home, 'gateway.lock'))).toBe(false);
  });
});
