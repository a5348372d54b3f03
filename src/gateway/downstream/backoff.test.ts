import { expect, it } from 'vitest';
import { restartDelay } from './backoff.js';

it('restarts at once after one failure, then doubles from 0.5 s up to 30 s', () => {
  expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 50].map((failures) => restartDelay(failures))).toEqual([0, 0, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});
