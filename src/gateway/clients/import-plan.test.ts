import { describe, expect, it } from 'vitest';
import { namespaceSchema } from '../../shared/schemas/index.js';
import { readClientEntry } from './import-entries.js';
import { namespaceBase, planImport, type ExistingServer } from './import-plan.js';
import { convertValue } from './import-values.js';

describe('namespaceBase', () => {
  it.each([
    ['My Files', 'my-files'],
    ['a__b', 'a_b'],
    ['__x__', 'x'],
    ['@scope/server.v2', 'scope-server-v2'],
    ['trailing_', 'trailing'],
    ['日本語', 'server'],
    ['x'.repeat(100), 'x'.repeat(60)],
  ])('%s → %s, a valid namespace', (name, expected) => {
    expect(namespaceBase(name)).toBe(expected);
    expect(namespaceSchema.safeParse(namespaceBase(name)).success).toBe(true);
  });
});

describe('convertValue', () => {
  it("writes the clients' env references as MCPlexer's in env and header values", () => {
    expect(convertValue('${env:A}/{env:B}/${C}', 'env X', true)).toEqual({ value: '${A}/${B}/${C}', warnings: [] });
  });

  it('warns about what MCPlexer cannot resolve, naming the reference, never the rest of the value', () => {
    const { value, warnings } = convertValue('secret-part ${input:tok}', 'env TOKEN', true);
    expect(value).toBe('secret-part ${input:tok}');
    expect(warnings).toEqual([expect.stringContaining('env TOKEN uses ${input:tok}')]);
    expect(warnings.join()).not.toContain('secret-part');
    expect(convertValue('${env:HOME}/x', 'its args', false).warnings).toEqual([expect.stringContaining('expands variables only in env and header values')]);
  });
});

describe('planImport', () => {
  const read = (entries: Record<string, unknown>) => Object.entries(entries).map(([name, raw]) => readClientEntry('Test', name, raw));
  const context = (file: string) => ({ file, show: (text: string) => text.replace(/:[^:@/]+@/, ':********@'), own: { port: '8080', token: 'own-token' } });

  it('gives `exists` for the same command and args or the same URL, and suffixes a taken namespace', () => {
    const servers = [
      { id: 's1', name: 'Mem', namespace: 'memory', command: 'node', args: ['mem.js'], env: {}, headers: {} },
      { id: 's2', name: 'Web', namespace: 'web', args: [], url: 'https://WEB.example.test/mcp', env: {}, headers: {} },
    ];
    const plan = planImport(
      read({
        memory: { command: 'node', args: ['mem.js'] },
        web: { url: 'https://web.example.test/mcp' },
        other: { command: 'node', args: ['other.js'] },
        Mem: { command: 'node', args: ['mem2.js'] },
      }),
      servers,
      context('f'),
    );
    expect(plan.map((p) => [p.answer.name, p.answer.status, p.answer.namespace, p.answer.existing_server_id])).toEqual([
      ['memory', 'exists', 'memory', 's1'],
      ['web', 'exists', 'web', 's2'],
      ['other', 'new', 'other', undefined],
      ['Mem', 'new', 'mem', undefined],
    ]);
    // "Mem" is a server's name already: the new one is named by its namespace.
    expect(plan[3]!.body).toMatchObject({ name: 'mem', namespace: 'mem' });
  });

  it('marks what POST /downstreams would refuse as unsupported, with the field', () => {
    const [bad] = planImport(read({ h: { url: 'https://x.example.test', headers: { 'bad name': 'v' } } }), [], context('the file'));
    expect(bad!.answer).toMatchObject({
      status: 'unsupported',
      reason: expect.stringMatching(/^MCPlexer would refuse it: headers\.bad name a header name must be/),
    });
    expect(bad!.body).toBeUndefined();
  });
});

