import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyCliToDataDir, stableCliPath } from '../../../src/extension/cli-copy.js';

/** The bridge copied to the data dir must run on its own: cli.js, the bundle it runs, its map and the SQLite wasm loaded from beside it. */
describe('copyCliToDataDir', () => {
  const dirs: string[] = [];
  const temp = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-cli-copy-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A dist/ as esbuild.mjs lays it out, with stand-ins for the files. */
  const dist = (loader = "require('./cli-bundle.js')", bundle = 'console.log(1)') => {
    const dir = temp();
    writeFileSync(path.join(dir, 'cli.js'), loader);
    writeFileSync(path.join(dir, 'cli-bundle.js'), bundle);
    writeFileSync(path.join(dir, 'cli-bundle.js.map'), '{}');
    writeFileSync(path.join(dir, 'node-sqlite3-wasm.wasm'), Buffer.from([0, 97, 115, 109]));
    return path.join(dir, 'cli.js');
  };

  it('copies cli.js, the bundle it runs, its source map and node-sqlite3-wasm.wasm, then only when one of the two scripts changed', async () => {
    const cli = dist();
    const home = temp();
    expect(await copyCliToDataDir(cli, home)).toBe(true);
    const target = stableCliPath(home);
    const bin = path.dirname(target);
    expect(readFileSync(target, 'utf8')).toBe("require('./cli-bundle.js')");
    expect(readFileSync(path.join(bin, 'cli-bundle.js'), 'utf8')).toBe('console.log(1)');
    expect(existsSync(path.join(bin, 'cli-bundle.js.map'))).toBe(true);
    expect([...readFileSync(path.join(bin, 'node-sqlite3-wasm.wasm'))]).toEqual([0, 97, 115, 109]);
    expect(await copyCliToDataDir(cli, home)).toBe(false);
    // A new build changes the bundle and not cli.js: copied again.
    writeFileSync(path.join(path.dirname(cli), 'cli-bundle.js'), 'console.log(2)');
    expect(await copyCliToDataDir(cli, home)).toBe(true);
    expect(readFileSync(path.join(bin, 'cli-bundle.js'), 'utf8')).toBe('console.log(2)');
    // And the other way round.
    writeFileSync(cli, "require('./cli-bundle.js'); // v2");
    expect(await copyCliToDataDir(cli, home)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe("require('./cli-bundle.js'); // v2");
  });

  it('replaces a copy made when cli.js was the whole bundle (its map goes with it)', async () => {
    const home = temp();
    const target = stableCliPath(home);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, 'console.log("the old one-file bundle")');
    writeFileSync(`${target}.map`, '{}');
    expect(await copyCliToDataDir(dist(), home)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe("require('./cli-bundle.js')");
    expect(existsSync(`${target}.map`)).toBe(false);
  });

  it('fails when the wasm is missing (a bridge without it could not open audit.db), and leaves no cli.js behind', async () => {
    const cli = dist();
    rmSync(path.join(path.dirname(cli), 'node-sqlite3-wasm.wasm'));
    const home = temp();
    await expect(copyCliToDataDir(cli, home)).rejects.toThrow(/node-sqlite3-wasm\.wasm/);
    expect(existsSync(stableCliPath(home))).toBe(false);
  });

  it('fails when the bundle is missing, and leaves no cli.js behind', async () => {
    const cli = dist();
    rmSync(path.join(path.dirname(cli), 'cli-bundle.js'));
    const home = temp();
    await expect(copyCliToDataDir(cli, home)).rejects.toThrow(/cli-bundle\.js/);
    expect(existsSync(stableCliPath(home))).toBe(false);
  });
});
