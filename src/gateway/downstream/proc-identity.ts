/**
 * Who a pid is: enough to tell the process we started from another that got the same pid later.
 * On Linux, a process's start time (clock ticks since boot, `/proc/<pid>/stat` field 22) with the
 * boot id; elsewhere, `ps -o lstart=` (the start time to the second). Used by the group registry,
 * so that a reaper never signals a reused pid.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const isLinux = process.platform === 'linux';

export interface ProcStat {
  state: string;
  pgid: number;
  sid: number;
  /** Start time: clock ticks since boot (Linux) or `ps` lstart text. */
  startTime: string;
}

/** The process's identity fields, or undefined when it is gone (or cannot be read on this OS). */
export function procStat(pid: number): ProcStat | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (!isLinux) return psStat(pid);
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
    throw error;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, pgid: Number(fields[2]), sid: Number(fields[3]), startTime: fields[19]! };
}

/** The start time of a live process (see `ProcStat.startTime`), or undefined. */
export function startTimeOf(pid: number): string | undefined {
  return procStat(pid)?.startTime;
}

/** The kernel's boot id on Linux (start times restart at each boot); '' elsewhere. */
export function bootId(): string {
  if (!isLinux) return '';
  return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
}

/** Live processes (not zombies) whose process group is `pgid` (Linux only; [] elsewhere). */
export function groupMembers(pgid: number): Array<{ pid: number; stat: ProcStat }> {
  if (!isLinux) return [];
  const members: Array<{ pid: number; stat: ProcStat }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat && stat.pgid === pgid && stat.state !== 'Z') members.push({ pid: Number(entry), stat });
  }
  return members;
}

function psStat(pid: number): ProcStat | undefined {
  const out = spawnSync('ps', ['-o', 'stat=,pgid=,sess=,lstart=', '-p', String(pid)], { encoding: 'utf8', windowsHide: true });
  const line = out.status === 0 ? out.stdout.trim() : '';
  const match = /^(\S+)\s+(\d+)\s+(\d+)\s+(.+)$/.exec(line);
  if (!match) return undefined;
  return { state: match[1]![0]!, pgid: Number(match[2]), sid: Number(match[3]), startTime: match[4]!.trim() };
}
