import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeServer } from '../../../test/fixtures/downstream-servers.js';
import { namespaceSchema } from '../config/index.js';
import { Catalog } from './catalog.js';
import { resolveToolName } from './steps/normalise.js';
import { LISTED_NAME_PATTERN, listedName } from './tool-names.js';

const tool = (name: string) => ({ name, inputSchema: { type: 'object' } });

describe('listed names', () => {
  it('shortens a 79-character name to 64 with a readable prefix and a stable hash, and keeps a fitting name as it is', () => {
    const full = 'github-enterprise__get_repository_repository_repository_repository_repository_x';
    expect(full).toHaveLength(79);
    const listed = listedName(full);
    expect(listed).toMatch(LISTED_NAME_PATTERN);
    expect(listed).toHaveLength(64);
    expect(listed.startsWith('github-enterprise__get_repository_repository')).toBe(true);
    expect(listed).toMatch(/_[0-9a-f]{8}$/);
    expect(listedName(full)).toBe(listed);
    expect(listedName('github__list_issues')).toBe('github__list_issues');
  });

  it('replaces characters clients refuse, and two names that differ only there stay apart', () => {
    const dotted = listedName('fs__read.file');
    const spaced = listedName('fs__read file');
    expect(dotted).toMatch(/^fs__read_file_[0-9a-f]{8}$/);
    expect(spaced).toMatch(/^fs__read_file_[0-9a-f]{8}$/);
    expect(dotted).not.toBe(spaced);
    expect(listedName('fs__read_file')).toBe('fs__read_file');
    expect(listedName('工具')).toMatch(LISTED_NAME_PATTERN);
    expect(listedName('')).toMatch(LISTED_NAME_PATTERN);
  });

  it('a catalog finds a tool by its listed name and by its full name, and names the clash when two names meet', () => {
    const a = makeServer({
      id: 'a',
      name: 'A',
      namespace: 'a',
      tools: [tool('_x'), tool('get.file'), tool(`get_file_${listedName('a__get.file').slice(-8)}`)],
    });
    const b = makeServer({ id: 'b', name: 'B', namespace: 'a_', tools: [tool('x')] });
    const catalog = new Catalog([a, b]);
    expect(catalog.tools.map((e) => e.listedName)).toEqual(['a___x', listedName('a__get.file')]);
    expect(catalog.tool(listedName('a__get.file'))?.downstreamName).toBe('get.file');
    expect(catalog.tool('a__get.file')?.downstreamName).toBe('get.file');
    expect(catalog.warningsFor('a')).toEqual([expect.stringContaining(`is already listed for its own "get.file"`)]);
    expect(catalog.warningsFor('b')).toEqual([
      expect.stringMatching(/tool "x" is not listed: .*"_x" of server "A".*namespaces "a" and "a_" join to the same names/),
    ]);
  });

  it('resolves the legacy mcplexer__ prefix and listed names to the full name routing matches', () => {
    const long = 'get_repository_repository_repository_repository_repository_x';
    const server = makeServer({ id: 'gh', namespace: 'github-enterprise', tools: [tool(long)] });
    const builtin = makeServer({ id: 'mcpx-builtin', namespace: 'mcpx' });
    const catalog = new Catalog([builtin, server]);
    const listed = catalog.tools[0]!.listedName;
    expect(resolveToolName(catalog, listed)).toMatchObject({ name: `github-enterprise__${long}`, downstreamName: long, server: { id: 'gh' } });
    expect(resolveToolName(catalog, `github-enterprise__${long}`).name).toBe(`github-enterprise__${long}`);
    expect(resolveToolName(catalog, 'mcplexer__search_tools')).toMatchObject({ name: 'mcpx__search_tools', server: { id: 'mcpx-builtin' } });
    expect(catalog.aliases.get(listed)).toBe(`github-enterprise__${long}`);
  });
});

// Namespaces as the config accepts them; tool names: anything a downstream may send.
const namespaceArb = fc
  .stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/)
  .filter((ns) => namespaceSchema.safeParse(ns).success)
  .map((ns) => ns.slice(0, 64));
const toolNameArb = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.stringMatching(/^[a-zA-Z0-9_.\- /:]{1,100}$/),
  fc.constantFrom('_x', 'x', '__x', 'get_repository_repository_repository_repository_repository_x'),
);

describe('listed names property', () => {
  it('any namespaces and tool names → listed names that fit, are unique, and map back to the same (server, tool)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ namespace: namespaceArb, tools: fc.array(toolNameArb, { maxLength: 6 }), unprefixed: fc.boolean() }), {
          minLength: 1,
          maxLength: 4,
          selector: (s) => s.namespace,
        }),
        (specs) => {
          const servers = specs.map((spec, i) =>
            makeServer({ id: `s${i}`, name: `S${i}`, namespace: spec.namespace, expose_unprefixed: spec.unprefixed && i === 0, tools: spec.tools.map(tool) }),
          );
          const catalog = new Catalog(servers);
          const listed = catalog.tools.map((e) => e.listedName);
          expect(new Set(listed).size).toBe(listed.length);
          for (const entry of catalog.tools) {
            expect(entry.listedName).toMatch(LISTED_NAME_PATTERN);
            expect(entry.listed.name).toBe(entry.listedName);
            const back = resolveToolName(catalog, entry.listedName);
            expect(back.server?.id).toBe(entry.server.id);
            expect(back.downstreamName).toBe(entry.downstreamName);
            expect(resolveToolName(catalog, entry.fullName).entry).toBe(entry);
          }
          // Every offered tool is listed or its server's warnings say why not.
          for (const server of servers) {
            const shown = catalog.tools.filter((e) => e.server.id === server.id).length;
            expect(shown + catalog.warningsFor(server.id).length).toBe(server.tools.length);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
