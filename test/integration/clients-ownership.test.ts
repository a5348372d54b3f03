/**
 * Whose an entry is, decided by its content, not its name (a trial lost a user's own `mx` server,
 * and a `mcplexer` entry another program wrote, forever): a user's `mx` is left alone by status,
 * install and uninstall; a `mcplexer` entry MCPlexer did not write is replaced with a note saying
 * what it ran and kept in the `.bak`, and uninstall refuses to remove it; keys a client adds to our
 * entry are kept and do not make it stale; the `.bak` keeps the file from before our entry first
 * went in, and after uninstall no `.bak` holds the API token. Real files in a temp HOME.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientInstaller, type EntryContext } from '../../src/gateway/clients/index.js';
import { fakeUser, type FakeUser, refusal, testContext, testInstaller } from '../helpers/client-dirs.js';

let user: FakeUser;
let context: EntryContext;
let installer: ClientInstaller;

beforeEach(() => {
  user = fakeUser();
  context = testContext(user, 'tok-secret-1');
  installer = testInstaller(user, () => context);
});
afterEach(() => user.remove());

const stateOf = (id: string) => installer.status().clients.find((c) => c.id === id)!;

const USERS_MX =
  '{\n  "mcpServers": {\n    "mx": {"command": "npx", "args": ["-y", "mx-records-mcp"]},\n    "web": {"url": "https://example.com/mcp"}\n  }\n}\n';

describe('a server of the user named mx', () => {
  it('is not ours: status says not configured; install keeps it; uninstall keeps it', () => {
    const file = user.detect('cursor');
    writeFileSync(file, USERS_MX);
    expect(stateOf('cursor')).toMatchObject({ configured: false, stale: false });
    expect(refusal(() => installer.uninstall('cursor'))).toMatchObject({ code: 'conflict', message: expect.stringContaining('nothing to uninstall') });
    installer.install('cursor');
    expect(JSON.parse(readFileSync(file, 'utf8')).mcpServers.mx).toEqual({ command: 'npx', args: ['-y', 'mx-records-mcp'] });
    expect(stateOf('cursor')).toMatchObject({ configured: true, stale: false });
    installer.uninstall('cursor');
    expect(readFileSync(file, 'utf8')).toBe(USERS_MX);
  });

  it('a local HTTP server of the user named mx (no bearer token) is not ours either', () => {
    const file = user.detect('vscode');
    const text = '{"servers": {"mx": {"type": "http", "url": "http://localhost:3000/mcp"}}}\n';
    writeFileSync(file, text);
    expect(stateOf('vscode')).toMatchObject({ configured: false });
    installer.install('vscode');
    installer.uninstall('vscode');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it("the original MCPlexer's mx (connect --socket) and one of ours are still removed", () => {
    const file = user.detect('cursor');
    writeFileSync(file, JSON.stringify({ mcpServers: { mx: { command: 'node', args: ['/x/bin/mcplexer-cli.js', 'connect'] } } }));
    expect(stateOf('cursor')).toMatchObject({ configured: true, stale: true });
    installer.install('cursor');
    expect(JSON.parse(readFileSync(file, 'utf8')).mcpServers.mx).toBeUndefined();
  });
});

describe('an entry of ours under another spelling of the name', () => {
  it('MCPlexer (ours by its content) is stale and goes at install, so the client runs one bridge; a foreign MCPlexer stays', () => {
    const file = user.detect('claude_desktop');
    const ours = { command: 'node', args: ['/old/data/bin/mcplexer-cli.js', 'connect'] };
    writeFileSync(file, JSON.stringify({ mcpServers: { MCPlexer: ours, web: { command: 'web-mcp' } } }, null, 2));
    expect(stateOf('claude_desktop')).toMatchObject({ configured: true, stale: true });
    installer.install('claude_desktop');
    const after = JSON.parse(readFileSync(file, 'utf8')).mcpServers;
    expect(Object.keys(after).sort()).toEqual(['mcplexer', 'web']);

    const foreign = { MCPLEXER: { command: '/opt/another/tool' }, web: { command: 'web-mcp' } };
    writeFileSync(file, JSON.stringify({ mcpServers: foreign }, null, 2));
    installer.install('claude_desktop');
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).mcpServers).sort()).toEqual(['MCPLEXER', 'mcplexer', 'web']);
  });
});

describe('a mcplexer entry MCPlexer did not write', () => {
  const EXISTING = 'model = "o3"\n\n[mcp_servers."mcplexer"]\ncommand = "/opt/mcplexer/bin/mcplexer"\nargs = ["connect", "--port", "9999"]\n';

  it('install replaces it, says what it ran, and keeps the file as it was in the .bak; uninstall then removes ours', () => {
    const file = user.detect('codex');
    writeFileSync(file, EXISTING);
    expect(stateOf('codex')).toMatchObject({ configured: true, stale: true, note: expect.stringContaining('/opt/mcplexer/bin/mcplexer connect --port 9999') });
    const state = installer.install('codex');
    expect(state.note).toContain('replaced a "mcplexer" entry MCPlexer did not write (it ran "/opt/mcplexer/bin/mcplexer connect --port 9999")');
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(EXISTING);
    expect(stateOf('codex')).toMatchObject({ configured: true, stale: false });
    expect(stateOf('codex').note).toBeUndefined();
    installer.uninstall('codex');
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(EXISTING);
  });

  it('uninstall refuses to remove it (it would be lost), and writes nothing', () => {
    const file = user.detect('gemini_cli');
    const text = '{"mcpServers": {"mcplexer": {"command": "node", "args": ["/old/path/cli.js", "connect"]}}}\n';
    writeFileSync(file, text);
    expect(refusal(() => installer.uninstall('gemini_cli'))).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('was not written by MCPlexer (it runs "node /old/path/cli.js connect")'),
    });
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(existsSync(`${file}.bak`)).toBe(false);
  });
});

describe('keys a client adds to our entry', () => {
  it("Cline's disabled, autoApprove and timeout do not make it stale and survive an update", () => {
    user.fixture('cline', 'other');
    const file = user.configPath('cline');
    installer.install('cline');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    Object.assign(json.mcpServers.mcplexer, { disabled: true, autoApprove: ['mcpx__flush_cache'], timeout: 120 });
    json.mcpServers.mcplexer.env.EXTRA = 'kept';
    writeFileSync(file, JSON.stringify(json, null, 2));
    expect(stateOf('cline')).toMatchObject({ configured: true, stale: false });
    expect(installer.preview('cline').diff).toBe('');
    context = { ...context, bridge: { ...context.bridge, command: '/opt/other/node' } };
    expect(stateOf('cline').stale).toBe(true);
    installer.install('cline');
    const entry = JSON.parse(readFileSync(file, 'utf8')).mcpServers.mcplexer;
    expect(entry).toMatchObject({ command: '/opt/other/node', disabled: true, autoApprove: ['mcpx__flush_cache'], timeout: 120 });
    expect(entry.env).toEqual({ MCPLEXER_HOME: context.bridge.env.MCPLEXER_HOME, EXTRA: 'kept' });
    expect(stateOf('cline').stale).toBe(false);
  });

  it("Codex's startup_timeout_sec survives an update", () => {
    user.fixture('codex', 'other');
    const file = user.configPath('codex');
    installer.install('codex');
    writeFileSync(file, readFileSync(file, 'utf8').replace('[mcp_servers.mcplexer]\n', '[mcp_servers.mcplexer]\nstartup_timeout_sec = 30\n'));
    expect(stateOf('codex').stale).toBe(false);
    context = { ...context, bridge: { ...context.bridge, command: '/opt/other/node' } };
    installer.install('codex');
    expect(readFileSync(file, 'utf8')).toMatch(/startup_timeout_sec = 30/);
    expect(readFileSync(file, 'utf8')).toContain('/opt/other/node');
  });
});

describe('the .bak', () => {
  it('keeps the file from before our entry first went in: an update does not replace it, and after uninstall none holds the token', () => {
    const original = user.fixture('cursor', 'other');
    const file = user.configPath('cursor');
    installer.install('cursor');
    context = { ...context, token: 'tok-secret-2' };
    installer.install('cursor'); // an update of our own entry
    expect(readFileSync(`${file}.bak`)).toEqual(original);
    installer.uninstall('cursor');
    expect(readFileSync(file)).toEqual(original);
    expect(readFileSync(`${file}.bak`)).toEqual(original);
    expect(readFileSync(`${file}.bak`, 'utf8')).not.toContain('tok-secret');
  });

  it('a .bak an earlier version left holding the live token is removed by uninstall', () => {
    user.fixture('cursor', 'other');
    const file = user.configPath('cursor');
    installer.install('cursor');
    writeFileSync(`${file}.bak`, readFileSync(file)); // what the earlier version wrote on an update
    installer.uninstall('cursor');
    expect(existsSync(`${file}.bak`)).toBe(false);
  });
});
