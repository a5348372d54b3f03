import { existsSync, readFileSync } from 'node:fs';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.js';

/** The file in the data dir. */
export const METRICS_FILE = 'metrics.json';

/**
 * metrics.json in the data dir: read once at start, written whole and atomically (a temp file
 * with mode 0600 in the same directory, then a rename), so a crash mid-write leaves the previous
 * file. Writes never overlap: each waits for the one before.
 */
export class MetricsFile {
  readonly file: string;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    dataDir: string,
    private readonly logger: Logger,
  ) {
    this.file = path.join(dataDir, METRICS_FILE);
  }

  /** The parsed file, or undefined if there is none or it is not JSON (logged: the metrics start empty). */
  read(): unknown {
    if (!existsSync(this.file)) return undefined;
    try {
      return JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (error) {
      this.logger.warn('metrics.json is unreadable; the dashboard figures start empty and the file is replaced at the next save', {
        file: this.file,
        reason: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
  }

  /** Queues a write of `state`; resolves when it is on disk. A failure is logged, never thrown. */
  write(state: unknown): Promise<void> {
    const text = JSON.stringify(state);
    this.chain = this.chain.then(() => this.writeNow(text));
    return this.chain;
  }

  private async writeNow(text: string): Promise<void> {
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      await writeFile(temp, text, { mode: 0o600 });
      // The mode given to writeFile applies only to a new file and passes through the umask.
      await chmod(temp, 0o600);
      await rename(temp, this.file);
    } catch (error) {
      this.logger.warn('could not save metrics.json; the dashboard figures since the last save would be lost on restart', {
        file: this.file,
        reason: error instanceof Error ? error.message : String(error),
      });
      await rm(temp, { force: true }).catch((cleanup: Error) =>
        this.logger.debug('could not remove the metrics temp file', { file: temp, reason: cleanup.message }),
      );
    }
  }
}
