import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isAlive } from './lock.js';

describe('isAlive', () => {
  it('a zombie (ended, not reaped: its parent, a shell, execs into `sleep`, which never waits) is not alive, though kill(0) still finds it', async () => {
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 3'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()))));
      await new Promise((resolve) => setTimeout(resolve, 600)); // `sleep 0.1` has ended by now
      expect(() => process.kill(pid, 0)).not.toThrow();
      expect(isAlive(pid)).toBe(false);
      expect(isAlive(parent.pid!)).toBe(true);
      expect(isAlive(2 ** 22 + 12345)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
