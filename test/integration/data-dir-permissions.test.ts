/**
 * Fault 4 of issue 14: a data dir, api-token or secret.key others can read was used silently.
 * The gateway now makes them private at start and says so (or refuses, naming the file), and the
 * files it rewrites (config.json) stay private.
 */
import { chmodSync, chownSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway/index.js';
import { silentLogger } from '../../src/gateway/log.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const mode = (file: string) => '0' + (statSync(file).mode & 0o777).toString(8);

/** A home as an earlier gateway left it, then loosened: the token and the key exist. */
async function loosenedHome(dirMode: number, files: Record<string, number>): Promise<string> {
  const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-perm-it-'));
  const first = await startTestGateway({ home });
  await first.stop();
  for (const [name, fileMode] of Object.entries(files)) chmodSync(path.join(home, name), fileMode);
  chmodSync(home, dirMode);
  return home;
}

describe('the data dir is made private at start', () => {
  it('tightens a 0755 dir with a 0644 api-token and secret.key, logs each with its old mode, and keeps the same token', async () => {
    const home = await loosenedHome(0o755, { 'api-token': 0o644, 'secret.key': 0o644 });
    t = await startTestGateway({ home });
    expect([mode(home), mode(path.join(home, 'api-token')), mode(path.join(home, 'secret.key'))]).toEqual(['0700', '0600', '0600']);
    const warned = t.logs.filter((l) => l.level === 'warn' && l.old_mode).map((l) => [l.path, l.old_mode, l.new_mode]);
    expect(warned).toEqual([
      [home, '0755', '0700'],
      [path.join(home, 'api-token'), '0644', '0600'],
      [path.join(home, 'secret.key'), '0644', '0600'],
    ]);
    expect((await t.api('GET', '/workspaces')).status).toBe(200);
  });

  it('tightens a group-writable 0660 token and a 0664 config.json in a 0750 dir too', async () => {
    const home = await loosenedHome(0o750, { 'api-token': 0o660, 'config.json': 0o664 });
    t = await startTestGateway({ home });
    expect([mode(home), mode(path.join(home, 'api-token')), mode(path.join(home, 'config.json'))]).toEqual(['0700', '0600', '0600']);
    expect(t.logs.filter((l) => l.level === 'warn' && l.old_mode).map((l) => l.old_mode)).toEqual(['0750', '0660', '0664']);
  });

  it('keeps config.json 0600 across writes (lowdb renames a fresh temp file over it)', async () => {
    t = await startTestGateway();
    expect((await t.api('POST', '/workspaces', { name: 'p', root_path: '/tmp/p' })).status).toBe(201);
    expect(mode(t.configPath)).toBe('0600');
    expect(mode(path.join(t.home, 'api-token'))).toBe('0600');
  });

  it("keeps the audit trail's file, its owner file and the engine's lock directory private", async () => {
    t = await startTestGateway();
    // A GET /audit waits for audit.db to be open (it opens behind the listener).
    expect((await t.api('GET', '/audit?limit=1')).status).toBe(200);
    const audit = path.join(t.home, 'audit.db');
    expect([mode(audit), mode(`${audit}.owner`), mode(`${audit}.lock`)]).toEqual(['0600', '0600', '0700']);
  });

  it('refuses to start, naming the file, when a secret belongs to another user, and leaves no lock', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-perm-it-'));
    const key = path.join(home, 'secret.key');
    if (process.getuid?.() === 0) {
      writeFileSync(key, Buffer.alloc(32, 1).toString('base64'), { mode: 0o644 });
      chownSync(key, 65534, 65534);
    } else {
      symlinkSync('/etc/passwd', key); // owned by root, not by the user running the tests
    }
    const owner = statSync(key).uid;
    await expect(startGateway({ dataDir: home, port: 0, logger: silentLogger, env: {} })).rejects.toThrow(`${key} belongs to user id ${owner}`);
    expect(() => statSync(path.join(home, 'gateway.lock'))).toThrow(/ENOENT/);
  });
});
