/**
 * `GET /mcp-install/{client}/servers` on real config files of each format family, read by a real
 * gateway whose HOME, APPDATA, XDG_CONFIG_HOME and CODEX_HOME are a temp dir: Claude Desktop JSON,
 * VS Code JSONC (comments, `${input:…}`, `${env:…}`, type sse), Codex TOML, Continue YAML and
 * opencode (command as an array, `{env:…}`, enabled false). Each answer gives the statuses,
 * namespaces and the names (never the values) of env vars and headers. Also: namespace clashes get
 * suffixes, MCPlexer's own entry is `ours` after install, and the refusals (400 naming the field,
 * 404 unknown client, 409 not detected, 422 a file that cannot be parsed).
 */
import { utimesSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportableServer } from '../../src/shared/schemas/mcp-import.js';
import { MAX_IMPORT } from '../../src/gateway/clients/import-service.js';
import { fakeUser, type FakeUser } from '../helpers/client-dirs.js';
import { addServer } from '../helpers/mcp.js';
import { errorPaths, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let user: FakeUser;
let t: TestGateway;
const SECRET = 'sk-import-secret-4711';

beforeAll(async () => {
  user = fakeUser();
  t = await startTestGateway({ env: user.env });
}, 30_000);
afterAll(async () => {
  await t?.close();
  user?.remove();
});

/** Writes a client's config file as a user has it (not changed a moment ago), its folder detected. */
function writeConfig(id: string, text: string): string {
  const file = user.detect(id);
  writeFileSync(file, text);
  const hourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(file, hourAgo, hourAgo);
  return file;
}

async function servers(id: string): Promise<ImportableServer[]> {
  const res = await t.api('GET', `/mcp-install/${id}/servers`);
  expect(res.status, res.text).toBe(200);
  expect(res.text).not.toContain(SECRET);
  return res.body.servers;
}

const byName = (list: ImportableServer[], name: string) => list.find((s) => s.name === name)!;

describe('GET /mcp-install/{client}/servers per format family', () => {
  it('Claude Desktop JSON: stdio entries, env names only, both command and url unsupported, disabled warned', async () => {
    const file = writeConfig(
      'claude_desktop',
      JSON.stringify({
        mcpServers: {
          'My Files': { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { API_KEY: SECRET } },
          both: { command: 'node', url: 'http://example.test/mcp' },
          nothing: { args: ['x'] },
          off: { command: 'node', args: ['off.js'], disabled: true },
        },
      }),
    );
    const answer = (await t.api('GET', '/mcp-install/claude_desktop/servers')).body;
    expect(answer).toMatchObject({ client: 'claude_desktop', config_path: file });
    const list: ImportableServer[] = answer.servers;
    expect(list.map((s) => s.name)).toEqual(['My Files', 'both', 'nothing', 'off']);
    expect(byName(list, 'My Files')).toEqual({
      name: 'My Files',
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'],
      env_names: ['API_KEY'],
      header_names: [],
      namespace: 'my-files',
      status: 'new',
    });
    expect(byName(list, 'both')).toMatchObject({ status: 'unsupported', reason: expect.stringContaining('both a command and a url') });
    expect(byName(list, 'nothing')).toMatchObject({ status: 'unsupported', reason: expect.stringContaining('neither a command') });
    expect(byName(list, 'off')).toMatchObject({ status: 'new', warnings: [expect.stringContaining('imported disabled')] });
    expect(await servers('claude_desktop')).toHaveLength(4);
  });

  it('VS Code JSONC with comments: ${input:…} imported with a warning, ${env:…} converted, sse as http, envFile warned', async () => {
    writeConfig(
      'vscode',
      `// my servers
{
  "inputs": [{ "type": "promptString", "id": "gh-token", "password": true }],
  "servers": {
    /* GitHub, asks for the token */
    "github": { "type": "stdio", "command": "docker", "args": ["run", "ghcr.io/github/github-mcp-server"], "env": { "GITHUB_TOKEN": "\${input:gh-token}", "HOME_DIR": "\${env:HOME}" } },
    "remote": { "type": "http", "url": "https://mcp.example.test/mcp", "headers": { "Authorization": "Bearer ${SECRET}" } }, // trailing comma next
    "legacy": { "type": "sse", "url": "https://sse.example.test/sse" },
    "files": { "command": "node", "args": ["\${workspaceFolder}/server.js"], "envFile": "\${workspaceFolder}/.env" },
  },
}
`,
    );
    const list = await servers('vscode');
    expect(byName(list, 'github')).toMatchObject({ status: 'new', env_names: ['GITHUB_TOKEN', 'HOME_DIR'], namespace: 'github' });
    expect(byName(list, 'github').warnings).toEqual([
      expect.stringMatching(/env GITHUB_TOKEN uses \$\{input:gh-token\}.*set the value of env GITHUB_TOKEN in MCPlexer/),
      expect.stringContaining('imported disabled until that is done'),
    ]);
    expect(byName(list, 'remote')).toMatchObject({ status: 'new', transport: 'http', url: 'https://mcp.example.test/mcp', header_names: ['Authorization'] });
    expect(byName(list, 'remote').warnings).toBeUndefined();
    expect(byName(list, 'legacy')).toMatchObject({ status: 'new', transport: 'http', url: 'https://sse.example.test/sse' });
    const files = byName(list, 'files');
    expect(files.status).toBe('new');
    expect(files.warnings).toEqual([
      expect.stringContaining('its args uses ${workspaceFolder}'),
      expect.stringContaining('its envFile (${workspaceFolder}/.env) is not read by MCPlexer'),
      expect.stringContaining('imported disabled until that is done'),
    ]);
  });

  it('Codex TOML: [mcp_servers.x] with env, an http one with bearer_token_env_var, enabled = false', async () => {
    writeConfig(
      'codex',
      `model = "o3"

# local docs server
[mcp_servers.docs]
command = "uvx"
args = ["mcp-docs", "--root", "/srv"]
env = { DOCS_TOKEN = "${SECRET}" }

[mcp_servers.linear]
url = "https://mcp.linear.test/mcp"
bearer_token_env_var = "LINEAR_TOKEN"

[mcp_servers.paused]
command = "node"
args = ["p.js"]
enabled = false
`,
    );
    const list = await servers('codex');
    expect(byName(list, 'docs')).toMatchObject({
      status: 'new',
      transport: 'stdio',
      command: 'uvx',
      args: ['mcp-docs', '--root', '/srv'],
      env_names: ['DOCS_TOKEN'],
    });
    expect(byName(list, 'linear')).toMatchObject({ status: 'new', transport: 'http', header_names: ['Authorization'] });
    expect(byName(list, 'paused')).toMatchObject({ status: 'new', warnings: [expect.stringContaining('disabled')] });
  });

  it('Continue YAML: the mcpServers list by item name, its own secrets warned', async () => {
    writeConfig(
      'continue',
      `name: Local Assistant
version: 1.0.0
schema: v1
mcpServers:
  # a comment
  - name: SQLite DB
    command: npx
    args: ["-y", "mcp-sqlite", "/tmp/db.sqlite"]
    env:
      DB_KEY: \${{ secrets.DB_KEY }}
  - name: Web
    type: streamable-http
    url: https://web.example.test/mcp
`,
    );
    const list = await servers('continue');
    expect(list.map((s) => [s.name, s.status, s.namespace, s.transport])).toEqual([
      ['SQLite DB', 'new', 'sqlite-db', 'stdio'],
      ['Web', 'new', 'web', 'http'],
    ]);
    expect(byName(list, 'SQLite DB').warnings).toEqual([
      expect.stringContaining('${{ secrets.DB_KEY }}'),
      expect.stringContaining('imported disabled until that is done'),
    ]);
  });

  it('opencode: a local command array becomes command + args, environment names, remote headers, enabled false', async () => {
    writeConfig(
      'opencode',
      JSON.stringify({
        $schema: 'https://opencode.ai/config.json',
        mcp: {
          local_one: { type: 'local', command: ['bun', 'x', 'my-mcp', '--flag'], environment: { TOKEN: SECRET, PATH_REF: '{env:HOME}' }, enabled: false },
          remote_one: { type: 'remote', url: 'https://r.example.test/mcp', headers: { 'X-Key': SECRET } },
          broken: { type: 'websocket', url: 'wss://x.example.test' },
        },
      }),
    );
    const list = await servers('opencode');
    expect(byName(list, 'local_one')).toMatchObject({
      status: 'new',
      transport: 'stdio',
      command: 'bun',
      args: ['x', 'my-mcp', '--flag'],
      env_names: ['TOKEN', 'PATH_REF'],
      namespace: 'local_one',
      warnings: [expect.stringContaining('disabled')],
    });
    expect(byName(list, 'remote_one')).toMatchObject({ status: 'new', transport: 'http', header_names: ['X-Key'] });
    expect(byName(list, 'broken')).toMatchObject({ status: 'unsupported', reason: expect.stringContaining('"websocket"') });
  });
});

describe('namespaces, ours and refusals', () => {
  it('a namespace taken by a server, by a reserved name or by another entry gets -2, -3', async () => {
    await addServer(t, { name: 'Existing fetch', command: process.execPath, args: ['fetch.js'], namespace: 'fetch' });
    writeConfig(
      'cline',
      JSON.stringify({
        mcpServers: {
          fetch: { command: 'node', args: ['other-fetch.js'] },
          Fetch: { command: 'node', args: ['third-fetch.js'] },
          a__b: { command: 'node', args: ['ab.js'] },
          mcpx: { command: 'node', args: ['mcpx.js'] },
          mcplexer: { command: 'node', args: ['not-ours.js'] },
        },
      }),
    );
    const list = await servers('cline');
    expect(list.map((s) => [s.name, s.namespace, s.status])).toEqual([
      ['fetch', 'fetch-2', 'new'],
      ['Fetch', 'fetch-3', 'new'],
      ['a__b', 'a_b', 'new'],
      ['mcpx', 'mcpx-2', 'new'],
      ['mcplexer', 'mcplexer-2', 'new'],
    ]);
  });

  it("MCPlexer's own entry is `ours` after install, and is skipped by an import that names it", async () => {
    writeConfig('cursor', JSON.stringify({ mcpServers: { web: { url: 'https://cursor-web.example.test/mcp' } } }));
    await t.client.installClient('cursor');
    const list = await servers('cursor');
    expect(list.map((s) => [s.name, s.status])).toEqual([
      ['web', 'new'],
      ['mcplexer', 'ours'],
    ]);
    const result = (await t.api('POST', '/mcp-install/cursor/import', { servers: ['mcplexer'] })).body;
    expect(result).toEqual({ imported: [], skipped: [{ name: 'mcplexer', reason: expect.stringContaining("MCPlexer's own entry") }] });
  });

  it('a body that fails ImportRequest is a 400 naming the field; unknown client 404; not detected 409; unparseable 422', async () => {
    const empty = await t.api('POST', '/mcp-install/cursor/import', { servers: [] });
    expect(empty.status).toBe(400);
    expect(errorPaths(empty.body)).toEqual(['servers']);
    const extra = await t.api('POST', '/mcp-install/cursor/import', { server: ['web'] });
    expect(extra.status).toBe(400);
    expect(errorPaths(extra.body)).toEqual(['server']);
    expect((await t.api('POST', '/mcp-install/cursor/import', 'null')).status).toBe(400);
    const blank = await t.api('POST', '/mcp-install/cursor/import', { servers: [''] });
    expect(blank.status).toBe(400);
    expect(errorPaths(blank.body)).toEqual(['servers.0']);
    expect((await t.api('GET', '/mcp-install/nope/servers')).status).toBe(404);
    expect((await t.api('POST', '/mcp-install/nope/import', {})).status).toBe(404);
    expect((await t.api('GET', '/mcp-install/windsurf/servers')).status).toBe(409);
    writeConfig('lm_studio', '{ "mcpServers": { "a": ');
    const broken = await t.api('GET', '/mcp-install/lm_studio/servers');
    expect(broken.status).toBe(422);
    expect(broken.body.error.message).toMatch(/cannot be parsed at line 1/);
  });

  it('shows args and URLs masked as GET /downstreams does, and takes a local server on another port for a server, not MCPlexer', async () => {
    const { port } = new URL(t.url);
    writeConfig(
      'cline',
      JSON.stringify({
        mcpServers: {
          pg: { command: 'npx', args: ['-y', 'server-postgres', 'postgresql://admin:PgSecret0815@db/prod'] },
          sse: { url: 'https://mcp.example.test/sse?token=ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
          local: { url: 'http://localhost:3000/mcp', type: 'streamableHttp', headers: { Authorization: 'Bearer theirs' } },
          gateway: { url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: 'Bearer an-old-token' } },
        },
      }),
    );
    const res = await t.api('GET', '/mcp-install/cline/servers');
    expect(res.text).not.toContain('PgSecret0815');
    expect(res.text).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(byName(res.body.servers, 'pg').args).toEqual(['-y', 'server-postgres', 'postgresql://admin:********@db/prod']);
    expect(byName(res.body.servers, 'local').status).toBe('new');
    expect(byName(res.body.servers, 'gateway').status).toBe('ours');
  });

  it(`adds at most ${MAX_IMPORT} servers in one import: past that the body must name them, and nothing is added`, async () => {
    const many = Object.fromEntries(Array.from({ length: MAX_IMPORT + 1 }, (_, i) => [`w${i}`, { command: 'echo', args: [`w${i}`] }]));
    writeConfig('zed', JSON.stringify({ context_servers: many }));
    const before = (await t.api('GET', '/downstreams')).body.length;
    const refused = await t.api('POST', '/mcp-install/zed/import', {});
    expect(refused.status).toBe(400);
    expect(errorPaths(refused.body)).toEqual(['servers']);
    expect(refused.body.error.message).toContain(`would add ${MAX_IMPORT + 1} servers`);
    expect((await t.api('GET', '/downstreams')).body.length).toBe(before);
    const named = await t.api('POST', '/mcp-install/zed/import', { servers: ['w0', 'w1'] });
    expect(named.body.imported.map((s: { name: string }) => s.name)).toEqual(['w0', 'w1']);
  });
});
