import { describe, expect, it } from 'vitest';
import { toolsFingerprint } from './tool-lists.js';

const tool = (name: string, extra: Record<string, unknown> = {}) => ({ name, inputSchema: { type: 'object' }, ...extra });

describe('toolsFingerprint: equal exactly when the lists are', () => {
  it('is equal for equal lists made of different objects', () => {
    expect(toolsFingerprint([tool('a'), tool('b')])).toBe(toolsFingerprint([tool('a'), tool('b')]));
    expect(toolsFingerprint([])).toBe(toolsFingerprint([]));
  });

  it.each([
    ['a tool more', [tool('a'), tool('b'), tool('c')]],
    ['a tool less', [tool('a')]],
    ['another order', [tool('b'), tool('a')]],
    ['a changed description', [tool('a', { description: 'new' }), tool('b')]],
    ['a changed schema', [tool('a', { inputSchema: { type: 'object', required: ['x'] } }), tool('b')]],
    ['a renamed tool', [tool('a'), tool('bb')]],
  ])('differs for %s', (_name, other) => {
    expect(toolsFingerprint(other)).not.toBe(toolsFingerprint([tool('a'), tool('b')]));
  });
});
