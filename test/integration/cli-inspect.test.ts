import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const CLI = path.resolve('dist/cli.js');
let t: TestGateway | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Runs the CLI asynchronously: the gateway it talks to lives in this process. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('mcplexer status and dry-run', () => {
  it('shows the running gateway found through gateway.lock, and each server', async () => {
    t = await startTestGateway({ lock: true });
    await t.api('POST', '/downstreams', { name: 'broken', namespace: 'broken', command: 'mcplexer-no-such-command' });
    const status = await cli(['status', '--home', t.home]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`at http://${t.url.slice('http://'.length)}: ok`);
    expect(status.stdout).toMatch(/broken\s+stopped/);
    const json = JSON.parse((await cli(['status', '--home', t.home, '--json'])).stdout);
    expect(json.data_dir).toBe(t.home);
  });

  it('shows a server’s escape sequences (clipboard, title, clear screen) as text instead of handing them to the terminal', async () => {
    t = await startTestGateway({ lock: true });
    const hostile =
      "process.stderr.write('\\x1b]52;c;cHduZWQ=\\x07\\x1b]0;PWNED\\x07\\x1b[2J\\u009d0;C1-TITLE\\u009c\\u009b2J\\x7fbad config\\n'); process.exit(3)";
    await t.api('POST', '/downstreams', { id: 'ansi', name: 'ansi', namespace: 'ansi', command: process.execPath, args: ['-e', hostile] });
    await t.api('POST', '/downstreams/ansi/discover');
    const status = await cli(['status', '--home', t.home]);
    expect(status.stdout).toContain('bad config');
    expect(status.stdout).toContain('\\x1b]52;c;cHduZWQ=\\x07');
    expect(status.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    // JSON too: JSON.stringify escapes C0 but leaves C1 (an 8-bit CSI or OSC) and DEL as they are.
    const json = await cli(['status', '--home', t.home, '--json']);
    expect(json.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(json.stdout).toContain('\\u009d0;C1-TITLE\\u009c');
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain('C1-TITLE');
  });

  it("prints the decision, the chain and the server, and fails with the API's message for an unknown workspace", async () => {
    t = await startTestGateway({ lock: true });
    await t.api('POST', '/workspaces', { id: 'proj', name: 'proj', root_path: '/srv/proj', default_policy: 'deny' });
    await t.api('POST', '/routes', { id: 'deny-writes', workspace_id: 'proj', tool_pattern: 'mcpx__load_tools', policy: 'deny' });
    const denied = await cli(['dry-run', 'proj', 'mcpx__load_tools', '--home', t.home]);
    expect(denied.code).toBe(2);
    expect(denied.stdout).toMatch(/^DENY: .*deny-writes/);
    expect(denied.stdout).toContain('chain: proj → Global');
    // A workspace made without an id (a UUID) is shown by its name, with the subpath.
    const made = (await t.api('POST', '/workspaces', { name: 'made', root_path: '/srv/made' })).body;
    const inside = await cli(['dry-run', made.id, 'mcpx__load_tools', '--subpath', 'sub/x', '--home', t.home]);
    expect(inside.stdout).toContain('chain: made (at sub/x) → Global (at srv/made/sub/x)');
    expect(inside.stdout).not.toContain(made.id);
    const allowed = await cli(['dry-run', 'proj', 'mcpx__search_tools', '--home', t.home]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/^ALLOW: .*builtin-allow/);
    expect(allowed.stdout).toContain('server: MCPlexer Built-in Tools (mcpx)');
    // No rule matches and the workspace's default is deny: no route, exit 2 as for a deny.
    const noRoute = await cli(['dry-run', 'proj', 'everything__echo', '--home', t.home]);
    expect(noRoute.code).toBe(2);
    expect(noRoute.stdout).toMatch(/^DENY: /);
    expect(JSON.parse((await cli(['dry-run', 'proj', 'everything__echo', '--home', t.home, '--json'])).stdout).error_code).toBe('no_route');
    await t.api('POST', '/routes', { id: 'gate-unload', workspace_id: 'proj', tool_pattern: 'mcpx__unload_tools', policy: 'approve' });
    const gated = await cli(['dry-run', 'proj', 'mcpx__unload_tools', '--home', t.home]);
    expect(gated.code).toBe(3);
    expect(gated.stdout).toMatch(/^APPROVE \(approval required\)/);
    // A rule allows it, but no server has the namespace: refused, and the first word says so as the exit code does.
    for (const tool of ['nope__x', 'nonamespace']) {
      const refused = await cli(['dry-run', 'global', tool, '--home', t.home]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toMatch(/^REFUSED \(unknown_tool\): .*\(unknown tool\)/);
    }
    const unknown = await cli(['dry-run', 'nope', 'x', '--home', t.home]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('workspace "nope" not found');
  });
});

describe('an unknown command', () => {
  it.each([['inspcet', '--help'], ['inspcet'], ['statsu', '-h']])(
    '%s %s fails with exit 1 naming it (it printed the top-level help with exit 0)',
    async (...args) => {
      const run = await cli(args.filter(Boolean) as string[]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`unknown command '${args[0]}'`);
      expect(run.stdout).toBe('');
    },
  );

  it('a known command’s help and the top-level help still exit 0', async () => {
    for (const args of [['status', '--help'], ['--help'], ['help']]) {
      const run = await cli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: mcplexer');
    }
  });
});

describe('a reader that stops early', () => {
  // `mcplexer dry-run … | head -1`: the pipe closed, and the CLI crashed on EPIPE with a stack trace.
  it('ends the CLI with its own exit code (2 for a deny), no stack trace', async () => {
    t = await startTestGateway({ lock: true });
    await t.api('POST', '/routes', { id: 'deny-load', workspace_id: 'global', tool_pattern: 'mcpx__load_tools', policy: 'deny' });
    const child = spawn(process.execPath, [CLI, 'dry-run', 'global', 'mcpx__load_tools', '--home', t.home], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (exit) => resolve(exit)));
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toContain('Unhandled');
    expect(code).toBe(2);
  });
});
