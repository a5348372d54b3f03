import { describe, expect, it } from 'vitest';
import { namespaceSchema } from '../../shared/schemas/index.js';
import { readClientEntry } from './import-entries.js';
import { namespaceBase, planImport } from './import-plan.js';
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

  it('gives `exists` for the same command and args or the same URL, and suffixes a taken namespace', () => {
    const servers = [
      { id: 's1', name: 'Mem', namespace: 'memory', command: 'node', args: ['mem.js'] },
      { id: 's2', name: 'Web', namespace: 'web', args: [], url: 'https://WEB.example.test/mcp' },
    ];
    const plan = planImport(
      read({
        memory: { command: 'node', args: ['mem.js'] },
        web: { url: 'https://web.example.test/mcp' },
        other: { command: 'node', args: ['other.js'] },
        Mem: { command: 'node', args: ['mem2.js'] },
      }),
      servers,
      'f',
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
    const [bad] = planImport(read({ h: { url: 'https://x.example.test', headers: { 'bad name': 'v' } } }), [], 'the file');
    expect(bad!.answer).toMatchObject({
      status: 'unsupported',
      reason: expect.stringMatching(/^MCPlexer would refuse it: headers\.bad name a header name must be/),
    });
    expect(bad!.body).toBeUndefined();
  });
});
