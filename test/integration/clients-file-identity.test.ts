/**
 * What a config file keeps when install and uninstall rewrite it (a temp file renamed over it): its
 * mode; its owner and group when the gateway runs as root and the file is another user's (a rename
 * used to hand it to root, unreadable by its user at 0600); its hard links (another name of the
 * file used to keep the old text); and a gateway that may not chown still installs and says so in
 * its log. Real files; the last one runs a real gateway process as another user. The owner cases
 * need root to chown: they fail, saying so, when not run as root (the CI machine runs as root);
 * a skip would let them pass unseen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientInstaller } from '../../src/gateway/clients/index.js';
import { writeConfigChecked } from '../../src/gateway/clients/write.js';
import { fakeUser, type FakeUser, refusal, testContext, testInstaller } from '../helpers/client-dirs.js';
import { CLI } from '../helpers/mcp.js';

const asRoot = process.getuid?.() === 0;
const needRoot = () => {
  if (!asRoot) throw new Error('these cases chown files to another user, which needs root: run the suite as root (as CI does)');
};
const OTHER = 1000; // a user that is not the one running the tests (root)

let user: FakeUser;
let installer: ClientInstaller;

beforeEach(() => {
  user = fakeUser();
  const context = testContext(user);
  installer = testInstaller(user, () => context);
});
afterEach(() => user.remove());

const owner = (file: string) => `${statSync(file).uid}:${statSync(file).gid}`;

describe('mode', () => {
  it('an unusual mode (0604) is kept on the file and given to the .bak', () => {
    const file = user.configPath('claude_desktop');
    user.fixture('claude_desktop', 'other');
    chmodSync(file, 0o604);
    installer.install('claude_desktop');
    expect(statSync(file).mode & 0o777).toBe(0o604);
    expect(statSync(`${file}.bak`).mode & 0o777).toBe(0o604);
  });
});

describe('owner and group, the gateway running as root', () => {
  beforeEach(needRoot);
  it.each([
    ['claude_desktop', 0o640, 0o640],
    ['cursor', 0o644, 0o600], // its entry holds the API token: made private, and still its user's
  ])('%s: a file of uid 1000 stays theirs (file and .bak), through install and uninstall', (id, before, after) => {
    const original = user.fixture(id, 'other');
    const file = user.configPath(id);
    chmodSync(file, before);
    chownSync(file, OTHER, OTHER);
    installer.install(id);
    expect(readFileSync(file, 'utf8')).toContain('mcplexer');
    expect(owner(file)).toBe(`${OTHER}:${OTHER}`);
    expect(statSync(file).mode & 0o777).toBe(after);
    expect(owner(`${file}.bak`)).toBe(`${OTHER}:${OTHER}`);
    installer.uninstall(id);
    expect(readFileSync(file)).toEqual(original);
    expect(owner(file)).toBe(`${OTHER}:${OTHER}`);
  });
});

describe('a config file with more than one hard link', () => {
  it('is written in place: every name shows the new text, install and uninstall; the .bak is a file of its own', () => {
    const original = user.fixture('claude_desktop', 'other');
    const file = user.configPath('claude_desktop');
    const other = path.join(user.root, 'dotfiles-claude.json');
    linkSync(file, other);
    const inode = statSync(file).ino;
    installer.install('claude_desktop');
    const installed = readFileSync(file, 'utf8');
    expect(installed).toContain('mcplexer');
    expect(readFileSync(other, 'utf8')).toBe(installed);
    expect(statSync(file).ino).toBe(inode);
    expect(statSync(other).nlink).toBe(2);
    expect(readFileSync(`${file}.bak`)).toEqual(original);
    expect(statSync(`${file}.bak`).nlink).toBe(1);
    installer.uninstall('claude_desktop');
    expect(readFileSync(other)).toEqual(original);
    expect(statSync(file).ino).toBe(inode);
  });

  it('one whose entry holds the API token is made private on every name (same file)', () => {
    user.fixture('cursor', 'other');
    const file = user.configPath('cursor');
    chmodSync(file, 0o644);
    const other = path.join(user.root, 'cursor-too.json');
    linkSync(file, other);
    installer.install('cursor');
    expect(readFileSync(other, 'utf8')).toContain('Bearer tok-1');
    expect(statSync(other).mode & 0o777).toBe(0o600);
  });

  it('the write is still a compare-and-swap: changed since it was read → 409, no name changed, no .bak', () => {
    const file = user.detect('cursor');
    writeFileSync(file, '{"mcpServers": {}}\n');
    const other = path.join(user.root, 'cursor-too.json');
    linkSync(file, other);
    const saved = '{"mcpServers": {"a": {"command": "x"}}}\n';
    const read = readFileSync(file, 'utf8');
    writeFileSync(other, saved); // the client saves through the other name meanwhile
    expect(refusal(() => writeConfigChecked(file, '{"mcpServers": {"mcplexer": {}}}\n', read)).code).toBe('conflict');
    expect(readFileSync(file, 'utf8')).toBe(saved);
    expect(existsSync(`${file}.bak`)).toBe(false);
  });
});

describe('a gateway that may not chown (running as uid 1000, the file belongs to uid 1001)', () => {
  beforeEach(needRoot);
  let dir: string;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    // Its data dir goes once it has stopped: it writes there while it shuts down.
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs all the same, and its log says whose the file was and how to give it back', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-owner-'));
    chmodSync(dir, 0o755); // uid 1000 reaches its home through it
    const home = path.join(dir, 'home');
    const data = path.join(dir, 'data');
    const file = path.join(home, '.cursor', 'mcp.json');
    mkdirSync(path.dirname(file), { recursive: true });
    mkdirSync(data);
    for (const folder of [home, path.dirname(file), data]) chownSync(folder, OTHER, OTHER);
    writeFileSync(file, '{"mcpServers": {}}\n', { mode: 0o666 });
    chmodSync(file, 0o666);
    chownSync(file, OTHER + 1, OTHER + 1);
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(file, hourAgo, hourAgo);

    const gateway = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--home', data], {
      uid: OTHER,
      gid: OTHER,
      env: { HOME: home, PATH: process.env.PATH },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = gateway;
    let log = '';
    gateway.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    const url = await new Promise<string>((resolve, reject) => {
      gateway.once('exit', (code) => reject(new Error(`the gateway exited (${code}): ${log}`)));
      gateway.stderr!.on('data', () => {
        const match = /"msg":"MCPlexer gateway listening","url":"([^"]+)"/.exec(log);
        if (match) resolve(match[1]!);
      });
    });
    const token = readFileSync(path.join(data, 'api-token'), 'utf8').trim();
    const answer = await fetch(`${url}/api/v1/mcp-install/cursor/install`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ configured: true });
    expect(readFileSync(file, 'utf8')).toContain('mcplexer');
    expect(owner(file)).toBe(`${OTHER}:${OTHER}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the log line may trail the answer
    const warnings = log
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string; path?: string })
      .filter((line) => line.level === 'warn' && line.path === file);
    expect(warnings).toHaveLength(1); // one for the file and its .bak
    expect(warnings[0]!.msg).toContain(`belonged to uid ${OTHER + 1}, gid ${OTHER + 1}`);
    expect(warnings[0]!.msg).toContain(`chown ${OTHER + 1}:${OTHER + 1} ${file}`);
  }, 30_000);
});
