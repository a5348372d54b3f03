import { closeSync, openSync, readSync, statSync, unwatchFile, watchFile } from 'node:fs';
import type * as vscode from 'vscode';

const MAX_READ = 256 * 1024;

/**
 * Follows the daemon's `<data dir>/gateway.log` into the window's log channel: lines appended
 * after the window attached (a poll each second: `fs.watch` misses appends on some file systems).
 * A file that shrank was rotated or recreated: read it from the start.
 */
export class GatewayLogTail implements vscode.Disposable {
  private offset: number;
  private listener = () => this.read();

  constructor(
    private readonly file: string,
    private readonly channel: vscode.LogOutputChannel,
  ) {
    this.offset = sizeOf(file);
    watchFile(file, { interval: 1000 }, this.listener);
  }

  read(): void {
    const size = sizeOf(this.file);
    if (size < this.offset) this.offset = 0;
    if (size === this.offset) return;
    const length = Math.min(size - this.offset, MAX_READ);
    const buffer = Buffer.alloc(length);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    for (const line of buffer.toString('utf8').split('\n')) if (line.trim()) this.channel.appendLine(`[gateway] ${line}`);
  }

  dispose(): void {
    unwatchFile(this.file, this.listener);
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