describe('the faults a trial found', () => {
  const read = (entries: Record<string, unknown>) => Object.entries(entries).map(([name, raw]) => readClientEntry('Test', name, raw));
  const context = { file: 'f', show: (text: string) => text.replace(/:[^:@/]+@/, ':********@'), own: { port: '8080', token: 'own-token' } };

  it('the same command with other env, cwd or headers is another server, not `exists`', () => {
    const servers: ExistingServer[] = [
      { id: 's1', name: 'mem', namespace: 'mem', command: 'node', args: ['m.js'], env: { MEMORY_FILE_PATH: '/a' }, headers: {} },
      { id: 's2', name: 'gh', namespace: 'gh', args: [], url: 'https://gh.example.test/mcp', env: {}, headers: { Authorization: 'Bearer one' } },
    ];
    const plan = planImport(
      read({
        same: { command: 'node', args: ['m.js'], env: { MEMORY_FILE_PATH: '/a' } },
        otherEnv: { command: 'node', args: ['m.js'], env: { MEMORY_FILE_PATH: '/b' } },
        otherCwd: { command: 'node', args: ['m.js'], env: { MEMORY_FILE_PATH: '/a' }, cwd: '/w' },
        otherAccount: { url: 'https://gh.example.test/mcp', headers: { Authorization: 'Bearer two' } },
      }),
      servers,
      context,
    );
    expect(plan.map((p) => p.answer.status)).toEqual(['exists', 'new', 'new', 'new']);
  });

  it('an HTTP entry is ours only when it reaches this gateway (its port or its token)', () => {
    const plan = planImport(
      read({
        ourPort: { url: 'http://127.0.0.1:8080/mcp', headers: { Authorization: 'Bearer old' } },
        ourToken: { url: 'http://localhost:9999/mcp', headers: { Authorization: 'Bearer own-token' } },
        localServer: { url: 'http://localhost:3000/mcp', headers: { Authorization: 'Bearer theirs' } },
      }),
      [],
      context,
    );
    expect(plan.map((p) => p.answer.status)).toEqual(['ours', 'ours', 'new']);
  });

  it('shows args and URLs as the API does (a password masked), and a default in a reference not at all', () => {
    const [pg, gh] = planImport(
      read({
        pg: { command: 'npx', args: ['server-postgres', 'postgresql://admin:PGSECRET@db/x'] },
        gh: { command: 'gh-mcp', env: { TOKEN: '${GH_TOKEN:-ghp_DEFAULTSECRET}' } },
      }),
      [],
      context,
    );
    expect(pg!.answer.args).toEqual(['server-postgres', 'postgresql://admin:********@db/x']);
    expect(JSON.stringify(gh!.answer)).not.toContain('DEFAULTSECRET');
    expect(gh!.answer.warnings!.join()).toContain('${GH_TOKEN…}');
  });

  it('imports disabled, with a warning, what would fail or run tools the client kept from the model', () => {
    const plan = planImport(
      read({
        limited: { command: 'fs', disabled_tools: ['write_file'] },
        gemini: { command: 'x', excludeTools: ['rm'] },
        folder: { command: 'fs', args: ['/srv'], env: { ROOT: '${workspaceFolder}/a' } },
        relative: { command: './run.sh' },
        bare: { command: 'db', env: { DATABASE_URL: '$DB_URL' } },
        fine: { command: 'node', args: ['ok.js'], env: { HOME_DIR: '${HOME}' } },
      }),
      [],
      context,
    );
    expect(plan.map((p) => [p.answer.name, p.body?.enabled])).toEqual([
      ['limited', false],
      ['gemini', false],
      ['folder', false],
      ['relative', false],
      ['bare', false],
      ['fine', true],
    ]);
    expect(plan[0]!.answer.warnings!.join()).toMatch(/disabled_tools: \["write_file"\].*route rules that deny/);
    expect(plan[2]!.answer.warnings!.join()).toContain('${workspaceFolder}, a variable of the client');
  });

  it('never gives a name or namespace that is the id of a server', () => {
    const servers = [{ id: 'taken-id', name: 'Other', namespace: 'other', command: 'x', args: [], env: {}, headers: {} }];
    const [entry] = planImport(read({ 'taken-id': { command: 'y' } }), servers, context);
    expect(entry!.answer.status).toBe('new');
    expect(entry!.answer.namespace).toBe('taken-id-2');
    expect(entry!.body).toMatchObject({ name: 'taken-id-2' });
  });
});
