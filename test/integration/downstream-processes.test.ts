// No orphans: the pool kills whole process trees (children and grandchildren) on every way out.
import { afterAll, describe, expect, it } from 'vitest';
import { DownstreamPool, killAllGroupsSync } from '../../src/gateway/downstream/index.js';
import { childrenOf, everythingStdio, groupMembers, isRunning, rawServer, waitFor } from '../fixtures/downstream-servers.js';

const pool = new DownstreamPool({ stopGraceMs: 300 });
afterAll(() => pool.stopAll({ drainMs: 0 }));

const text = (result: Record<string, unknown>) => (result.content as { text: string }[])[0]!.text;

async function startTree(target: DownstreamPool, flags: string[]): Promise<{ pid: number; grandchild: number }> {
  const server = rawServer(['--grandchild', ...flags]);
  const result = await target.callTool(server, null, { name: 'pids' }, { timeoutMs: 5_000 });
  const pids = JSON.parse(text(result)) as { pid: number; grandchild: number };
  expect(isRunning(pids.pid) && isRunning(pids.grandchild)).toBe(true);
  expect(groupMembers(pids.pid).sort()).toEqual([pids.pid, pids.grandchild].sort()); // the child leads its own group
  return pids;
}

describe('process trees', () => {
  it('stopAll leaves no child and no grandchild, even ones that ignore SIGTERM', async () => {
    const trees = await Promise.all([startTree(pool, []), startTree(pool, ['--ignore-term']), startTree(pool, ['--ignore-term'])]);
    await pool.callTool(everythingStdio(), null, { name: 'echo', arguments: { message: 'x' } }, { timeoutMs: 10_000 });
    expect(childrenOf(process.pid).length).toBeGreaterThanOrEqual(4);
    await pool.stopAll({ drainMs: 0 });
    for (const tree of trees) {
      expect(groupMembers(tree.pid)).toEqual([]);
      expect(isRunning(tree.grandchild)).toBe(false);
    }
    expect(childrenOf(process.pid)).toEqual([]);
    expect(pool.health().every((server) => server.instances.length === 0)).toBe(true);
  });

  it('takes the grandchildren with a child that crashed', async () => {
    const tree = await startTree(pool, []);
    process.kill(tree.pid, 'SIGKILL');
    await waitFor(() => !isRunning(tree.grandchild), 3_000);
    expect(groupMembers(tree.pid)).toEqual([]);
  });

  it('kills every tree synchronously from the exit hook', async () => {
    const other = new DownstreamPool();
    const tree = await startTree(other, ['--ignore-term']);
    expect(process.listeners('exit')).toContain(killAllGroupsSync);
    killAllGroupsSync(); // what process.on('exit') runs when the gateway exits without stopAll()
    await waitFor(() => groupMembers(tree.pid).length === 0, 2_000);
    await other.stopAll({ drainMs: 0 });
  });
});
