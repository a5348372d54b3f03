import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyCliToDataDir, stableCliPath } from '../../../src/extension/cli-copy.js';

/** The bridge copied to the data dir must run on its own: the bundle, its map and the SQLite wasm it loads from beside it. */
describe('copyCliToDataDir', () => {
  const dirs: string[] = [];
  const temp = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-cli-copy-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('copies the bundle, its source map and node-sqlite3-wasm.wasm, then only when the bundle changed', async () => {
    const dist = temp();
    const home = temp();
    const cli = path.join(dist, 'cli.js');
    writeFileSync(cli, 'console.log(1)');
    writeFileSync(`${cli}.map`, '{}');
    writeFileSync(path.join(dist, 'node-sqlite3-wasm.wasm'), Buffer.from([0, 97, 115, 109]));
    expect(await copyCliToDataDir(cli, home)).toBe(true);
    const target = stableCliPath(home);
    expect(readFileSync(target, 'utf8')).toBe('console.log(1)');
    expect(existsSync(`${target}.map`)).toBe(true);
    expect([...readFileSync(path.join(path.dirname(target), 'node-sqlite3-wasm.wasm'))]).toEqual([0, 97, 115, 109]);
    expect(await copyCliToDataDir(cli, home)).toBe(false);
    writeFileSync(cli, 'console.log(2)');
    expect(await copyCliToDataDir(cli, home)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('console.log(2)');
  });

  it('fails when the wasm is missing (a bridge without it could not open audit.db), and leaves no bundle behind', async () => {
    const dist = temp();
    const home = temp();
    const cli = path.join(dist, 'cli.js');
    writeFileSync(cli, 'x');
    await expect(copyCliToDataDir(cli, home)).rejects.toThrow(/node-sqlite3-wasm\.wasm/);
    expect(existsSync(stableCliPath(home))).toBe(false);
  });
});
