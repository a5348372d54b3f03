import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PrivateJsonFile } from './private-json-file.js';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-private-json-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const mode = (file: string) => statSync(file).mode & 0o777;

describe('config.json’s writes', () => {
  it('write JSON with two spaces through a temp file, leaving the file 0600 and no temp behind', async () => {
    const dir = scratch();
    const file = path.join(dir, 'config.json');
    const adapter = new PrivateJsonFile<{ a: number }>(file);
    expect(await adapter.read()).toBeNull();
    await adapter.write({ a: 1 });
    expect(readFileSync(file, 'utf8')).toBe('{\n  "a": 1\n}');
    expect(mode(file)).toBe(0o600);
    expect(existsSync(path.join(dir, '.config.json.tmp'))).toBe(false);
    expect(await adapter.read()).toEqual({ a: 1 });
  });

  // What a kill -9 between the write and the rename leaves: a failed rename stands for it.
  it('never hold the text in a readable temp file, even one an older version left at 0644', async () => {
    const dir = scratch();
    const file = path.join(dir, 'config.json');
    mkdirSync(file); // the rename cannot replace a directory
    const temp = path.join(dir, '.config.json.tmp');
    writeFileSync(temp, 'old', { mode: 0o644 });
    expect(mode(temp)).toBe(0o644);
    await expect(new PrivateJsonFile(file).write({ secret: 'x' })).rejects.toThrow();
    expect(readFileSync(temp, 'utf8')).toContain('secret');
    expect(mode(temp)).toBe(0o600);
  });
});
