/**
 * mcp-install's file edits, for every client of the registry and every fixture kind (missing,
 * empty, other servers, comments, legacy `mx`, malformed): install then uninstall leaves the file
 * byte for byte as it was (a missing one: what the client reads as empty), the preview's content
 * and diff are what install writes, `.bak` holds the previous bytes, the mode is kept (a new
 * file: 0600), `stale` follows a port or token change, and a file that cannot be parsed is never
 * touched. HOME, APPDATA, XDG_CONFIG_HOME and CODEX_HOME point into a temp dir throughout.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientInstaller, CLIENTS, type EntryContext } from '../../src/gateway/clients/index.js';
import { applyUnifiedDiff, fakeUser, type FakeUser, fixtureFile, refusal, testContext, testInstaller } from '../helpers/client-dirs.js';

let user: FakeUser;
let context: EntryContext;
let installer: ClientInstaller;

beforeEach(() => {
  user = fakeUser();
  context = testContext(user);
  installer = testInstaller(user, () => context);
});
afterEach(() => user.remove());

const ids = CLIENTS.map((c) => c.id);

describe.each(ids)('%s', (id) => {
  for (const kind of ['empty', 'other', 'comments'] as const) {
    it(`${kind}: install then uninstall is byte-identical; preview, diff, .bak and mode agree with what is written`, () => {
      const original = user.fixture(id, kind);
      const file = user.configPath(id);
      chmodSync(file, 0o640);
      const preview = installer.preview(id);
      expect(preview.config_path).toBe(file);
      expect(readFileSync(file)).toEqual(original); // preview writes nothing
      expect(applyUnifiedDiff(original.toString('utf8'), preview.diff)).toBe(preview.content);

      const state = installer.install(id);
      expect(state).toMatchObject({ id, detected: true, configured: true, stale: false });
      expect(readFileSync(file, 'utf8')).toBe(preview.content);
      expect(readFileSync(`${file}.bak`)).toEqual(original);
      // An entry holding the API token (the HTTP ones) makes the file private; a bridge entry keeps the mode.
      expect(statSync(file).mode & 0o777).toBe(CLIENTS.find((c) => c.id === id)!.http ? 0o600 : 0o640);
      expect(statSync(`${file}.bak`).mode & 0o777).toBe(statSync(file).mode & 0o777);
      if (kind !== 'empty') expect(preview.content).toContain(kind === 'comments' ? (id === 'codex' || id === 'continue' ? '# ' : '// ') : 'memory');
      // Installing again changes nothing.
      expect(installer.preview(id).diff).toBe('');

      expect(installer.uninstall(id)).toMatchObject({ configured: false, stale: false });
      expect(readFileSync(file)).toEqual(original);
      // Uninstall writes no .bak: it still holds the file from before install, without the token.
      expect(readFileSync(`${file}.bak`)).toEqual(original);
    });
  }

  it('missing: install creates the file (0600) with only our entry; uninstall leaves what the client reads as empty', () => {
    const file = user.detect(id);
    expect(existsSync(file)).toBe(false);
    const preview = installer.preview(id);
    expect(preview.diff.startsWith(`--- ${file}\n+++ ${file}\n@@ -0,0 +1,`)).toBe(true);
    installer.install(id);
    expect(readFileSync(file, 'utf8')).toBe(preview.content);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}.bak`)).toBe(false);
    installer.uninstall(id);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(fixtureFile(id, 'empty'), 'utf8'));
  });

  it('legacy mx: configured and stale; install replaces it; uninstall leaves the other servers', () => {
    user.fixture(id, 'legacy-mx');
    expect(installer.status().clients.find((c) => c.id === id)).toMatchObject({ configured: true, stale: true });
    installer.install(id);
    const installed = readFileSync(user.configPath(id), 'utf8');
    expect(installed).not.toContain('/usr/local/bin/mx');
    expect(installed).toContain('mcplexer');
    installer.uninstall(id);
    expect(readFileSync(user.configPath(id), 'utf8')).toBe(readFileSync(fixtureFile(id, 'legacy-mx.expected'), 'utf8'));
  });

  it('malformed: preview, install and uninstall answer 422 with the line and column; the file and .bak are untouched', () => {
    const original = user.fixture(id, 'malformed');
    const file = user.configPath(id);
    for (const run of [() => installer.preview(id), () => installer.install(id), () => installer.uninstall(id)]) {
      const error = refusal(run);
      expect(error.code).toBe('unprocessable');
      expect(error.message).toMatch(new RegExp(`cannot be parsed at line \\d+, column \\d+`));
      expect(error.details[0]!.path).toMatch(/:\d+:\d+$/);
    }
    expect(readFileSync(file)).toEqual(original);
    expect(existsSync(`${file}.bak`)).toBe(false);
    const state = installer.status().clients.find((c) => c.id === id)!;
    expect(state.error).toMatch(/cannot be parsed/);
  });

  it('stale after a port change and after a token change; install makes it fresh again', () => {
    user.fixture(id, 'other');
    installer.install(id);
    const stateOf = () => installer.status().clients.find((c) => c.id === id)!;
    expect(stateOf().stale).toBe(false);
    const spec = CLIENTS.find((c) => c.id === id)!;
    context = { ...context, url: 'http://127.0.0.1:41235/mcp', bridge: { ...context.bridge, command: '/opt/other/node' } };
    expect(stateOf()).toMatchObject({ configured: true, stale: true });
    installer.install(id);
    expect(stateOf().stale).toBe(false);
    context = { ...context, token: 'tok-2', bridge: { ...context.bridge, env: { MCPLEXER_HOME: '/elsewhere' } } };
    expect(stateOf().stale).toBe(true);
    installer.install(id);
    expect(stateOf().stale).toBe(false);
    expect(readFileSync(user.configPath(id), 'utf8')).toContain(spec.http ? 'Bearer tok-2' : '/elsewhere');
  });
});

describe('refusals', () => {
  it('unknown client → not_found naming the known ones; not detected → conflict; uninstall when not configured → conflict', () => {
    expect(refusal(() => installer.install('notepad'))).toMatchObject({ code: 'not_found', message: expect.stringContaining('claude_desktop') });
    expect(refusal(() => installer.preview('cursor'))).toMatchObject({ code: 'conflict', message: expect.stringContaining('not detected') });
    expect(refusal(() => installer.uninstall('windsurf'))).toMatchObject({ code: 'conflict' });
    user.fixture('cursor', 'other');
    expect(refusal(() => installer.uninstall('cursor'))).toMatchObject({ code: 'conflict', message: expect.stringContaining('nothing to uninstall') });
  });

  it('a stdio client while the bridge copy is missing → conflict saying how to get it; nothing written', () => {
    const file = user.detect('claude_desktop');
    const missing = new ClientInstaller({ env: user.env, context: () => context, bridgeScript: path.join(user.root, 'nowhere.js') });
    expect(refusal(() => missing.install('claude_desktop'))).toMatchObject({ code: 'conflict', message: expect.stringContaining('stdio bridge') });
    expect(existsSync(file)).toBe(false);
  });

  it('a servers key that holds something else than a table → 422, file untouched', () => {
    const file = user.detect('cursor');
    writeFileSync(file, '{"mcpServers": [1, 2]}\n');
    expect(refusal(() => installer.install('cursor'))).toMatchObject({ code: 'unprocessable', message: expect.stringContaining('line 1, column 16') });
    const toml = user.detect('codex');
    writeFileSync(toml, 'mcp_servers = { mcplexer = { command = "x" } }\n');
    expect(refusal(() => installer.install('codex'))).toMatchObject({ code: 'unprocessable', message: expect.stringContaining('inline') });
    expect(readFileSync(toml, 'utf8')).toBe('mcp_servers = { mcplexer = { command = "x" } }\n');
  });

  it.each(['cursor', 'codex'])('%s: a read-only config file is left as it is: install and uninstall refuse with conflict, nothing written', (id) => {
    const original = user.fixture(id, 'other');
    const file = user.configPath(id);
    chmodSync(file, 0o444);
    expect(refusal(() => installer.install(id))).toMatchObject({
      code: 'conflict',
      message: `${file} is read-only (mode 444): MCPlexer leaves read-only files as they are; make it writable (chmod u+w) and try again, or add the entry by hand`,
    });
    expect(readFileSync(file)).toEqual(original);
    expect(existsSync(`${file}.bak`)).toBe(false);
    chmodSync(file, 0o644);
    installer.install(id);
    const installed = readFileSync(file);
    chmodSync(file, 0o444);
    expect(refusal(() => installer.uninstall(id))).toMatchObject({ code: 'conflict', message: expect.stringContaining('is read-only') });
    expect(readFileSync(file)).toEqual(installed);
  });

  it('a link planted where the .bak goes is replaced, never written through or chmod-ed (a trial: another file overwritten with the config, made 0644)', () => {
    for (const step of ['install', 'uninstall'] as const) {
      const file = user.configPath('cursor');
      if (step === 'install') user.fixture('cursor', 'other');
      const victim = path.join(user.root, `victim-${step}`);
      writeFileSync(victim, 'precious data\n', { mode: 0o600 });
      rmSync(`${file}.bak`, { force: true });
      symlinkSync(victim, `${file}.bak`);
      const before = readFileSync(file);
      installer[step]('cursor');
      expect(readFileSync(victim, 'utf8')).toBe('precious data\n');
      expect(statSync(victim).mode & 0o777).toBe(0o600);
      // Uninstall writes no .bak at all: the planted link stays as it was, unfollowed.
      expect(lstatSync(`${file}.bak`).isSymbolicLink()).toBe(step === 'uninstall');
      if (step === 'install') expect(readFileSync(`${file}.bak`)).toEqual(before);
    }
  });

  it('a config file that is a link to a file not created yet is written through the link, which stays (dotfile managers)', () => {
    const file = user.detect('cursor');
    const dotfiles = path.join(user.root, 'dotfiles');
    mkdirSync(dotfiles);
    symlinkSync(path.join(dotfiles, 'mcp.json'), file);
    installer.install('cursor');
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dotfiles, 'mcp.json'), 'utf8')).toContain('"mcplexer"');
    expect(statSync(path.join(dotfiles, 'mcp.json')).mode & 0o777).toBe(0o600);
  });

  it('a link whose text goes through a folder link and up (sub/../real.json) is followed as the kernel does: the file it opens is written, not a namesake beside the link (a trial lost an unrelated file)', () => {
    const file = user.detect('cursor');
    const elsewhere = path.join(user.root, 'elsewhere');
    mkdirSync(path.join(elsewhere, 'dir'), { recursive: true });
    writeFileSync(path.join(elsewhere, 'real.json'), '{"mcpServers": {}}\n');
    symlinkSync(path.join(elsewhere, 'dir'), path.join(path.dirname(file), 'sub'));
    symlinkSync('sub/../real.json', file);
    const namesake = path.join(path.dirname(file), 'real.json');
    writeFileSync(namesake, 'unrelated, keep me\n', { mode: 0o644 });
    installer.install('cursor');
    expect(readFileSync(namesake, 'utf8')).toBe('unrelated, keep me\n');
    expect(readFileSync(path.join(elsewhere, 'real.json'), 'utf8')).toContain('"mcplexer"');
    expect(readFileSync(file, 'utf8')).toContain('"mcplexer"'); // what Cursor reads, through the link
    expect(installer.status().clients.find((c) => c.id === 'cursor')).toMatchObject({ configured: true });
  });

  it('an existing world-readable config that gets the token in an HTTP entry becomes private, and so does its .bak (0644 -> 0600)', () => {
    const file = user.configPath('cursor');
    user.fixture('cursor', 'other');
    chmodSync(file, 0o644);
    installer.install('cursor');
    expect(readFileSync(file, 'utf8')).toContain('tok-1');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}.bak`).mode & 0o777).toBe(0o600);
  });

  it('what the file system refuses (here a directory where the .bak goes) is a conflict naming the path and what to do, not an internal error; the file is unchanged', () => {
    const original = user.fixture('cursor', 'other');
    const file = user.configPath('cursor');
    mkdirSync(`${file}.bak`);
    const error = refusal(() => installer.install('cursor'));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain(`cannot write ${file}.bak: it is a directory, not a file (EISDIR)`);
    // What to do about it, not a folder that is writable already (a trial).
    expect(error.message).toContain(`so ${file}.bak is a folder: move it aside`);
    expect(readFileSync(file)).toEqual(original);
  });

  it('a JSON file that starts with a byte order mark is edited with the mark kept, and uninstall gives back the same bytes (a trial: refused as InvalidSymbol)', () => {
    const file = user.detect('cursor');
    const original = '\uFEFF{\r\n  "mcpServers": {\r\n    "web": { "url": "https://example.com/mcp" }\r\n  }\r\n}\r\n';
    writeFileSync(file, original);
    installer.install('cursor');
    const installed = readFileSync(file, 'utf8');
    expect(installed.startsWith('\uFEFF{')).toBe(true);
    expect(JSON.parse(installed.slice(1)).mcpServers).toMatchObject({
      web: { url: 'https://example.com/mcp' },
      mcplexer: { url: 'http://127.0.0.1:41234/mcp' },
    });
    expect(installer.status().clients.find((c) => c.id === 'cursor')).toMatchObject({ configured: true, stale: false });
    installer.uninstall('cursor');
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('a link whose target folder does not exist: the refusal names that folder and the link, not the link’s own folder', () => {
    const file = user.detect('cursor');
    const target = path.join(user.root, 'dotfiles', 'missing', 'cursor.json');
    symlinkSync(target, file);
    const error = refusal(() => installer.install('cursor'));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain(
      `the folder ${path.dirname(target)} (${file} is a link to ${target}) does not exist: create it, or point the link elsewhere`,
    );
    expect(error.message).not.toContain('must be writable');
  });
});
