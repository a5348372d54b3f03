import { describe, expect, it } from 'vitest';
import { findBoundsViolation, STORED_VALUE_LIMITS } from './bounds.js';
import { boundDiscovered, boundInstructions, findStateViolation, MAX_INSTRUCTIONS_CHARS, repairLoadedState } from './state-bounds.js';

/** A value nested `depth` levels (`{}` is 1), parsed from text so that any depth can be made. */
const nested = (depth: number): unknown => JSON.parse('{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1));

describe('findBoundsViolation', () => {
  it('accepts exactly the limit and refuses one level more, naming the path', () => {
    expect(findBoundsViolation(nested(STORED_VALUE_LIMITS.maxDepth))).toBeUndefined();
    const violation = findBoundsViolation({ tags: nested(STORED_VALUE_LIMITS.maxDepth) });
    expect(violation?.path).toBe(['tags', ...Array(STORED_VALUE_LIMITS.maxDepth - 1).fill('a')].join('.'));
    expect(violation?.message).toContain('deeper than 64 levels');
  });

  it('measures 100,000 levels without recursing', () => {
    expect(findBoundsViolation(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)))?.path).toMatch(/^(0\.)+0$/);
  });

  it('refuses an own "__proto__" key at any depth and keeps constructor/prototype ordinary', () => {
    expect(findBoundsViolation(JSON.parse('{"x":[{"__proto__":1}]}'), 'body')?.path).toBe('body.x.0.__proto__');
    expect(findBoundsViolation({ constructor: { prototype: 1, toString: [] } })).toBeUndefined();
    expect(findBoundsViolation('scalar')).toBeUndefined();
  });
});

describe('boundDiscovered', () => {
  it('keeps items within the limits in order and names the others', () => {
    const overhead = JSON.stringify({ name: 'big', description: '' }).length;
    const { kept, dropped } = boundDiscovered({
      tools: [
        { name: 'a' },
        { name: 'big', description: 'x'.repeat(STORED_VALUE_LIMITS.maxItemBytes - overhead + 1) },
        { name: 'fits', description: 'x'.repeat(STORED_VALUE_LIMITS.maxItemBytes - overhead - 1) },
      ],
      resources: [{ uri: 'r://deep', x: nested(64) }, 'not an object'],
      prompts: [{ name: 'p' }],
    });
    expect(kept.tools.map((t) => t.name)).toEqual(['a', 'fits']);
    expect(kept.prompts).toEqual([{ name: 'p' }]);
    expect(kept.resource_templates).toEqual([]);
    expect(dropped.map((d) => [d.list, d.name])).toEqual([
      ['tools', 'big'],
      ['resources', 'r://deep'],
      ['resources', '#1'],
    ]);
  });
});

describe('state bounds', () => {
  const state = () => ({
    workspaces: [{ id: 'w', tags: nested(70) }],
    downstreams: [{ id: 's', env: JSON.parse('{"__proto__":"x","constructor":"c"}'), tools: [{ name: 'ok' }, { name: 'deep', inputSchema: nested(100) }] }],
    routes: [],
    auth_scopes: [],
    settings: {},
  });

  it('finds the first value beyond the limits, with its path', () => {
    expect(findStateViolation(state())?.path).toMatch(/^workspaces\.0\.tags(\.a)+$/);
  });

  it('repairs what loses nothing the user wrote, and says what it did', () => {
    const loaded = state();
    const notes = repairLoadedState(loaded);
    expect(loaded.workspaces[0]!.tags).toEqual({});
    expect(loaded.downstreams[0]!.tools).toEqual([{ name: 'ok' }]);
    expect(Object.keys(loaded.downstreams[0]!.env)).toEqual(['constructor']);
    expect(findStateViolation(loaded)).toBeUndefined();
    expect(notes).toHaveLength(3);
  });
});

describe('boundInstructions', () => {
  it('keeps instructions within the limit as they are, and nothing when there are none', () => {
    expect(boundInstructions('Call search first.')).toEqual({ kept: 'Call search first.' });
    expect(boundInstructions(undefined)).toEqual({});
  });

  it('cuts longer ones at the limit and says so at the cut', () => {
    const { kept } = boundInstructions('x'.repeat(MAX_INSTRUCTIONS_CHARS + 10));
    expect(kept!.startsWith('x'.repeat(MAX_INSTRUCTIONS_CHARS) + '\n[… cut by MCPlexer')).toBe(true);
    expect(kept!.length).toBeLessThan(MAX_INSTRUCTIONS_CHARS + 100);
  });

  it('leaves out what is not a string, with the reason', () => {
    expect(boundInstructions({ text: 'hi' }).problem).toMatch(/not a string/);
    expect(boundInstructions(42).kept).toBeUndefined();
  });

  it('a config.json whose server holds unusable instructions loads without them, and says so', () => {
    const loaded = { workspaces: [], routes: [], auth_scopes: [], downstreams: [{ id: 's', tools: [], instructions: ['not', 'text'] }] } as unknown as Record<
      string,
      Array<Record<string, unknown>>
    >;
    const notes = repairLoadedState(loaded);
    expect(loaded.downstreams![0]!.instructions).toBeUndefined();
    expect(notes.join('\n')).toMatch(/downstreams\.0\.instructions: dropped: instructions are not a string/);
  });
});
