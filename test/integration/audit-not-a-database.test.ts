// A data dir whose audit.db is no SQLite file: the daemon used to say it was listening (and answer
// health) before the audit trail's open failed behind the listener and it exited 1 (a chaos
// trial). Whoever started it took it for up. Now the start fails before it listens, saying what
// to do, and leaves no gateway.lock; the file is untouched.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../fixtures/downstream-servers.js';
import { CLI } from '../helpers/mcp.js';

const homes: string[] = [];
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function serve(home: string, port: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('MCPLEXER_')) env[key] = value;
  const proc = spawn(process.execPath, [CLI, 'serve', '--home', home, '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  proc.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => proc.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr }))));
}

describe('an audit.db that is not a database', () => {
  it.each([
    ['text', 'not a database, just text '.repeat(50)],
    ['another binary format', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])],
  ])(
    '(%s) fails the start before it listens, saying to move it aside; the file is kept',
    async (_kind, content) => {
      const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-audit-junk-'));
      homes.push(home);
      const file = path.join(home, 'audit.db');
      writeFileSync(file, content);
      const run = await serve(home, await freePort());
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`cannot open the audit database ${file}: it is not an SQLite database`);
      expect(run.stderr).toContain('Move it aside');
      expect(run.stdout + run.stderr).not.toMatch(/listening|MCPlexer http/);
      expect(existsSync(path.join(home, 'gateway.lock'))).toBe(false);
      expect(readFileSync(file)).toEqual(Buffer.from(content));
    },
    30_000,
  );
});
