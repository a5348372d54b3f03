import { chmodSync, chownSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { tightenDataDir } from './permissions.js';

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

function home(files: Record<string, number>, dirMode = 0o700): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'mcplexer-perm-')), 'home');
  mkdirSync(dir);
  for (const [name, fileMode] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), 'x');
    chmodSync(path.join(dir, name), fileMode);
  }
  chmodSync(dir, dirMode);
  return dir;
}

function collect() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, logger: createLogger('info', (line) => void lines.push(JSON.parse(line))) };
}

describe('tightenDataDir (the data dir and its secrets are private)', () => {
  it('makes a 0755 dir 0700 and a 0644 api-token and secret.key 0600, logging each with its old mode', () => {
    const dir = home({ 'api-token': 0o644, 'secret.key': 0o644 }, 0o755);
    const { lines, logger } = collect();
    const changed = tightenDataDir(dir, logger, 'linux');
    expect([mode(dir), mode(path.join(dir, 'api-token')), mode(path.join(dir, 'secret.key'))]).toEqual(['700', '600', '600']);
    expect(changed.map((c) => [path.basename(c.path), c.from, c.to])).toEqual([
      ['home', '0755', '0700'],
      ['api-token', '0644', '0600'],
      ['secret.key', '0644', '0600'],
    ]);
    const warned = lines.filter((l) => l.level === 'warn');
    expect(warned.map((l) => [l.path, l.old_mode])).toEqual([
      [dir, '0755'],
      [path.join(dir, 'api-token'), '0644'],
      [path.join(dir, 'secret.key'), '0644'],
    ]);
    expect(String(warned[1]!.msg)).toContain(`${path.join(dir, 'api-token')} had mode 0644`);
  });

  it('also closes group access (a 0660 token, a 0640 config, a 0770 dir) and never adds bits (a 0400 key stays 0400)', () => {
    const dir = home({ 'api-token': 0o660, 'config.json': 0o640, 'secret.key': 0o400, 'gateway.log': 0o604 }, 0o770);
    const { lines, logger } = collect();
    tightenDataDir(dir, logger, 'linux');
    expect(['', 'api-token', 'config.json', 'secret.key', 'gateway.log'].map((n) => mode(path.join(dir, n)))).toEqual(['700', '600', '600', '400', '600']);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.old_mode)).toEqual(['0770', '0660', '0640', '0604']);
  });

  it('leaves a private dir alone and says nothing', () => {
    const dir = home({ 'api-token': 0o600, 'secret.key': 0o600 });
    const { lines, logger } = collect();
    expect(tightenDataDir(dir, logger, 'linux')).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('refuses a secret file or a dir owned by another user, naming it and what to do', () => {
    const { logger } = collect();
    const dir = home({ 'api-token': 0o600 });
    const key = path.join(dir, 'secret.key');
    if (process.getuid?.() === 0) {
      writeFileSync(key, 'x', { mode: 0o644 });
      chownSync(key, 65534, 65534);
    } else {
      symlinkSync('/etc/passwd', key); // owned by root, not by the user running the tests
    }
    const owner = statSync(key).uid;
    expect(() => tightenDataDir(dir, logger, 'linux')).toThrow(`${key} belongs to user id ${owner}`);
    expect(mode(key)).toBe('644');
    if (process.getuid?.() === 0) {
      const other = home({ 'api-token': 0o600 }, 0o755);
      chownSync(other, 65534, 65534);
      expect(() => tightenDataDir(other, logger, 'linux')).toThrow(/belongs to user id 65534.*chown/);
      expect(mode(other)).toBe('755');
    }
  });

  it('refuses to close the filesystem root or the home directory itself', () => {
    const { logger } = collect();
    expect(() => tightenDataDir('/', logger, 'linux')).toThrow(/not a data dir of its own.*MCPLEXER_HOME/);
    expect(() => tightenDataDir(homedir(), logger, 'linux')).toThrow(/not a data dir of its own.*MCPLEXER_HOME/);
  });

  it('refuses a shared sticky dir such as /tmp instead of closing it', () => {
    const dir = home({}, 0o1777);
    const { logger } = collect();
    expect(() => tightenDataDir(dir, logger, 'linux')).toThrow(/shared directory.*MCPLEXER_HOME/);
    expect((statSync(dir).mode & 0o7777).toString(8)).toBe('1777');
  });
});
