// A failure of a stdio server's process quotes what that process wrote, not an earlier one's: a
// first process prints junk to stdout and "about to crash" to stderr and dies at its first call;
// the second exits at start with its own message. The second failure names only its own output (a
// chaos trial: an unrelated exit of a new process was blamed on the earlier one's junk and stderr).
// Health's stderr tail keeps the history. Real child processes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DownstreamPool } from '../../src/gateway/downstream/index.js';
import { makeServer, RAW_SERVER } from '../fixtures/downstream-servers.js';
import { gatewayFailure } from '../helpers/mcp.js';

const pool = new DownstreamPool({ startTimeoutMs: 10_000 });
const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-blame-'));
afterAll(async () => {
  await pool.stopAll({ drainMs: 0 });
  rmSync(dir, { recursive: true, force: true });
});

describe('what a failure quotes', () => {
  it('is what the failing process wrote, not the one before it; health keeps both', async () => {
    // First life: the raw fixture with junk on stdout (it crashes when called); second life: exits at start.
    const lives = path.join(dir, 'lives');
    const script = path.join(dir, 'two-lives.mjs');
    writeFileSync(
      script,
      `import { existsSync, writeFileSync } from 'node:fs';
if (existsSync(${JSON.stringify(lives)})) { process.stderr.write('second life: missing license\\n'); process.exit(1); }
writeFileSync(${JSON.stringify(lives)}, '1');
process.argv.push('--garbage');
await import(${JSON.stringify(RAW_SERVER)});
`,
    );
    const server = makeServer({ name: 'blamed', command: process.execPath, args: [script] });
    const crashed = await gatewayFailure(pool.callTool(server, null, { name: 'crash', arguments: {} }, { timeoutMs: 10_000 }));
    expect(crashed.message).toContain('about to crash');
    const second = await gatewayFailure(pool.callTool(server, null, { name: 'echo', arguments: {} }, { timeoutMs: 10_000 }));
    expect(second.message).toContain('second life: missing license');
    expect(second.message).not.toContain('about to crash');
    expect(second.message).not.toContain('not JSON-RPC');
    expect(JSON.stringify(pool.health([server])[0])).toContain('about to crash');
  });
});
