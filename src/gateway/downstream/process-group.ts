/**
 * Process-tree control for stdio children. Each child leads its own process group (spawned
 * detached), so a stop signals the whole group: SIGTERM, then SIGKILL after a grace period.
 * Every live group is registered process-wide, and a synchronous `exit` hook SIGKILLs whatever is
 * left if the gateway exits without stopping the pool, so no orphan survives a normal exit.
 */
import { spawnSync } from 'node:child_process';

const isWindows = process.platform === 'win32';
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** Registers a group leader's pid so the exit hook can reap the group. */
export function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killAllGroupsSync);
  }
}

export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
}

/** The number of groups still registered (for tests and health). */
export function trackedGroupCount(): number {
  return liveGroups.size;
}

/** SIGKILLs every registered group, synchronously (safe inside `process.on('exit')`). */
export function killAllGroupsSync(): void {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
  liveGroups.clear();
}

/** Sends a signal to every process in the group; false when the group is gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  if (isWindows) {
    if (signal === 'SIGTERM' || signal === 'SIGKILL') spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true });
    return false;
  }
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    // ESRCH: the group is gone. EPERM: a member we may not signal (setuid); it still exists.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while any process of the group exists (zombies included until they are reaped). */
export function groupAlive(pid: number): boolean {
  if (isWindows) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops a whole group: SIGTERM, wait up to `graceMs` for it to empty, then SIGKILL. */
export async function killGroup(pid: number, graceMs: number): Promise<void> {
  try {
    if (!signalGroup(pid, 'SIGTERM')) return;
    const deadline = Date.now() + graceMs;
    while (groupAlive(pid) && Date.now() < deadline) await sleep(20);
    if (groupAlive(pid)) {
      signalGroup(pid, 'SIGKILL');
      const reapBy = Date.now() + 1000;
      while (groupAlive(pid) && Date.now() < reapBy) await sleep(20);
    }
  } finally {
    untrackGroup(pid);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
