/**
 * Files MCPlexer reads fine but cannot edit as asked, and files it misread: a valid Codex
 * config.toml with `mcp_servers = { … }` inline was refused as "cannot be parsed at line 4 … fix it"
 * (a 2-line file: the error of MCPlexer's own edit, blamed on the file); a multi-line string holding
 * a `[mcp_servers.mcplexer]` line was taken for the table; a JSON key twice gave a 500. Each
 * refusal names what is wrong and what to do; the file is untouched. Real files in a temp HOME.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientInstaller } from '../../src/gateway/clients/index.js';
import { fakeUser, type FakeUser, refusal, testContext, testInstaller } from '../helpers/client-dirs.js';

let user: FakeUser;
let installer: ClientInstaller;

beforeEach(() => {
  user = fakeUser();
  const context = testContext(user);
  installer = testInstaller(user, () => context);
});
afterEach(() => user.remove());

describe('Codex config.toml', () => {
  it('mcp_servers as an inline table: 422 saying to rewrite it as [mcp_servers.<name>] tables, not that the file is broken', () => {
    const file = user.detect('codex');
    const text = 'model = "o3"\nmcp_servers = { docs = { command = "npx", args = ["x"] } }\n';
    writeFileSync(file, text);
    for (const run of [() => installer.preview('codex'), () => installer.install('codex')]) {
      const error = refusal(run);
      expect(error.code).toBe('unprocessable');
      expect(error.message).toContain('defines mcp_servers as an inline table');
      expect(error.message).toContain('[mcp_servers.<name>] table');
      expect(error.message).not.toMatch(/cannot be parsed|fix it/);
    }
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('a multi-line string holding a [mcp_servers.mcplexer] line is string content: install adds the table, uninstall gives the bytes back', () => {
    const file = user.detect('codex');
    const text =
      'model = "o3"\n\n[mcp_servers.docs]\ncommand = "npx"\n\n[notes]\nhowto = """\nTo add mcplexer by hand, paste:\n[mcp_servers.mcplexer]\ncommand = "mcplexer"\nand restart Codex.\n"""\nother = \'\'\'\n[mcp_servers.mcplexer]\n\'\'\'\n';
    writeFileSync(file, text);
    installer.install('codex');
    const written = readFileSync(file, 'utf8');
    const parsed = parse(written) as { notes: { howto: string }; mcp_servers: Record<string, { command: string }> };
    expect(parsed.notes.howto).toContain('[mcp_servers.mcplexer]\ncommand = "mcplexer"');
    expect(parsed.mcp_servers.mcplexer!.command).toBe(process.execPath);
    installer.uninstall('codex');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});

describe('JSON', () => {
  it('"mcplexer" twice in the servers object: 422 naming the key and its lines; nothing written', () => {
    const file = user.detect('cursor');
    const text = '{\n  "mcpServers": {\n    "mcplexer": {"url": "a"},\n    "memory": {"command": "npx"},\n    "mcplexer": {"url": "b"}\n  }\n}\n';
    writeFileSync(file, text);
    for (const run of [() => installer.install('cursor'), () => installer.uninstall('cursor')]) {
      const error = refusal(run);
      expect(error.code).toBe('unprocessable');
      expect(error.message).toContain('"mcplexer" appears twice in "mcpServers" (lines 3 and 5)');
    }
    expect(installer.status().clients.find((c) => c.id === 'cursor')!.error).toContain('appears twice');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('the servers key twice at the top level: 422 (a client keeping the last one would not see an entry written into the first)', () => {
    const file = user.detect('vscode');
    const text = '{\n  "servers": {},\n  "servers": {"memory": {"command": "npx"}}\n}\n';
    writeFileSync(file, text);
    expect(refusal(() => installer.install('vscode'))).toMatchObject({
      code: 'unprocessable',
      message: expect.stringContaining('"servers" appears twice at the top level (lines 2 and 3)'),
    });
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
