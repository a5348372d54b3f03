import { beforeEach, describe, expect, it } from 'vitest';
import { EventEmitter, fake, resetFake } from '../../fakes/vscode.js';
import { registerImportCommand } from '../../../src/extension/import-servers.js';
import { importRows, importSummary, leftOut, nothingToImport, whatItRuns } from '../../../src/extension/import-servers-model.js';
import type { ImportableServersAnswer } from '../../../src/shared/schemas/mcp-import.js';

/**
 * "Import Servers from Client…" on the fake editor: the words of its rows and summary, and its flow
 * against a stand-in for the gateway's two import endpoints (the real ones are exercised by the
 * gateway's own tests and the e2e suite): pick a client, pick entries, import, then the summary
 * with its next steps.
 */
beforeEach(() => resetFake());

const ANSWER: ImportableServersAnswer = {
  client: 'cursor',
  config_path: '/home/u/.cursor/mcp.json',
  servers: [
    {
      name: 'github',
      transport: 'stdio',
      command: 'npx',
      args: ['-y', 'gh-mcp'],
      env_names: ['GITHUB_TOKEN'],
      header_names: [],
      namespace: 'github',
      status: 'new',
    },
    {
      name: 'Linear',
      transport: 'http',
      url: 'https://mcp.linear.app/mcp',
      env_names: [],
      header_names: ['Authorization'],
      namespace: 'linear',
      status: 'new',
      warnings: ['disabled in Cursor: imported disabled'],
    },
    {
      name: 'memory',
      transport: 'stdio',
      command: 'node',
      args: ['m.js'],
      env_names: [],
      header_names: [],
      namespace: 'memory',
      status: 'exists',
      existing_server_id: 's1',
    },
    { name: 'mcplexer', transport: 'stdio', command: 'node', env_names: [], header_names: [], namespace: 'mcplexer-2', status: 'ours' },
    { name: 'old', transport: 'http', url: 'http://x/sse', env_names: [], header_names: [], namespace: 'old', status: 'unsupported', reason: 'legacy SSE' },
  ],
};

describe('the words', () => {
  it('offers the new entries only, picked, with what they run and the names (never values) they set', () => {
    const rows = importRows(ANSWER);
    expect(rows.map((row) => [row.label, row.description, row.picked])).toEqual([
      ['github', 'as github__<tool>', true],
      ['Linear', 'as linear__<tool>', true],
    ]);
    expect(rows[0]!.detail).toBe('npx -y gh-mcp · sets GITHUB_TOKEN');
    expect(whatItRuns(ANSWER.servers[1]!)).toBe('https://mcp.linear.app/mcp · sets Authorization · ⚠ disabled in Cursor: imported disabled');
  });

  it('names what it leaves out, and why there is nothing to pick', () => {
    expect(leftOut(ANSWER)).toEqual(['memory: already in MCPlexer', "mcplexer: MCPlexer's own entry", 'old: cannot be imported (legacy SSE)']);
    expect(nothingToImport('Cursor', { ...ANSWER, servers: [] })).toBe("Cursor's config (/home/u/.cursor/mcp.json) has no MCP servers of its own to import.");
    expect(nothingToImport('Cursor', { ...ANSWER, servers: ANSWER.servers.slice(2) })).toMatch(/^Nothing to import from Cursor: memory: already in MCPlexer; /);
  });

  it('sums up what came in, what was skipped, and that the client still starts them', () => {
    const text = importSummary('Cursor', ANSWER.config_path, {
      imported: [{ name: 'github', server_id: 'a', namespace: 'github' }],
      skipped: [{ name: 'Linear', reason: 'namespace taken' }],
    });
    expect(text).toBe(
      'Imported 1 server from Cursor: github (github__…). Skipped: Linear (namespace taken). Cursor still starts them itself: once MCPlexer is installed into it, remove them from /home/u/.cursor/mcp.json so they do not run twice.',
    );
    expect(importSummary('Cursor', ANSWER.config_path, { imported: [], skipped: [] })).toBe('Nothing was imported from Cursor.');
  });
});

function setUp(configured = false) {
  const imported: Array<{ client: string; names: string[] | undefined }> = [];
  const client = {
    installStatus: async () => ({
      clients: [
        { id: 'claude_desktop', name: 'Claude Desktop', config_path: '/c.json', detected: false, configured: false, stale: false },
        { id: 'cursor', name: 'Cursor', config_path: ANSWER.config_path, detected: true, configured, stale: false },
      ],
    }),
    importableServers: async () => ANSWER,
    importServers: async (id: string, names?: string[]) => {
      imported.push({ client: id, names });
      return { imported: (names ?? []).map((name) => ({ name, server_id: name, namespace: name.toLowerCase() })), skipped: [] };
    },
  };
  const connection = { onDidChangeState: new EventEmitter<string>().event, client };
  const disposable = registerImportCommand({ connection, log: { info: () => undefined, warn: () => undefined } } as never);
  return { imported, run: () => fake.commands.get('mcplexer.importServers')!(), dispose: () => disposable.dispose() };
}

describe('the command', () => {
  it('offers detected clients only, imports the picked entries, and offers the next steps', async () => {
    const t = setUp();
    const offered: unknown[][] = [];
    fake.answers.quickPick = (items) => {
      offered.push(items);
      const first = items[0] as { client?: unknown };
      return first.client ? first : [items[0]]; // the client, then only the first entry
    };
    fake.answers.message = 'Open Servers';
    await t.run();
    expect((offered[0] as Array<{ label: string }>).map((item) => item.label)).toEqual(['Cursor']);
    expect(t.imported).toEqual([{ client: 'cursor', names: ['github'] }]);
    expect(fake.progress.map((p) => [p.title, p.done])).toEqual([['MCPlexer: importing 1 server from Cursor…', true]]);
    const summary = fake.messages.find((m) => m.level === 'info')!;
    expect(summary.text).toContain('Imported 1 server from Cursor: github');
    expect(fake.calls).toContain('execute:mcplexer.openServers');
    t.dispose();
  });

  it('imports nothing when the pick is dismissed', async () => {
    const t = setUp(true);
    fake.answers.quickPick = (items) => ((items[0] as { client?: unknown }).client ? items[0] : undefined);
    await t.run();
    expect(t.imported).toEqual([]);
    t.dispose();
  });
});
