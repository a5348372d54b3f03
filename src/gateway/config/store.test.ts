import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.js';
import { openConfigStore } from './store.js';

describe('ConfigStore.update', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('keeps the state, the file and its listeners untouched when a write changes nothing; a real change still goes through', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-store-'));
    dirs.push(dir);
    const store = await openConfigStore(dir, silentLogger);
    try {
      await store.update((draft) => void (draft.settings.log_level = 'warn'));
      const before = store.state;
      const file = path.join(dir, 'config.json');
      const written = readFileSync(file, 'utf8');
      const mtime = statSync(file).mtimeMs;
      let changes = 0;
      store.on('change', () => void (changes += 1));
      await store.update((draft) => void (draft.settings.log_level = 'warn'));
      expect(store.state).toBe(before);
      expect(changes).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(written);
      expect(statSync(file).mtimeMs).toBe(mtime);
      await store.update((draft) => void (draft.settings.log_level = 'error'));
      expect(store.state).not.toBe(before);
      expect(store.state.settings.log_level).toBe('error');
      expect(changes).toBe(1);
    } finally {
      store.close();
    }
  });
});
