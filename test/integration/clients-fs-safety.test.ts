/**
 * mcp-install against a file system that does not hold still or refuses: a client saving its
 * config while MCPlexer edits it (a trial's install read the truncated file and replaced the whole
 * config with our entry alone, with an empty `.bak`), and a config path that is a directory, a link
 * loop or unreadable (a trial got 500 "internal error", and the status of every other client with
 * it). Real files and a real second process; no mocks.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientInstaller } from '../../src/gateway/clients/index.js';
import { readConfigText } from '../../src/gateway/clients/read.js';
import { writeConfigChecked } from '../../src/gateway/clients/write.js';
import { fakeUser, type FakeUser, refusal, testContext, testInstaller } from '../helpers/client-dirs.js';

let user: FakeUser;
let installer: ClientInstaller;

beforeEach(() => {
  user = fakeUser();
  const context = testContext(user);
  installer = testInstaller(user, () => context, { bridgeCopy: false });
});
afterEach(() => user.remove());

const CLIENT_SAVE = JSON.stringify({ mcpServers: { a: { command: 'x' }, b: { command: 'y' } }, userSettings: 'important' }, null, 2) + '\n';

/** A client that saves as many do: open with O_TRUNC (the file is empty from here), write a moment later. */
function clientSaving(file: string, delayMs: number): Promise<() => Promise<void>> {
  const script = `const fs=require('fs');const fd=fs.openSync(process.argv[1],'w');console.log('truncated');setTimeout(()=>{fs.writeSync(fd,process.argv[2]);fs.closeSync(fd);},${delayMs});`;
  const child = spawn(process.execPath, ['-e', script, file, CLIENT_SAVE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve) => child.stdout.once('data', () => resolve(() => done)));
}

describe('a client saving its config meanwhile', () => {
  it('an install that reads the file while the client has it truncated waits for its content and keeps it (and a usable .bak)', async () => {
    const file = user.detect('cursor');
    writeFileSync(file, CLIENT_SAVE);
    const finished = await clientSaving(file, 60);
    installer.install('cursor');
    await finished();
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(written.mcpServers).sort()).toEqual(['a', 'b', 'mcplexer']);
    expect(written.userSettings).toBe('important');
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(CLIENT_SAVE);
  });

  it('a file still empty after the pause, and changed just now, is refused with a conflict saying to try again; nothing written', () => {
    const file = user.detect('cursor');
    writeFileSync(file, '');
    const error = refusal(() => installer.install('cursor'));
    expect(error).toMatchObject({ code: 'conflict', message: expect.stringContaining('try again in a few seconds') });
    expect(readFileSync(file, 'utf8')).toBe('');
    expect(existsSync(`${file}.bak`)).toBe(false);
  });

  it('temp files a killed writer left beside the file (and its .bak) are removed at the next write; a live writer’s stay', () => {
    const file = user.detect('cursor');
    writeFileSync(file, '{"mcpServers": {}}\n');
    const dir = path.dirname(file);
    // pid 2^22 + 1 is above Linux's pid_max: never a live process.
    const stale = [`.mcp.json.4194305.0a1b2c3d.tmp`, `.mcp.json.bak.4194305.deadbeef.tmp`].map((name) => path.join(dir, name));
    const live = path.join(dir, `.mcp.json.${process.pid}.00000000.tmp`);
    const unrelated = path.join(dir, '.mcp.json.notes.tmp');
    for (const temp of [...stale, live, unrelated]) writeFileSync(temp, '');
    installer.install('cursor');
    for (const temp of stale) expect(existsSync(temp), temp).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
  });

  it('an empty file never replaces a non-empty .bak', () => {
    const file = user.detect('cursor');
    writeFileSync(`${file}.bak`, CLIENT_SAVE);
    writeFileSync(file, '');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(file, hourAgo, hourAgo);
    installer.install('cursor');
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(CLIENT_SAVE);
  });

  it('the write is a compare-and-swap: a file changed since it was read is not replaced (409), and no .bak is written', () => {
    const file = user.detect('cursor');
    writeFileSync(file, '{"mcpServers": {}}\n');
    const read = readConfigText(file, { settle: true });
    writeFileSync(file, CLIENT_SAVE); // the client saves between MCPlexer's read and its write
    const error = refusal(() => writeConfigChecked(file, '{"mcpServers": {"mcplexer": {}}}\n', read));
    expect(error).toMatchObject({
      code: 'conflict',
      message: `${file} changed while MCPlexer was editing it (its client may have saved it just then); nothing was written: try again`,
    });
    expect(readFileSync(file, 'utf8')).toBe(CLIENT_SAVE);
    expect(existsSync(`${file}.bak`)).toBe(false);
    // A file created meanwhile where there was none is not replaced either.
    const other = path.join(path.dirname(file), 'new.json');
    writeFileSync(other, CLIENT_SAVE);
    expect(refusal(() => writeConfigChecked(other, '{}\n', undefined)).code).toBe('conflict');
    expect(readFileSync(other, 'utf8')).toBe(CLIENT_SAVE);
  });
});

describe('a config path the file system refuses to read', () => {
  const unreadable: Array<[string, (file: string) => void, RegExp]> = [
    ['a directory', (file) => mkdirSync(file), /it is a directory, not a file \(EISDIR\)/],
    ['a symbolic link loop', (file) => symlinkSync(path.basename(file), file), /symbolic links form a loop \(ELOOP\)/],
  ];
  if (process.getuid?.() !== 0)
    unreadable.push(['a file without read permission', (file) => writeFileSync(file, '{}', { mode: 0 }), /permission denied \(EACCES\)/]);

  it.each(unreadable)('%s: status marks that client only; install, preview and uninstall are a 409 naming the path and the reason', (_kind, make, reason) => {
    const file = user.detect('cursor');
    make(file);
    user.fixture('windsurf', 'other');
    const status = installer.status();
    expect(status.clients.find((c) => c.id === 'cursor')!.error).toMatch(new RegExp(`^cannot read ${file}: .*${reason.source}`));
    expect(status.clients.find((c) => c.id === 'windsurf')).toMatchObject({ detected: true, configured: false });
    expect(status.clients.find((c) => c.id === 'windsurf')!.error).toBeUndefined();
    for (const run of [() => installer.install('cursor'), () => installer.preview('cursor'), () => installer.uninstall('cursor')]) {
      const error = refusal(run);
      expect(error.code).toBe('conflict');
      expect(error.message).toMatch(reason);
      expect(error.message).toContain(file);
    }
    expect(installer.install('windsurf')).toMatchObject({ configured: true });
  });
});
