import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpointChoices } from '../../../src/extension/commands.js';
import { httpEndpointText, quoteArg, stdioBridgeCommand } from '../../../src/extension/endpoint-strings.js';
import { workspaceHeader } from '../../../src/extension/workspace-header.js';

describe('Copy MCP Endpoint strings', () => {
  it('HTTP: the /mcp URL and the Authorization header', () => {
    expect(httpEndpointText('http://127.0.0.1:8080', 'tok123')).toBe('URL: http://127.0.0.1:8080/mcp\nHeader: Authorization: Bearer tok123');
    expect(httpEndpointText('http://127.0.0.1:41234', 'x')).toContain('http://127.0.0.1:41234/mcp');
  });

  it('stdio: node <stable cli> connect --home <data dir>, quoted only where needed', () => {
    expect(stdioBridgeCommand('/home/u/.mcplexer/bin/mcplexer-cli.js', '/home/u/.mcplexer', 'linux')).toBe(
      'node /home/u/.mcplexer/bin/mcplexer-cli.js connect --home /home/u/.mcplexer',
    );
    expect(stdioBridgeCommand("/home/o'neil/my data/bin/mcplexer-cli.js", "/home/o'neil/my data", 'darwin')).toBe(
      `node '/home/o'\\''neil/my data/bin/mcplexer-cli.js' connect --home '/home/o'\\''neil/my data'`,
    );
    expect(quoteArg('C:\\Users\\A B\\.mcplexer', 'win32')).toBe('"C:\\Users\\A B\\.mcplexer"');
  });

  it('the quick pick rows carry the texts, or say why one cannot be copied', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'mcplexer-endpoint-'));
    const missing = endpointChoices({ url: undefined, token: undefined }, dataDir);
    expect(missing.map((c) => c.text)).toEqual([undefined, undefined]);
    expect(missing[0]!.problem).toMatch(/not running.*Restart Gateway/);
    expect(missing[1]!.problem).toContain(path.join(dataDir, 'bin', 'mcplexer-cli.js'));
    mkdirSync(path.join(dataDir, 'bin'));
    writeFileSync(path.join(dataDir, 'bin', 'mcplexer-cli.js'), '');
    const ready = endpointChoices({ url: 'http://127.0.0.1:9', token: 't' }, dataDir);
    expect(ready.map((c) => c.text)).toEqual([
      httpEndpointText('http://127.0.0.1:9', 't'),
      stdioBridgeCommand(path.join(dataDir, 'bin', 'mcplexer-cli.js'), dataDir),
    ]);
  });
});

describe('X-MCPlexer-Workspace of the window', () => {
  it('one folder: its path; several: a JSON array of all; none: no header', () => {
    expect(workspaceHeader(['/a'])).toBe('/a');
    expect(workspaceHeader(['/a', '/b c'])).toBe('["/a","/b c"]');
    expect(JSON.parse(workspaceHeader(['/a', '/b', '/c'])!)).toEqual(['/a', '/b', '/c']);
    expect(workspaceHeader([])).toBeUndefined();
  });
});
