/**
 * The client's own program agrees with what mcp-install wrote: Claude Code's CLI
 * (`@anthropic-ai/claude-code` 2.1.112, its last pure-JavaScript release) and Gemini CLI's
 * (`@google/gemini-cli` 0.61.0), both pinned in tools/mcp-clients, run with HOME (and Gemini's
 * GEMINI_CLI_HOME, which moves its files and which the gateway is given too) in a temp dir. After `POST /mcp-install/<client>/install`, `<cli> mcp list`
 * connects to the running gateway and reports `mcplexer` connected; with a wrong token written by
 * hand it reports the failure (and `status` marks the entry stale); installing again mends it;
 * after uninstall it no longer lists `mcplexer`. No timing is asserted: each CLI run may take long
 * on a loaded machine.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureClientClis, runClientCli, type ClientCli } from '../helpers/client-clis.js';
import { fakeUser, type FakeUser } from '../helpers/client-dirs.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, everythingStdioBody, killStrayGateway } from '../helpers/mcp.js';

const CLI_TIMEOUT = 180_000;

let user: FakeUser;
let t: TestGateway;
let project: string;

interface Case {
  id: string;
  cli: ClientCli;
  /** The CLI's env beyond PATH: the fake user's dirs, and the switches that keep it off the network. */
  env: () => NodeJS.ProcessEnv;
  connected: (url: string) => RegExp;
  failed: (url: string) => RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const CASES: Case[] = [
  {
    id: 'claude_code',
    cli: 'claude',
    env: () => ({
      HOME: user.env.HOME,
      XDG_CONFIG_HOME: user.env.XDG_CONFIG_HOME,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
    }),
    connected: (url) => new RegExp(`^mcplexer: ${escape(url)} \\(HTTP\\) - ✓ Connected$`, 'm'),
    failed: (url) => new RegExp(`^mcplexer: ${escape(url)} \\(HTTP\\) - ✗ Failed to connect$`, 'm'),
  },
  {
    id: 'gemini_cli',
    cli: 'gemini',
    env: () => ({
      HOME: user.env.HOME,
      XDG_CONFIG_HOME: user.env.XDG_CONFIG_HOME,
      GEMINI_CLI_HOME: user.env.GEMINI_CLI_HOME,
      // The machine's own system settings (/etc/gemini-cli) stay out of it.
      GEMINI_CLI_SYSTEM_SETTINGS_PATH: path.join(user.root, 'gemini-system', 'settings.json'),
      GEMINI_CLI_SYSTEM_DEFAULTS_PATH: path.join(user.root, 'gemini-system', 'system-defaults.json'),
    }),
    connected: (url) => new RegExp(`^✓ mcplexer: ${escape(url)} \\(http\\) - Connected$`, 'm'),
    failed: (url) => new RegExp(`^✗ mcplexer: ${escape(url)} \\(http\\) - Disconnected$`, 'm'),
  },
];

async function mcpList(c: Case): Promise<string> {
  const result = await runClientCli(c.cli, ['mcp', 'list'], { env: c.env(), cwd: project, timeoutMs: CLI_TIMEOUT - 10_000 });
  // Gemini CLI prints its list on stderr, Claude Code on stdout: both are what the user sees.
  const output = result.stdout + result.stderr;
  expect(result.status, `${c.cli} mcp list: ${output}`).toBe(0);
  return output;
}

beforeAll(async () => {
  ensureClientClis();
  user = fakeUser();
  project = path.join(user.root, 'project');
  mkdirSync(project, { recursive: true });
  // Gemini CLI keeps everything under $GEMINI_CLI_HOME/.gemini when that is set: the gateway is given it too.
  user.env.GEMINI_CLI_HOME = path.join(user.root, 'gemini-home');
  // Gemini CLI suppresses every MCP server, the user's too, in a folder the user has not trusted.
  const gemini = path.dirname(user.configPath('gemini_cli'));
  mkdirSync(gemini, { recursive: true });
  writeFileSync(path.join(gemini, 'trustedFolders.json'), JSON.stringify({ [project]: 'TRUST_FOLDER' }, null, 2));
  t = await startTestGateway({ env: user.env, lock: true });
  await addServer(t, everythingStdioBody('ev'));
}, 180_000);
afterAll(async () => {
  await t?.close();
  if (t) killStrayGateway(t.home);
  user?.remove();
});

describe.each(CASES)('$cli mcp list agrees with mcp-install ($id)', (c) => {
  it(
    'lists mcplexer connected after install, reports a hand-written wrong token, and no longer lists it after uninstall',
    async () => {
      user.detect(c.id);
      const url = `${t.url}/mcp`;
      const before = await mcpList(c);
      expect(before).not.toMatch(/mcplexer/);

      await t.client.installClient(c.id);
      expect(await mcpList(c)).toMatch(c.connected(url));

      // A wrong token, written by hand: the CLI's own health check fails on the gateway's 401.
      const file = user.configPath(c.id);
      const config = JSON.parse(readFileSync(file, 'utf8'));
      config.mcpServers.mcplexer.headers.Authorization = 'Bearer not-the-token';
      writeFileSync(file, JSON.stringify(config, null, 2));
      const wrong = await mcpList(c);
      expect(wrong).toMatch(c.failed(url));
      expect(wrong).not.toMatch(c.connected(url));
      expect((await t.client.installStatus()).clients.find((s) => s.id === c.id)).toMatchObject({ configured: true, stale: true });

      // Installing again updates the stale entry, and the same CLI connects again (same URL: the token was the fault).
      await t.client.installClient(c.id);
      expect(await mcpList(c)).toMatch(c.connected(url));

      await t.client.uninstallClient(c.id);
      expect(JSON.parse(readFileSync(file, 'utf8')).mcpServers?.mcplexer).toBeUndefined();
      expect(await mcpList(c)).not.toMatch(/mcplexer/);
    },
    6 * CLI_TIMEOUT,
  );
});
