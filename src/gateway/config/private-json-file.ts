import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * lowdb's adapter for `config.json`, written as lowdb's own `JSONFile` writes it (JSON with two
 * spaces, a temp file beside it renamed over the file, so a reader sees the old file or the new
 * one), except that the temp file is private (0600) from its creation: `JSONFile` created it with
 * the umask's mode (0644) and the store chmodded the file only after the rename, so every write
 * exposed the config, secrets included, to other local users for a moment, and a kill -9 mid-write
 * left a readable `.config.json.tmp` behind (a security trial). Writes are serialised by the store.
 */
export class PrivateJsonFile<T> implements Adapter<T> {
  private readonly temp: string;

  constructor(private readonly file: string) {
    this.temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  }

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async write(data: T): Promise<void> {
    await writeFile(this.temp, JSON.stringify(data, null, 2), { mode: 0o600 });
    // The mode applies only to a new file: a temp file an older version left keeps its own.
    await chmod(this.temp, 0o600);
    await rename(this.temp, this.file);
  }
}
