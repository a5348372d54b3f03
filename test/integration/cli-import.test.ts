/**
 * `mcplexer import <client> [--dry-run] [--only a,b]` (dist/cli.js, a real child process) against a
 * real gateway whose HOME and config folders are a temp dir: the dry run lists each entry with its
 * status, namespace, reason and warnings and changes nothing; the import prints what it added and
 * skipped and the hint to remove the entries from the client's file once install is done; a
 * gateway working on another home's files is refused; an unknown client exits 1 with the
 * gateway's message.
 */
import { utimesSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeUser, runCli, type FakeUser } from '../helpers/client-dirs.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let user: FakeUser;
let t: TestGateway;
const SECRET = 'sk-cli-import-secret-5150';

const cli = (args: string[], env: NodeJS.ProcessEnv = user.env) => runCli(args, t.home, env);

beforeAll(async () => {
  user = fakeUser();
  t = await startTestGateway({ env: user.env, lock: true });
}, 30_000);
afterAll(async () => {
  await t?.close();
  user?.remove();
});

describe('mcplexer import', () => {
  it('--dry-run lists statuses and namespaces and adds nothing; --only imports the named entries; the rest follows; the hint names the file', async () => {
    const file = user.detect('cursor');
    writeFileSync(
      file,
      JSON.stringify({
        mcpServers: {
          alpha: { command: 'node', args: ['alpha.js'], env: { KEY: SECRET } },
          beta: { url: 'https://beta.example.test/mcp', headers: { 'X-Token': '${env:BETA_TOKEN}' } },
          gamma: { command: 'node', url: 'https://gamma.example.test/mcp' },
        },
      }),
    );
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(file, hourAgo, hourAgo);

    const dry = await cli(['import', 'cursor', '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`${file}:`);
    expect(dry.stdout).toMatch(/^ {2}new {9}alpha -> alpha {2}\(node alpha\.js\)$/m);
    expect(dry.stdout).toMatch(/^ {2}new {9}beta {2}-> beta {2}\(https:\/\/beta\.example\.test\/mcp\)$/m);
    expect(dry.stdout).toMatch(/^ {2}unsupported gamma {2}\(node\)\n {6}it has both a command and a url/m);
    expect(dry.stdout).toContain('"mcplexer import cursor" would add 2 servers');
    expect(dry.stdout).not.toContain(SECRET);
    expect(t.readConfig().downstreams.some((s) => s.name === 'alpha')).toBe(false);

    const only = await cli(['import', 'cursor', '--only', 'alpha,gamma']);
    expect(only.code).toBe(0);
    expect(only.stdout).toMatch(/^imported alpha as namespace alpha \(server [^)]+\)$/m);
    expect(only.stdout).toMatch(/^skipped gamma: it has both a command and a url/m);
    expect(only.stdout).toContain(
      `Cursor still starts these servers itself too: once "mcplexer install cursor" is done, remove them from ${file} to avoid running them twice.`,
    );
    expect(only.stdout).not.toContain(SECRET);

    const rest = await cli(['import', 'cursor']);
    expect(rest.code).toBe(0);
    expect(rest.stdout.split('\n')[0]).toMatch(/^imported beta as namespace beta \(server [^)]+\)$/);
    const again = await cli(['import', 'cursor', '--dry-run']);
    expect(again.stdout).toMatch(/^ {2}exists {6}alpha -> alpha/m);
    expect(again.stdout).toContain('nothing new to import');
    expect((await cli(['import', 'cursor'])).stdout).toContain('nothing to import');
    expect(t.readConfig().downstreams.filter((s) => s.name === 'alpha' || s.name === 'beta')).toHaveLength(2);
  }, 120_000);

  it('refuses a gateway that works on another home, and an unknown client, with exit 1', async () => {
    user.detect('windsurf');
    const elsewhere = await cli(['import', 'windsurf'], { ...user.env, HOME: '/tmp/someone-else', USERPROFILE: '/tmp/someone-else' });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/^mcplexer: not importing: the gateway runs with the home directory/);
    const unknown = await cli(['import', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown MCP client "nope"');
  }, 60_000);
});
