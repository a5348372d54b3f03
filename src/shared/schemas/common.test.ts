import { describe, expect, it } from 'vitest';
import { nameSchema } from './common.js';

describe('nameSchema', () => {
  it.each(['ws1\u202e', 'a\u2066b', 'x\u200fy', 'zero\u200bwidth', 'b\ufeffom', 'c1\u0085', 'tab\tname', 'half \ud83d', '\ude00 low', 'ab\udc00\ud800'])(
    'refuses %j (a character a list would not show)',
    (name) => {
      expect(nameSchema.safeParse(name).success).toBe(false);
    },
  );

  it.each(['project', 'Projekt Ü', 'می‌خواهم', 'क्‍ष', 'داده', 'emoji 👩‍💻', 'wѕ1'])('keeps %j (joiners and other scripts are names)', (name) => {
    expect(nameSchema.safeParse(name)).toMatchObject({ success: true, data: name });
  });
});
