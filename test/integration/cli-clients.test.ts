/**
 * `mcplexer clients`, `install [--dry-run]` and `uninstall` (dist/cli.js, a real child process)
 * against a real gateway whose HOME, APPDATA, XDG_CONFIG_HOME and CODEX_HOME are a temp dir: the
 * table shows each client's state, --dry-run prints the preview's diff and writes nothing, install
 * makes the stable bridge copy and writes the entry, and refusals exit 1 with the gateway's message.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableCliPath } from '../../src/shared/node/index.js';
import { fakeUser, runCli, type FakeUser } from '../helpers/client-dirs.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { CLI } from '../helpers/mcp.js';

let user: FakeUser;
let t: TestGateway;

const cli = (args: string[], env: NodeJS.ProcessEnv = user.env) => runCli(args, t.home, env);

beforeAll(async () => {
  user = fakeUser();
  t = await startTestGateway({ env: user.env, lock: true });
}, 30_000);
afterAll(async () => {
  await t?.close();
  user?.remove();
});

describe('mcplexer clients, install, uninstall', () => {
  it('lists every client with its state, in a table and as JSON', async () => {
    user.fixture('cursor', 'other');
    const table = await cli(['clients']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^CLIENT\s+NAME\s+STATE\s+CONFIG FILE$/);
    expect(table.stdout).toMatch(new RegExp(`cursor\\s+Cursor\\s+not configured\\s+${user.configPath('cursor')}`));
    expect(table.stdout).toMatch(/windsurf\s+Windsurf\s+not detected/);
    const json = JSON.parse((await cli(['clients', '--json'])).stdout);
    expect(json.clients.find((c: { id: string }) => c.id === 'cursor')).toMatchObject({ detected: true, configured: false });
  });

  it('install --dry-run prints the diff and writes nothing; install writes it and copies the bridge; uninstall removes it', async () => {
    const original = user.fixture('claude_desktop', 'comments');
    const file = user.configPath('claude_desktop');
    const dry = await cli(['install', 'claude_desktop', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe((await t.client.installPreview('claude_desktop')).diff);
    expect(dry.stdout).toMatch(/^\+\s+"mcplexer": \{$/m);
    expect(readFileSync(file)).toEqual(original);
    const install = await cli(['install', 'claude_desktop']);
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    expect(install.stdout).toContain(`installed mcplexer into Claude Desktop (${file})`);
    expect(existsSync(stableCliPath(t.home))).toBe(true);
    expect(readFileSync(stableCliPath(t.home))).toEqual(readFileSync(CLI));
    expect((await cli(['clients'])).stdout).toMatch(/claude_desktop\s+Claude Desktop\s+configured/);
    expect((await cli(['install', 'claude_desktop', '--dry-run'])).stdout).toContain('already holds the mcplexer entry');
    // Again: nothing to write, and it says so rather than "restart Claude Desktop".
    const again = await cli(['install', 'claude_desktop']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`Claude Desktop (${file}) already holds the mcplexer entry as it should be: nothing changed\n`);
    const uninstall = await cli(['uninstall', 'claude_desktop']);
    expect(uninstall.code).toBe(0);
    expect(readFileSync(file)).toEqual(original);
  }, 120_000); // eight CLI runs, each loading the bundle

  it('install --dry-run of a client whose entry carries the API token shows where the token comes from, not the token', async () => {
    user.fixture('cursor', 'other');
    const preview = await t.client.installPreview('cursor');
    expect(preview.diff).toContain(t.token); // the gateway's preview is exact; the CLI masks what it prints
    const dry = await cli(['install', 'cursor', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).not.toContain(t.token);
    expect(dry.stdout).toContain(`<the token in ${path.join(t.home, 'api-token')}>`);
    expect(dry.stdout).toBe(preview.diff.split(t.token).join(`<the token in ${path.join(t.home, 'api-token')}>`));
  }, 60_000);

  it('refusals exit 1 with the message: unknown client, not detected, not configured, a file that cannot be parsed', async () => {
    const unknown = await cli(['install', 'notepad']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown MCP client "notepad"');
    const missing = await cli(['install', 'zed']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('not detected');
    user.detect('gemini_cli');
    expect((await cli(['uninstall', 'gemini_cli'])).stderr).toContain('nothing to uninstall');
    user.fixture('opencode', 'malformed');
    const malformed = await cli(['install', 'opencode', '--dry-run']);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/opencode\.json cannot be parsed at line 3, column \d+/);
    // The table says unreadable, and why under it.
    expect((await cli(['clients'])).stdout).toMatch(/\nopencode: .*opencode\.json cannot be parsed at line 3, column \d+/);
  }, 120_000);

  it("under another home than the gateway's: clients says whose files they are; install and uninstall refuse and write nothing", async () => {
    const original = user.fixture('cursor', 'other');
    const other = { ...user.env, HOME: path.join(user.env.HOME!, 'someone-else') };
    const listed = await cli(['clients'], other);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain(`the gateway runs with the home directory ${user.env.HOME}`);
    expect(listed.stderr).toContain(`not under yours (${other.HOME})`);
    const install = await cli(['install', 'cursor'], other);
    expect(install.code).toBe(1);
    expect(install.stderr).toContain('not installing: the gateway runs with the home directory');
    expect((await cli(['uninstall', 'cursor'], other)).stderr).toContain('not uninstalling');
    expect(readFileSync(user.configPath('cursor'))).toEqual(original);
    // The same home (the usual case) says nothing of the kind.
    expect((await cli(['clients'])).stderr).toBe('');
  }, 120_000);

  it('with CODEX_HOME (or another variable that moves a client’s file) set otherwise in this shell: says so, and install refuses (a trial edited ~/.codex for a shell that set CODEX_HOME)', async () => {
    const original = user.fixture('codex', 'other');
    const shell = { ...user.env, CODEX_HOME: path.join(user.env.HOME!, 'my-codex') };
    const listed = await cli(['clients'], shell);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain(`CODEX_HOME=${shell.CODEX_HOME} here but=${user.env.CODEX_HOME} for the gateway`);
    const install = await cli(['install', 'codex'], shell);
    expect(install.code).toBe(1);
    expect(install.stderr).toContain("not installing: the gateway's environment places clients' files elsewhere");
    expect(readFileSync(user.configPath('codex'))).toEqual(original);
    const unset = { ...user.env, CLAUDE_CONFIG_DIR: path.join(user.env.HOME!, 'claude-dir') };
    expect((await cli(['clients'], unset)).stderr).toContain(`CLAUDE_CONFIG_DIR=${unset.CLAUDE_CONFIG_DIR} here but unset for the gateway`);
    // A variable that does not move the client's file stops nothing: CODEX_HOME for Cursor.
    user.fixture('cursor', 'other');
    const cursor = await cli(['install', 'cursor', '--dry-run'], shell);
    expect(cursor.code).toBe(0);
    expect(cursor.stderr).toBe('');
  }, 120_000);
});
