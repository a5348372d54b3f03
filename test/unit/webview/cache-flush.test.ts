import { describe, expect, it } from 'vitest';
import { describeFlush, type CacheCounts } from '../../../src/shared/webviews/cache-flush.js';

const counts = (tools: number, toolBytes: number, routes: number): CacheCounts => ({
  tool_call: { entries: tools, bytes: toolBytes },
  route_resolution: { entries: routes, bytes: routes * 100 },
});

describe('describeFlush: what a flush removed, in words', () => {
  it.each([
    ['all', counts(12, 3500, 5), counts(0, 0, 0), undefined, 'Flushed every cache: 12 cached tool results (3.4 KB) and 5 route resolutions removed.'],
    ['all', counts(1, 200, 1), counts(0, 0, 0), undefined, 'Flushed every cache: 1 cached tool result (200 B) and 1 route resolution removed.'],
    ['all', counts(0, 0, 0), counts(0, 0, 0), undefined, 'Flushed every cache: no tool result and no route resolution removed.'],
    ['tool_call', counts(4, 2048, 3), counts(0, 0, 3), undefined, 'Flushed the tool-result cache: 4 cached tool results (2.0 KB) removed.'],
    [
      'tool_call',
      counts(4, 3000, 3),
      counts(1, 1000, 3),
      'Everything',
      'Flushed the cached tool results of “Everything”: 3 cached tool results (2.0 KB) removed.',
    ],
    ['route', counts(4, 2048, 7), counts(4, 2048, 0), undefined, 'Flushed the route cache: 7 route resolutions removed.'],
    // The gateway narrows only tool_call by server: `all` says so by ignoring it.
    ['all', counts(4, 2048, 2), counts(0, 0, 0), 'Everything', 'Flushed every cache: 4 cached tool results (2.0 KB) and 2 route resolutions removed.'],
  ] as const)('%s %#', (layer, before, after, server, sentence) => {
    expect(describeFlush(layer, before, after, server)).toBe(sentence);
  });

  it('never reports a negative removal when calls added entries meanwhile', () => {
    expect(describeFlush('tool_call', counts(1, 100, 0), counts(3, 900, 0))).toBe('Flushed the tool-result cache: no tool result removed.');
  });
});
