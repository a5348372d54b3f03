import { describe, expect, it } from 'vitest';
import { isLogLevel, passesLogLevel } from './log-level.js';

const message = (level: string) => ({ method: 'notifications/message', params: { level, data: 'x' } });

describe('logging level filter', () => {
  it.each([
    ['debug', undefined, true],
    ['debug', 'info', false],
    ['info', 'info', true],
    ['warning', 'error', false],
    ['emergency', 'error', true],
    ['unheard-of', 'error', true],
  ] as const)('a %s message with minimum %s passes: %s', (level, minimum, passes) => {
    expect(passesLogLevel(message(level), minimum)).toBe(passes);
  });

  it('never filters other notifications', () => {
    expect(passesLogLevel({ method: 'notifications/progress', params: { level: 'debug' } }, 'emergency')).toBe(true);
  });

  it("knows the spec's levels only", () => {
    expect(isLogLevel('notice')).toBe(true);
    expect(isLogLevel('verbose')).toBe(false);
  });
});
